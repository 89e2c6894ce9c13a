//! 更换检查组成员: one member of a team changed after the assignment (a 回避 declared late,
//! illness, a departure), drawn again under `suiji-assign/1` from the assignment's pool; the
//! change keeps who left, who came, why, and the document anyone can re-check.

use super::m20261123_000001_directories::{id, index, int, table, text, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000023_member_changes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "member_changes",
            vec![
                id(),
                int("inspection_id"),
                int("task_id"),
                // The n-th change of the inspection's team, from 1: part of its seed.
                int("n"),
                text("gone_cert"),
                text("gone_name"),
                text("chosen_cert"),
                text("chosen_name"),
                text("reason"),
                // suiji_draw::MemberReplacement as JSON.
                text("document"),
                text("actor"),
                time("at"),
            ],
        ))
        .await?;
        m.create_index(index("member_changes", "member_changes_inspection", &["inspection_id"])).await?;
        m.create_index(index("member_changes", "member_changes_task", &["task_id"])).await
    }
}
