use sea_orm::entity::prelude::*;

/// A staff account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// A [`suiji_domain::access::Role`] name.
    pub role: String,
    pub department: Option<String>,
    /// Argon2id, as a PHC string.
    pub password_hash: String,
    /// `active` or `disabled`.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub password_changed_at: DateTimeUtc,
    /// For an inspector's account: its 执法证号, which finds its inspections.
    pub inspector_cert_no: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
