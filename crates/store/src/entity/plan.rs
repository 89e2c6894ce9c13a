use sea_orm::entity::prelude::*;

/// 年度抽查计划: a department's plan for a year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub year: i64,
    pub department: String,
    pub title: String,
    pub description: String,
    /// A `suiji_domain::workflow::PlanStatus` code: `draft`, `submitted`, `returned`,
    /// `approved`, `published`.
    pub status: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    /// The 牵头科室's comment on its last approval or return.
    pub review_comment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
