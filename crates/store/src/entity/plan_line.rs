use sea_orm::entity::prelude::*;

/// One line of a plan: an item, how many of its targets, when, with whom.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    /// Its place in the plan, from 1.
    pub position: i64,
    pub item_code: String,
    pub expected_count: Option<i64>,
    /// Basis points of the eligible targets.
    pub expected_ratio_bp: Option<i64>,
    pub window_start: Date,
    pub window_end: Date,
    /// A JSON array of department names.
    pub joint_departments: String,
    pub note: String,
    /// Industry code prefixes separated by spaces; null for every kind of firm.
    pub industries: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
