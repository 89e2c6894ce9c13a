use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspectors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub cert_no: String,
    pub name: String,
    pub gender: Option<String>,
    pub department: String,
    pub position: String,
    pub cert_valid_until: Option<Date>,
    pub expertise: String,
    pub region: Option<String>,
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
