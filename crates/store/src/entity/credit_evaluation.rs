use sea_orm::entity::prelude::*;

/// A year's 守法诚信等级评价 (see `crate::credit::grades`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub year: i64,
    /// `proposed` or `confirmed`.
    pub status: String,
    pub rules: String,
    pub firms: i64,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
