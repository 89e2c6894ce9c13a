//! The draw record points out each drawn firm inspected shortly before (检查台账: 无事不扰):
//! the draw keeps the list as it stood when it was made, so the record never changes after.
//! A new column, empty for the draws made before; their content hashes stay (the audit log
//! leaves an added column out while it is null).

use super::m20261123_000001_directories::text_null;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000022_draw_notes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let column = text_null("notes");
        m.alter_table(Table::alter().table(Alias::new("draws")).add_column(column).to_owned()).await
    }
}
