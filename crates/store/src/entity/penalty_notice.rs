use sea_orm::entity::prelude::*;

/// A version of a penalty's public notice; a correction adds the next and marks this
/// `corrected`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "penalty_notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub penalty_id: i64,
    pub version: i64,
    pub uscc: String,
    pub target_name: String,
    pub content: String,
    /// `current` or `corrected`.
    pub status: String,
    pub reason: String,
    pub published_by: String,
    pub published_at: DateTimeUtc,
    pub due_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
