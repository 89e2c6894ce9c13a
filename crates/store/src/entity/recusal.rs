use sea_orm::entity::prelude::*;

/// 回避. The pair (cert_no, uscc) is unique; the reason is never public.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recusals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cert_no: String,
    pub uscc: String,
    pub reason: String,
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
