//! The public lists: 重大劳动保障违法行为社会公布 and 拖欠农民工工资失信联合惩戒对象名单, one
//! entry a firm and decision, from proposal to publication and removal.

use super::m20261123_000001_directories::{id, index, int, table, text, text_null, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000015_lists"
    }
}

fn date_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "list_entries",
            vec![
                id(),
                // major_violations or wage_arrears
                text("list"),
                // The penalty decision it comes from.
                int("penalty_id"),
                text("uscc"),
                text("target_name"),
                text("legal_rep"),
                text("address"),
                // The kinds of violation (JSON list of codes), the facts and the handling as
                // published.
                text("kinds"),
                text("facts"),
                text("handling"),
                ColumnDef::new(Alias::new("decided_on")).date().not_null().to_owned(),
                // proposed, notified, listed, removed
                text("status"),
                // Serious violations: the publication's deadline.
                date_null("due_on"),
                // Wage arrears: told on, its statement's deadline, what it said.
                date_null("notified_on"),
                date_null("statement_due"),
                text_null("statement"),
                // On the list from, to (the term's last day).
                date_null("listed_on"),
                date_null("term_end"),
                // Off the list: when, how (repaired, expired) and why.
                date_null("removed_on"),
                text_null("removal"),
                text_null("removal_reason"),
                text("created_by"),
                time("created_at"),
                text("updated_by"),
                time("updated_at"),
            ],
        ))
        .await?;
        m.create_index(index("list_entries", "list_entries_list", &["list", "status"])).await?;
        m.create_index(index("list_entries", "list_entries_uscc", &["uscc"])).await?;
        m.create_index(index("list_entries", "list_entries_penalty", &["penalty_id"])).await?;
        Ok(())
    }
}
