//! Accounts, their sessions, login attempts and API tokens; the audit log and its head; the
//! index the portal's feed reads history by.
//! The `users` table of the first migration was a placeholder, never written: it is made again
//! here with what signing in needs.

use super::m20261123_000001_directories::{id, index, int, table, text, text_null, time, unique_index};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_accounts_audit"
    }
}

fn time_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("users")).if_exists().to_owned()).await?;
        let tables = [
            table(
                "users",
                vec![
                    id(),
                    text("username"),
                    text("display_name"),
                    text("role"),
                    text_null("department"),
                    text("password_hash"),
                    text("status"),
                    time("created_at"),
                    time("password_changed_at"),
                ],
            ),
            table(
                "sessions",
                vec![
                    // The SHA-256 of the cookie's token: a copy of the table opens no session.
                    ColumnDef::new(Alias::new("token_sha256")).string().not_null().primary_key().to_owned(),
                    int("user_id"),
                    text("csrf_token"),
                    text("address"),
                    time("created_at"),
                    time("expires_at"),
                ],
            ),
            table(
                "login_attempts",
                vec![
                    id(),
                    text("username"),
                    text("address"),
                    ColumnDef::new(Alias::new("succeeded")).boolean().not_null().to_owned(),
                    time("at"),
                ],
            ),
            table(
                "api_tokens",
                vec![
                    id(),
                    int("user_id"),
                    text("name"),
                    text("token_sha256"),
                    text("created_by"),
                    time("created_at"),
                    time_null("revoked_at"),
                ],
            ),
            table(
                "audit_entries",
                vec![
                    ColumnDef::new(Alias::new("seq")).big_integer().not_null().primary_key().to_owned(),
                    time("at"),
                    // The day in China (UTC+8) the entry was made: the portal's daily heads.
                    text("day"),
                    text("actor"),
                    text("role"),
                    text("action"),
                    text("object"),
                    text("change"),
                    text("digest"),
                    text("prev_hash"),
                    text("hash"),
                ],
            ),
            // One row: the last entry's number and hash. Every writing transaction updates it
            // first, which serialises appends to the chain on both databases (a row lock on
            // PostgreSQL, the write lock on SQLite), and it shows a cut-off tail of the log.
            table("audit_head", vec![int("id"), int("seq"), text("hash")]),
        ];
        for t in tables {
            m.create_table(t).await?;
        }
        for i in [
            unique_index("users", "users_username", &["username"]),
            index("sessions", "sessions_user", &["user_id"]),
            index("login_attempts", "login_attempts_username_at", &["username", "at"]),
            index("login_attempts", "login_attempts_address_at", &["address", "at"]),
            unique_index("api_tokens", "api_tokens_token", &["token_sha256"]),
            index("audit_entries", "audit_entries_day", &["day"]),
            unique_index("audit_head", "audit_head_id", &["id"]),
            // The portal's feed lists each import's changes.
            index("record_changes", "record_changes_batch", &["batch_id"]),
        ] {
            m.create_index(i).await?;
        }
        let head = Query::insert()
            .into_table(Alias::new("audit_head"))
            .columns([Alias::new("id"), Alias::new("seq"), Alias::new("hash")])
            .values_panic([1.into(), 0.into(), suiji_domain::audit::GENESIS.into()])
            .to_owned();
        m.exec_stmt(head).await?;
        Ok(())
    }
}
