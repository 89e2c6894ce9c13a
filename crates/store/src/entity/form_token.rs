use sea_orm::entity::prelude::*;

/// A staff form's one-time token, claimed by its first submit (see `crate::forms`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "form_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token: String,
    pub username: String,
    pub claimed_at: DateTimeUtc,
    pub location: Option<String>,
    pub done: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
