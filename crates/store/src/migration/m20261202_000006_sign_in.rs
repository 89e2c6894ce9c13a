//! Sign-in throttling counted in place (`login_throttle`, one row per account and per address)
//! instead of a row per try (`login_attempts`, dropped: anyone could grow it without bound);
//! user names compared without regard to case, so existing names are folded to lower case
//! where that makes no two alike.

use super::m20261123_000001_directories::{index, int, table, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000006_sign_in"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("login_attempts")).if_exists().to_owned()).await?;
        m.create_table(table(
            "login_throttle",
            vec![
                ColumnDef::new(Alias::new("key")).string().not_null().primary_key().to_owned(),
                int("failures"),
                time("last_failure_at"),
                ColumnDef::new(Alias::new("locked_until")).timestamp_with_time_zone().null().to_owned(),
            ],
        ))
        .await?;
        m.create_index(index("login_throttle", "login_throttle_last_failure", &["last_failure_at"])).await?;
        // `Ann` becomes `ann` unless another account's name folds to the same: those stay as
        // they are for an administrator to rename (the sign-in finds the lower-case one).
        m.get_connection()
            .execute_unprepared(
                "UPDATE users SET username = LOWER(username) \
                 WHERE username <> LOWER(username) AND NOT EXISTS \
                 (SELECT 1 FROM users other WHERE LOWER(other.username) = LOWER(users.username) \
                  AND other.id <> users.id)",
            )
            .await?;
        Ok(())
    }
}
