use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uscc: String,
    pub name: String,
    pub kind: String,
    pub scale: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub address: String,
    pub legal_rep: String,
    pub employees: Option<i64>,
    pub credit_grade: Option<String>,
    pub risk_class: Option<String>,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Who added the record, and in which import (none when added by hand).
    pub created_by: String,
    pub created_batch: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
