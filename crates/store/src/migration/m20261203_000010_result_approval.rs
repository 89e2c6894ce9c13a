//! A result's approval by the task's organizer (负责人), which a bureau may require before a
//! team publishes (the `approve_results` setting): who approved, and when. Entering the form
//! again or returning it clears both.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000010_result_approval"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [
            ColumnDef::new(Alias::new("approved_by")).text().null().to_owned(),
            ColumnDef::new(Alias::new("approved_at")).timestamp_with_time_zone().null().to_owned(),
        ] {
            m.alter_table(Table::alter().table(Alias::new("inspections")).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
