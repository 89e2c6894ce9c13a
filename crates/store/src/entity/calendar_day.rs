use sea_orm::entity::prelude::*;

/// A day of an official schedule imported by an administrator (years after the built-in ones).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub date: Date,
    /// `off` or `work`.
    pub kind: String,
    pub name: String,
    pub source: String,
    pub actor: String,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
