use sea_orm::entity::prelude::*;

/// 整改: a published result's order to put things right, followed until it is (see
/// `crate::workflow::rectifications`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rectifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub task_id: i64,
    pub uscc: String,
    pub target_name: String,
    pub ordered_on: Date,
    pub deadline: Date,
    pub extended_to: Option<Date>,
    pub extension_reason: Option<String>,
    /// `open`, `rectified` or `escalated`.
    pub status: String,
    /// `rectified`, `partly` or `not_rectified`: what the latest published follow-up found.
    pub outcome: Option<String>,
    pub follow_up_id: Option<i64>,
    /// `case` or `referral`.
    pub escalation: Option<String>,
    pub escalation_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub updated_by: String,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
