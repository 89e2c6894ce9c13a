use sea_orm::entity::prelude::*;

/// Failed sign-ins counted in place: one row per account (`account:ID`) and per address
/// (`address:IP`, an IPv6 address by its /64), never one per try — a flood of failed sign-ins
/// costs the database a bounded number of rows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttle")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub failures: i64,
    pub last_failure_at: DateTimeUtc,
    /// No sign-in for this account or address until then.
    pub locked_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
