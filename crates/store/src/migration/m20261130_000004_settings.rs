//! The bureau's settings: one row per setting changed from its default.

use super::m20261123_000001_directories::{table, text, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000004_settings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "settings",
            vec![
                ColumnDef::new(Alias::new("name")).string().not_null().primary_key().to_owned(),
                text("value"),
                time("changed_at"),
                text("changed_by"),
            ],
        ))
        .await
    }
}
