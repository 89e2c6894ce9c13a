use sea_orm::entity::prelude::*;

/// One firm's proposed grade in an evaluation, and the grade to confirm.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub evaluation_id: i64,
    pub uscc: String,
    pub target_name: String,
    pub previous_grade: Option<String>,
    pub proposed_grade: String,
    /// The rules' reasons, JSON.
    pub reasons: String,
    /// The year's record the rules read, JSON.
    pub record: String,
    pub grade: String,
    pub adjust_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
