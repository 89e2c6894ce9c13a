use sea_orm::entity::prelude::*;

/// One event's delivery to one webhook.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "push_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub receiver_id: i64,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: DateTimeUtc,
    pub last_attempt_at: Option<DateTimeUtc>,
    pub last_status: Option<i64>,
    pub last_reply: Option<String>,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
