use sea_orm::entity::prelude::*;

/// A grade decided for a firm, with its reason: the grades' history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_grades")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uscc: String,
    pub year: i64,
    pub grade: String,
    pub previous_grade: Option<String>,
    pub reason: String,
    pub evaluation_id: Option<i64>,
    pub decided_by: String,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
