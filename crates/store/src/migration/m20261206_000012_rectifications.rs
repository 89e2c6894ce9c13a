//! 整改 and 复查: a rectification for each published result that orders one, and the
//! follow-up inspections (复查) that check it, which are inspections of the same task marked
//! with the rectification they follow up.

use super::m20261123_000001_directories::{
    id, index, int, int_null, table, text, text_null, time, unique_index,
};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000012_rectifications"
    }
}

fn date(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "rectifications",
            vec![
                id(),
                // The inspection whose published result ordered it (one each).
                int("inspection_id"),
                int("task_id"),
                text("uscc"),
                text("target_name"),
                // The day it was ordered (the inspection's last day), and the deadline set.
                date("ordered_on"),
                date("deadline"),
                ColumnDef::new(Alias::new("extended_to")).date().null().to_owned(),
                text_null("extension_reason"),
                // open, rectified, escalated
                text("status"),
                // What the latest published follow-up found: rectified, partly, not_rectified.
                text_null("outcome"),
                // The latest follow-up inspection, and whether it is still to be published.
                int_null("follow_up_id"),
                // case or referral, and what was opened or to whom it went.
                text_null("escalation"),
                text_null("escalation_note"),
                time("created_at"),
                time("updated_at"),
                text("updated_by"),
                ColumnDef::new(Alias::new("closed_at")).timestamp_with_time_zone().null().to_owned(),
            ],
        ))
        .await?;
        m.create_index(unique_index("rectifications", "rectifications_inspection", &["inspection_id"]))
            .await?;
        m.create_index(index("rectifications", "rectifications_status", &["status", "deadline"])).await?;
        m.create_index(index("rectifications", "rectifications_uscc", &["uscc"])).await?;
        // A follow-up inspection names the rectification it checks; others have none.
        m.alter_table(
            Table::alter()
                .table(Alias::new("inspections"))
                .add_column(ColumnDef::new(Alias::new("follow_up_of")).big_integer().null().to_owned())
                .to_owned(),
        )
        .await?;
        m.create_index(index("inspections", "inspections_follow_up_of", &["follow_up_of"])).await?;
        Ok(())
    }
}
