//! 行政处罚 decisions with their own notices (versions, like results'), and the organizer's
//! decisions to keep a result unpublished (不予公开) with the legal basis.

use super::m20261123_000001_directories::{id, index, int, table, text, time, unique_index};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000013_penalties"
    }
}

fn date(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().not_null().to_owned()
}

fn date_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "penalties",
            vec![
                id(),
                // The inspection that found the violation.
                int("inspection_id"),
                int("task_id"),
                text("uscc"),
                text("target_name"),
                // general or simple
                text("procedure"),
                text("decision_no"),
                date("decided_on"),
                text("facts"),
                text("basis"),
                text("penalty"),
                // The notice's deadline (一般程序 only): 7 working days after the decision.
                date_null("due_on"),
                // recorded, published
                text("status"),
                time("created_at"),
                text("created_by"),
                time("updated_at"),
                text("updated_by"),
            ],
        ))
        .await?;
        m.create_index(unique_index("penalties", "penalties_decision_no", &["decision_no"])).await?;
        m.create_index(index("penalties", "penalties_inspection", &["inspection_id"])).await?;
        m.create_index(index("penalties", "penalties_uscc", &["uscc"])).await?;
        m.create_index(index("penalties", "penalties_status", &["status", "due_on"])).await?;
        m.create_table(table(
            "penalty_notices",
            vec![
                id(),
                int("penalty_id"),
                int("version"),
                text("uscc"),
                text("target_name"),
                text("content"),
                // current or corrected
                text("status"),
                text("reason"),
                text("published_by"),
                time("published_at"),
                date_null("due_on"),
            ],
        ))
        .await?;
        m.create_index(unique_index(
            "penalty_notices",
            "penalty_notices_version",
            &["penalty_id", "version"],
        ))
        .await?;
        m.create_index(index("penalty_notices", "penalty_notices_uscc", &["uscc"])).await?;
        m.create_table(table(
            "withholdings",
            vec![id(), int("inspection_id"), text("basis"), text("decided_by"), time("decided_at")],
        ))
        .await?;
        m.create_index(unique_index("withholdings", "withholdings_inspection", &["inspection_id"])).await?;
        Ok(())
    }
}
