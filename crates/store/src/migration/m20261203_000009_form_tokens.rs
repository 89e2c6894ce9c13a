//! One-time form tokens: each staff form carries a fresh token, and a second submit of the
//! same form (a double click, a reload, a retry after a slow answer) finds its token used and
//! is sent where the first went instead of doing the work again.

use super::m20261123_000001_directories::{index, table, text, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000009_form_tokens"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "form_tokens",
            vec![
                ColumnDef::new(Alias::new("token")).string().not_null().primary_key().to_owned(),
                text("username"),
                time("claimed_at"),
                // Where the first submit's answer sent the browser; null while it is being
                // done, or when the answer was a page rather than a redirect.
                ColumnDef::new(Alias::new("location")).text().null().to_owned(),
                ColumnDef::new(Alias::new("done")).boolean().not_null().default(false).to_owned(),
            ],
        ))
        .await?;
        m.create_index(index("form_tokens", "form_tokens_claimed_at", &["claimed_at"])).await?;
        Ok(())
    }
}
