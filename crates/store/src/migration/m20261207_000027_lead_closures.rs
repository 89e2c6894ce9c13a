//! 不予立项: a lead closed without a task keeps why, who closed it and when. New nullable
//! columns: the leads made before keep their content hashes.

use super::m20261123_000001_directories::text_null;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000027_lead_closures"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let closed_at = ColumnDef::new(Alias::new("closed_at")).timestamp_with_time_zone().null().to_owned();
        // One column an ALTER: SQLite adds one at a time.
        for column in [text_null("closed_reason"), text_null("closed_by"), closed_at] {
            m.alter_table(Table::alter().table(Alias::new("leads")).add_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
