//! 线索: the leads that start triggered inspections (seed 002) — where each came from, when,
//! the firms it names (a row each, so a firm's leads are found by an index), what it says
//! (private), who registered it, the task that took it up; and the files kept with it.

use super::m20261123_000001_directories::{id, index, int, int_null, table, text, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000024_leads"
    }
}

fn date(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "leads",
            vec![
                id(),
                // suiji_domain::workflow::LeadSource's code.
                text("source"),
                date("received_on"),
                text("reference"),
                text("summary"),
                // The department that received it: a 业务科室 sees its own.
                text("department"),
                // `open`, or `tasked` once a published triggered task names it.
                text("status"),
                int_null("task_id"),
                text("received_by"),
                time("received_at"),
            ],
        ))
        .await?;
        m.create_index(index("leads", "leads_department", &["department"])).await?;
        m.create_table(table("lead_targets", vec![id(), int("lead_id"), text("uscc"), date("received_on")]))
            .await?;
        m.create_index(index("lead_targets", "lead_targets_lead", &["lead_id"])).await?;
        m.create_index(index("lead_targets", "lead_targets_uscc", &["uscc", "received_on"])).await?;
        m.create_table(table(
            "lead_files",
            vec![
                id(),
                int("lead_id"),
                text("file_name"),
                text("content_type"),
                text("sha256"),
                int("size"),
                ColumnDef::new(Alias::new("data")).binary().not_null().to_owned(),
                text("added_by"),
                time("added_at"),
            ],
        ))
        .await?;
        m.create_index(index("lead_files", "lead_files_lead", &["lead_id"])).await
    }
}
