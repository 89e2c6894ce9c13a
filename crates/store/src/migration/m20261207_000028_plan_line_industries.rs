//! The kind of firms a plan line inspects, as industry code prefixes separated by spaces: lines
//! of two departments that meet in kind and period are offered for a joint task. Null for every
//! kind, so the lines made before keep their plans' content hashes.

use super::m20261123_000001_directories::text_null;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000028_plan_line_industries"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let column = text_null("industries");
        m.alter_table(Table::alter().table(Alias::new("plan_lines")).add_column(column).to_owned()).await
    }
}
