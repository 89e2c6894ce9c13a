use sea_orm::entity::prelude::*;

/// The teams of a draw: by suiji-assign/1, or chosen directly for a triggered task.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub task_id: i64,
    pub draw_id: i64,
    pub mode: String,
    pub reason: String,
    pub document: String,
    pub inspectors_csv: String,
    pub recusals_csv: String,
    /// `valid` or `annulled`.
    pub status: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
