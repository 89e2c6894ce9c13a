use sea_orm::entity::prelude::*;

/// 线索: what may start a triggered inspection (see `crate::workflow::leads`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// suiji_domain::workflow::LeadSource's code.
    pub source: String,
    pub received_on: Date,
    pub reference: String,
    pub summary: String,
    pub department: String,
    /// `open`, `tasked` or `closed` (不予立项).
    pub status: String,
    pub task_id: Option<i64>,
    pub received_by: String,
    pub received_at: DateTimeUtc,
    /// Why it was closed without a task, who closed it and when.
    pub closed_reason: Option<String>,
    pub closed_by: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
