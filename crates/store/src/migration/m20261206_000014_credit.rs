//! 守法诚信等级评价: an evaluation run per year with a proposed grade per firm and its reasons,
//! reviewed and confirmed by the organizer; the grades it writes, with their history.

use super::m20261123_000001_directories::{id, index, int, int_null, table, text, text_null, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000014_credit"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "credit_evaluations",
            vec![
                id(),
                int("year"),
                // proposed, confirmed
                text("status"),
                // The rule set in force when it ran (JSON).
                text("rules"),
                int("firms"),
                text("created_by"),
                time("created_at"),
                text_null("confirmed_by"),
                ColumnDef::new(Alias::new("confirmed_at")).timestamp_with_time_zone().null().to_owned(),
            ],
        ))
        .await?;
        m.create_index(index("credit_evaluations", "credit_evaluations_year", &["year", "status"])).await?;
        m.create_table(table(
            "credit_proposals",
            vec![
                id(),
                int("evaluation_id"),
                text("uscc"),
                text("target_name"),
                text_null("previous_grade"),
                text("proposed_grade"),
                // The rules' reasons (JSON), and what the year's records showed (JSON).
                text("reasons"),
                text("record"),
                // The grade to confirm: the proposed one, or the organizer's with its reason.
                text("grade"),
                text_null("adjust_reason"),
            ],
        ))
        .await?;
        m.create_index(index("credit_proposals", "credit_proposals_evaluation", &["evaluation_id", "uscc"]))
            .await?;
        m.create_table(table(
            "credit_grades",
            vec![
                id(),
                text("uscc"),
                int("year"),
                text("grade"),
                text_null("previous_grade"),
                text("reason"),
                int_null("evaluation_id"),
                text("decided_by"),
                time("decided_at"),
            ],
        ))
        .await?;
        m.create_index(index("credit_grades", "credit_grades_uscc", &["uscc", "year"])).await?;
        Ok(())
    }
}
