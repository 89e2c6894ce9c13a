//! Schema migrations: the same statements for SQLite and PostgreSQL, written with sea-query
//! so each backend gets its own dialect. A migration, once released, never changes.

use sea_orm_migration::prelude::*;

mod m20261123_000001_directories;
mod m20261123_000002_accounts_audit;
mod m20261130_000003_workflow;
mod m20261130_000004_settings;
mod m20261130_000005_list_counts;
mod m20261202_000006_sign_in;
mod m20261202_000007_open_inspections;
mod m20261202_000008_checkpoints;
mod m20261203_000009_form_tokens;
mod m20261203_000010_result_approval;
mod m20261203_000011_jobs;
mod m20261206_000012_rectifications;
mod m20261206_000013_penalties;
mod m20261206_000014_credit;
mod m20261206_000015_lists;
mod m20261206_000016_push;
pub(crate) mod m20261206_000017_departments;
mod m20261206_000018_task_rules;
mod m20261206_000019_trainings;
mod m20261206_000020_plan_lines;
mod m20261206_000021_owners;
mod m20261207_000022_draw_notes;
mod m20261207_000023_member_changes;
mod m20261207_000024_leads;
mod m20261207_000025_merges;
mod m20261207_000026_item_scopes;
mod m20261207_000027_lead_closures;
mod m20261207_000028_plan_line_industries;
mod m20261207_000029_control_samples;
mod m20261207_000030_inspection_facts;
mod m20261207_000031_inspection_verdicts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_directories::Migration),
            Box::new(m20261123_000002_accounts_audit::Migration),
            Box::new(m20261130_000003_workflow::Migration),
            Box::new(m20261130_000004_settings::Migration),
            Box::new(m20261130_000005_list_counts::Migration),
            Box::new(m20261202_000006_sign_in::Migration),
            Box::new(m20261202_000007_open_inspections::Migration),
            Box::new(m20261202_000008_checkpoints::Migration),
            Box::new(m20261203_000009_form_tokens::Migration),
            Box::new(m20261203_000010_result_approval::Migration),
            Box::new(m20261203_000011_jobs::Migration),
            Box::new(m20261206_000012_rectifications::Migration),
            Box::new(m20261206_000013_penalties::Migration),
            Box::new(m20261206_000014_credit::Migration),
            Box::new(m20261206_000015_lists::Migration),
            Box::new(m20261206_000016_push::Migration),
            Box::new(m20261206_000017_departments::Migration),
            Box::new(m20261206_000018_task_rules::Migration),
            Box::new(m20261206_000019_trainings::Migration),
            Box::new(m20261206_000020_plan_lines::Migration),
            Box::new(m20261206_000021_owners::Migration),
            Box::new(m20261207_000022_draw_notes::Migration),
            Box::new(m20261207_000023_member_changes::Migration),
            Box::new(m20261207_000024_leads::Migration),
            Box::new(m20261207_000025_merges::Migration),
            Box::new(m20261207_000026_item_scopes::Migration),
            Box::new(m20261207_000027_lead_closures::Migration),
            Box::new(m20261207_000028_plan_line_industries::Migration),
            Box::new(m20261207_000029_control_samples::Migration),
            Box::new(m20261207_000030_inspection_facts::Migration),
            Box::new(m20261207_000031_inspection_verdicts::Migration),
        ]
    }
}
