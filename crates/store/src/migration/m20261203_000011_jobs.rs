//! Long work done in the background (an import of a large file, a task's population frozen):
//! what it is, who started it, how far it has got, and what it came to. A page polls the row,
//! so the work goes on when the tab that started it is closed.

use super::m20261123_000001_directories::{id, index, int, table, text, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000011_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "jobs",
            vec![
                id(),
                text("kind"),
                text("title"),
                text("username"),
                // running, done, failed
                text("state"),
                // What it is doing now, in both languages ("检查 checking").
                text("phase"),
                int("done"),
                int("total"),
                time("started_at"),
                time("phase_started_at"),
                time("updated_at"),
                ColumnDef::new(Alias::new("finished_at")).timestamp_with_time_zone().null().to_owned(),
                // What it came to, as JSON (an import's summary, or its problems).
                ColumnDef::new(Alias::new("outcome")).text().null().to_owned(),
                // Where its result is seen (the list it imported into, the task).
                ColumnDef::new(Alias::new("link")).text().null().to_owned(),
            ],
        ))
        .await?;
        m.create_index(index("jobs", "jobs_username", &["username", "id"])).await?;
        Ok(())
    }
}
