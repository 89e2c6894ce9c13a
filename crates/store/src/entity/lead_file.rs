use sea_orm::entity::prelude::*;

/// A file kept with a lead: the complaint letter, a referral, a screenshot.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lead_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub data: Vec<u8>,
    pub added_by: String,
    pub added_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
