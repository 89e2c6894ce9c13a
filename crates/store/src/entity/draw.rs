use sea_orm::entity::prelude::*;

/// A task's draw: the seed, how it was made, and the protocol's document.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draws")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub task_id: i64,
    pub seed: String,
    pub seed_source: String,
    pub contributions: String,
    pub document: String,
    /// `valid` or `annulled`.
    pub status: String,
    pub drawn_by: String,
    pub drawn_at: DateTimeUtc,
    pub annul_reason: Option<String>,
    pub annulled_by: Option<String>,
    pub annulled_at: Option<DateTimeUtc>,
    /// The drawn firms inspected shortly before the draw, as JSON
    /// ([suiji_domain::workflow::RecentVisit]s); none before this was kept.
    pub notes: Option<String>,
    /// The control sample's draw document (对照样本, protocol §2.9), if the task asked for one.
    pub control: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
