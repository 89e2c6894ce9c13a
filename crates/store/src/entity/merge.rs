use sea_orm::entity::prelude::*;

/// Two tasks' visits to the same firms merged into joint visits (综合查一次).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "merges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub task_id: i64,
    pub with_task_id: i64,
    /// `<seed A>+<seed B>/merge`.
    pub seed: String,
    /// suiji_draw::AssignmentDocument as JSON.
    pub document: String,
    pub inspectors_csv: String,
    pub recusals_csv: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
