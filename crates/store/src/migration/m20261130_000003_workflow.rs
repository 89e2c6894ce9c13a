//! The inspection workflow: plans, tasks and their committed populations, draws with their
//! seed contributions and entries, assignments (teams), inspections with their members and
//! evidence, publications; and the link from an inspector's account to its certificate.

use super::m20261123_000001_directories::{
    id, index, int, int_null, table, text, text_null, time, unique_index,
};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000003_workflow"
    }
}

fn time_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().null().to_owned()
}

fn date_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().null().to_owned()
}

fn flag(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).boolean().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            table(
                "plans",
                vec![
                    id(),
                    int("year"),
                    text("department"),
                    text("title"),
                    text("description"),
                    text("status"),
                    text("created_by"),
                    time("created_at"),
                    time("updated_at"),
                    time_null("published_at"),
                ],
            ),
            table(
                "tasks",
                vec![
                    id(),
                    text("code"),
                    int_null("plan_id"),
                    int("year"),
                    text("title"),
                    text("kind"),
                    // The task's definition (suiji_domain::workflow::TaskDefinition) as JSON:
                    // one document, frozen when the task is published.
                    text("definition"),
                    text("status"),
                    text("created_by"),
                    time("created_at"),
                    time("updated_at"),
                    time_null("published_at"),
                    text_null("population_sha256"),
                    int_null("population_size"),
                    int_null("at_cap"),
                ],
            ),
            // The population a published task committed to: one row per entity.
            table("task_population", vec![int("task_id"), text("uscc"), int("weight"), text("stratum")]),
            table(
                "draws",
                vec![
                    id(),
                    int("task_id"),
                    text("seed"),
                    // `witnesses` (digits entered by people) or `system` (generated, said so).
                    text("seed_source"),
                    // [{"name": …, "digits": …}] in the order they were joined.
                    text("contributions"),
                    // The protocol's draw document, reserve included.
                    text("document"),
                    text("status"),
                    text("drawn_by"),
                    time("drawn_at"),
                    text_null("annul_reason"),
                    text_null("annulled_by"),
                    time_null("annulled_at"),
                ],
            ),
            // Each selected and reserve entity of a draw; `state` is selected, reserve, gone
            // (replaced) or replacement. The yearly cap counts these.
            table(
                "draw_entries",
                vec![
                    int("draw_id"),
                    int("task_id"),
                    int("year"),
                    int("rank"),
                    text("uscc"),
                    text("stratum"),
                    text("state"),
                    flag("counts_to_cap"),
                ],
            ),
            table(
                "draw_replacements",
                vec![
                    id(),
                    int("draw_id"),
                    text("gone_uscc"),
                    text("replacement_uscc"),
                    text("reason"),
                    text("actor"),
                    time("at"),
                ],
            ),
            table(
                "assignments",
                vec![
                    id(),
                    int("task_id"),
                    int("draw_id"),
                    // `random` (suiji-assign/1) or `direct` (直接选派, triggered tasks only).
                    text("mode"),
                    text("reason"),
                    // The assignment document (random) or the chosen teams (direct), as JSON.
                    text("document"),
                    // The pool and the recusals it was made from, as the published CSV files.
                    text("inspectors_csv"),
                    text("recusals_csv"),
                    text("status"),
                    text("created_by"),
                    time("created_at"),
                ],
            ),
            table(
                "inspections",
                vec![
                    id(),
                    int("task_id"),
                    int("assignment_id"),
                    int("rank"),
                    text("uscc"),
                    text("target_name"),
                    // assigned, entered, returned, published, annulled.
                    text("status"),
                    text_null("form"),
                    text_null("review_comment"),
                    ColumnDef::new(Alias::new("publish_by")).date().null().to_owned(),
                    text_null("updated_by"),
                    time_null("updated_at"),
                ],
            ),
            table(
                "inspection_members",
                vec![int("inspection_id"), text("cert_no"), text("name"), int("position")],
            ),
            table(
                "evidence",
                vec![
                    id(),
                    int("inspection_id"),
                    text("file_name"),
                    text("content_type"),
                    text("sha256"),
                    int("size"),
                    ColumnDef::new(Alias::new("data")).binary().not_null().to_owned(),
                    text("added_by"),
                    time("added_at"),
                ],
            ),
            table(
                "publications",
                vec![
                    id(),
                    int("inspection_id"),
                    int("version"),
                    text("uscc"),
                    text("target_name"),
                    // suiji_domain::workflow::PublicResult as JSON: what the portal shows.
                    text("content"),
                    // current or corrected.
                    text("status"),
                    text("reason"),
                    text("published_by"),
                    time("published_at"),
                    date_null("due_on"),
                ],
            ),
        ];
        for t in tables {
            m.create_table(t).await?;
        }
        m.alter_table(
            Table::alter().table(Alias::new("users")).add_column(text_null("inspector_cert_no")).to_owned(),
        )
        .await?;
        for i in [
            index("plans", "plans_year", &["year"]),
            unique_index("tasks", "tasks_code", &["code"]),
            index("tasks", "tasks_plan", &["plan_id"]),
            unique_index("task_population", "task_population_entity", &["task_id", "uscc"]),
            index("draws", "draws_task", &["task_id"]),
            index("draw_entries", "draw_entries_draw", &["draw_id", "rank"]),
            index("draw_entries", "draw_entries_cap", &["year", "uscc"]),
            index("draw_replacements", "draw_replacements_draw", &["draw_id"]),
            index("assignments", "assignments_task", &["task_id"]),
            index("inspections", "inspections_task", &["task_id"]),
            index("inspections", "inspections_uscc", &["uscc"]),
            index("inspection_members", "inspection_members_inspection", &["inspection_id"]),
            index("inspection_members", "inspection_members_cert", &["cert_no"]),
            index("evidence", "evidence_inspection", &["inspection_id"]),
            index("publications", "publications_inspection", &["inspection_id"]),
            index("publications", "publications_uscc", &["uscc"]),
        ] {
            m.create_index(i).await?;
        }
        Ok(())
    }
}
