//! Plans become lines (an item, how many, when, with whom) that are submitted to the 牵头科室
//! and approved or returned with a comment; a task names the line it carries out. Plans made
//! before keep their status (a draft or published) and have no lines; tasks made before name
//! no line.

use super::m20261123_000001_directories::{id, index, int, int_null, table, text, text_null};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000020_plan_lines"
    }
}

fn date(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "plan_lines",
            vec![
                id(),
                int("plan_id"),
                int("position"),
                text("item_code"),
                int_null("expected_count"),
                int_null("expected_ratio_bp"),
                date("window_start"),
                date("window_end"),
                // The joint departments' names, as a JSON array.
                text("joint_departments"),
                text("note"),
            ],
        ))
        .await?;
        m.create_index(index("plan_lines", "plan_lines_plan_id", &["plan_id", "position"])).await?;
        let comment = text_null("review_comment");
        m.alter_table(Table::alter().table(Alias::new("plans")).add_column(comment).to_owned()).await?;
        let line = int_null("plan_line_id");
        m.alter_table(Table::alter().table(Alias::new("tasks")).add_column(line).to_owned()).await
    }
}
