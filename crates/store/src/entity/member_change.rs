use sea_orm::entity::prelude::*;

/// One member of an inspection's team changed after the assignment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub task_id: i64,
    /// The n-th change of the inspection's team, from 1.
    pub n: i64,
    pub gone_cert: String,
    pub gone_name: String,
    pub chosen_cert: String,
    pub chosen_name: String,
    pub reason: String,
    /// suiji_draw::MemberReplacement as JSON.
    pub document: String,
    pub actor: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
