//! 触发式事项清单: an item says which tasks may check it — random inspections, triggered ones or
//! both (seed 002 keeps a separate list of the items triggered inspections use). A new column,
//! null for 通用 (both): the items made before keep their content hashes.

use super::m20261123_000001_directories::text_null;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000026_item_scopes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let column = text_null("scope");
        m.alter_table(Table::alter().table(Alias::new("items")).add_column(column).to_owned()).await
    }
}
