use sea_orm::entity::prelude::*;

/// A department's system that takes the public events (see `crate::push`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "push_receivers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// `webhook` or `file`.
    pub kind: String,
    pub url: Option<String>,
    pub secret: String,
    pub events: String,
    pub active: bool,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
