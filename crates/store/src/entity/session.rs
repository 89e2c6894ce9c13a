use sea_orm::entity::prelude::*;

/// A signed-in browser. The cookie holds the token; the table only its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_sha256: String,
    pub user_id: i64,
    /// Every state-changing form carries it back.
    pub csrf_token: String,
    pub address: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
