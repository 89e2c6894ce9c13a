//! The control sample (对照样本) beside a directed draw: its own draw document, kept with the
//! draw it stands beside. Null for a draw without one, so the draws made before keep their
//! content hashes.

use super::m20261123_000001_directories::text_null;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000029_control_samples"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let column = text_null("control");
        m.alter_table(Table::alter().table(Alias::new("draws")).add_column(column).to_owned()).await
    }
}
