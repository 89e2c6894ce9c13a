use sea_orm::entity::prelude::*;

/// A 行政处罚 decision recorded against an inspection (see `crate::workflow::penalties`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "penalties")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub task_id: i64,
    pub uscc: String,
    pub target_name: String,
    /// `general` or `simple`.
    pub procedure: String,
    pub decision_no: String,
    pub decided_on: Date,
    pub facts: String,
    pub basis: String,
    pub penalty: String,
    /// The notice's deadline, under 一般程序 only.
    pub due_on: Option<Date>,
    /// `recorded` or `published`.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub created_by: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
