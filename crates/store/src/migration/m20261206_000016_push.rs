//! 推送: receivers (webhooks and file receivers), the outbox of public events, and each
//! event's delivery to each webhook.

use super::m20261123_000001_directories::{
    id, index, int, int_null, table, text, text_null, time, unique_index,
};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000016_push"
    }
}

fn time_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "push_receivers",
            vec![
                id(),
                text("name"),
                // webhook or file
                text("kind"),
                text_null("url"),
                text("secret"),
                // The event kinds it takes (JSON list; empty: all).
                text("events"),
                ColumnDef::new(Alias::new("active")).boolean().not_null().to_owned(),
                text("created_by"),
                time("created_at"),
            ],
        ))
        .await?;
        m.create_index(unique_index("push_receivers", "push_receivers_name", &["name"])).await?;
        m.create_table(table(
            "push_events",
            vec![id(), text("kind"), text("subject"), text("payload"), time("created_at")],
        ))
        .await?;
        m.create_index(index("push_events", "push_events_created", &["created_at"])).await?;
        m.create_table(table(
            "push_deliveries",
            vec![
                id(),
                int("event_id"),
                int("receiver_id"),
                // pending, delivered, failed
                text("status"),
                int("attempts"),
                time("next_attempt_at"),
                time_null("last_attempt_at"),
                int_null("last_status"),
                text_null("last_reply"),
                time_null("delivered_at"),
            ],
        ))
        .await?;
        m.create_index(index("push_deliveries", "push_deliveries_due", &["status", "next_attempt_at"]))
            .await?;
        Ok(())
    }
}
