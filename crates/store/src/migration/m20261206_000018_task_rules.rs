//! The bureau's rules (its 抽查工作细则: item floors, the yearly cap, the days to publish, the
//! default weights and team size, the witnesses' digits) become settings; a task records the
//! ones it was made under, so that changing a setting never changes a published task. Tasks
//! made before keep none: they were made under the defaults.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000018_task_rules"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let rules = ColumnDef::new(Alias::new("rules")).text().null().to_owned();
        m.alter_table(Table::alter().table(Alias::new("tasks")).add_column(rules).to_owned()).await
    }
}
