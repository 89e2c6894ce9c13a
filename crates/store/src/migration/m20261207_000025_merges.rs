//! 合并检查 (综合查一次): two tasks' visits to the same firms made one. A merge keeps the two
//! tasks, the joint teams' document with the pool and recusals it was drawn from, who made it
//! and when; a joint visit row ties each firm's two inspections (one a task, each keeping its
//! own items and publishing its own result) to the merge.

use super::m20261123_000001_directories::{id, index, int, table, text, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000025_merges"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "merges",
            vec![
                id(),
                // The task merged from (its seed first) and the task it merged with.
                int("task_id"),
                int("with_task_id"),
                text("seed"),
                // suiji_draw::AssignmentDocument as JSON: the joint teams in the firms' order.
                text("document"),
                // The pool (`id,department`) and recusals (`inspector_id,target_id`) drawn from.
                text("inspectors_csv"),
                text("recusals_csv"),
                text("created_by"),
                time("created_at"),
            ],
        ))
        .await?;
        m.create_index(index("merges", "merges_task", &["task_id"])).await?;
        m.create_index(index("merges", "merges_with_task", &["with_task_id"])).await?;
        m.create_table(table(
            "joint_visits",
            vec![id(), int("merge_id"), text("uscc"), int("inspection_id"), int("with_inspection_id")],
        ))
        .await?;
        m.create_index(index("joint_visits", "joint_visits_merge", &["merge_id"])).await?;
        m.create_index(index("joint_visits", "joint_visits_inspection", &["inspection_id"])).await?;
        m.create_index(index("joint_visits", "joint_visits_with_inspection", &["with_inspection_id"])).await
    }
}
