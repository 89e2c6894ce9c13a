//! The inspection workflow in the store: plans, tasks and their commitments, draws, teams,
//! inspections and publications. Every change runs in a transaction from [`audit::begin`] and
//! appends its audit entry before committing; every rule that can refuse a change is checked
//! before anything is written.
//!
//! [`audit::begin`]: crate::audit::begin

mod draws;
mod inspections;
mod leads;
mod ledger;
mod members;
mod merges;
mod overlaps;
mod penalties;
mod plans;
mod progress;
mod rectifications;
mod tasks;
mod teams;
mod uploads;

pub use draws::{
    Contribution, DrawView, MAX_WITNESSES, MIN_ENTROPY_DIGITS, Replacement, SeedInput, TO_INSPECT,
    annul_draw, control_population_csv, draw_by_id, draw_task, draw_task_reporting, draws_of, replace_gone,
};
pub use inspections::{
    DueItem, EvidenceFile, InspectionView, Overdue, PublicationView, Reader, ResultsPage, TaskReading,
    Withholding, add_evidence, approve_result, china_today, correct_result, due_list, evidence_file,
    inspection, inspection_for, inspections_of_inspector, inspections_of_target, inspections_of_task,
    overdue, public_results, public_results_raw, publish_result, return_inspection, save_form, status_en,
    status_zh, task_reading, withhold_result, without_findings,
};
pub use leads::{
    LeadFile, LeadTarget, LeadView, MAX_LEADS_LISTED, MultiPoint, add_lead_file, close_lead, count_leads,
    lead, lead_file, lead_in_reach, leads, multi_point, register_lead,
};
pub use ledger::{Ledger, Visit, ledger};
pub use members::{MemberChangeView, member_change, member_changes, replace_member};
pub use merges::{
    FormScope, JointPartner, JointVisitView, MAX_MERGE_TARGETS, MergeView, Mergeable, form_scope,
    joint_partner, merge_by_id, merge_visits, mergeable, merges_of_task,
};
pub use overlaps::{Overlap, Overlaps, overlaps};
pub use penalties::{
    PenaltyNoticeView, PenaltyNoticesPage, PenaltyView, correct_penalty, penalties, penalties_due,
    penalties_of_inspection, penalties_of_target, penalty, public_penalties, publish_penalty, record_penalty,
};
pub use plans::{
    JointOffer, LineExecution, MAX_JOINT_OFFERS, NewPlan, OfferedLine, PlanLineView, PlanView, execution,
    joint_offers, plan, plan_in_reach, plan_step, plans, publish_plan, save_plan,
};
pub use progress::{DepartmentLoad, TaskProgress, by_department, progress};
pub use rectifications::{
    FollowUpView, RectificationView, escalate, extend, rectification, rectification_of, rectifications,
    rectifications_of_target, schedule_follow_up,
};
pub(crate) use tasks::item_facts as item_facts_of;
pub(crate) use tasks::owner as task_owner;
pub use tasks::{
    Filing, TaskView, active_items, delete_draft, departments, draw_in_reach, inspection_in_reach,
    population_csv, preview, preview_task, publish_task, publish_task_reporting, save_task, task,
    task_by_code, task_in_reach, task_items, tasks,
};
pub use teams::{
    AssignmentView, DirectTeam, TeamView, assign_direct, assign_random, assign_random_reporting,
    assignment_of_draw, assignment_of_task, names_in_draws, names_of,
};
pub use uploads::MAX_EVIDENCE_BYTES;

use crate::StoreError;
use suiji_domain::workflow::Invalid;

/// Why a workflow step was refused. Nothing is written when any of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// The input breaks a rule; each problem names its field.
    #[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Invalid>),
    #[error("{zh} / {en}")]
    NotFound { zh: String, en: String },
    /// The step does not fit where the task is (edit after publishing, draw twice…).
    #[error("{zh} / {en}")]
    State { zh: String, en: String },
    /// The actor may not take this step on this object (not a member of the team…).
    #[error("{zh} / {en}")]
    Forbidden { zh: String, en: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for WorkflowError {
    fn from(e: sea_orm::DbErr) -> Self {
        WorkflowError::Store(StoreError::Db(e))
    }
}

impl WorkflowError {
    pub(crate) fn not_found(zh: impl Into<String>, en: impl Into<String>) -> WorkflowError {
        WorkflowError::NotFound { zh: zh.into(), en: en.into() }
    }

    pub(crate) fn state(zh: impl Into<String>, en: impl Into<String>) -> WorkflowError {
        WorkflowError::State { zh: zh.into(), en: en.into() }
    }

    pub(crate) fn invalid(field: &str, zh: impl Into<String>, en: impl Into<String>) -> WorkflowError {
        WorkflowError::Invalid(vec![Invalid::new(field, zh, en)])
    }

    /// The message in Chinese, for pages.
    pub fn zh(&self) -> String {
        match self {
            WorkflowError::Invalid(problems) => {
                problems.iter().map(|p| p.zh.clone()).collect::<Vec<_>>().join("；")
            }
            WorkflowError::NotFound { zh, .. }
            | WorkflowError::State { zh, .. }
            | WorkflowError::Forbidden { zh, .. } => zh.clone(),
            WorkflowError::Store(e) => format!("数据库错误：{e}"),
        }
    }

    /// The message in English, for pages.
    pub fn en(&self) -> String {
        match self {
            WorkflowError::Invalid(problems) => {
                problems.iter().map(|p| p.en.clone()).collect::<Vec<_>>().join("; ")
            }
            WorkflowError::NotFound { en, .. }
            | WorkflowError::State { en, .. }
            | WorkflowError::Forbidden { en, .. } => en.clone(),
            WorkflowError::Store(e) => format!("database error: {e}"),
        }
    }
}

/// A page of `limit` rows out of the `limit + 1` read, newest first, and where the next page
/// starts (the last row's id), or `None` when these were the last.
pub(crate) fn keyset_page<T>(mut rows: Vec<T>, limit: u64, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
    if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        let next = rows.last().map(id);
        (rows, next)
    } else {
        (rows, None)
    }
}

/// A JSON column read back: a row that does not parse was written by something other than
/// suiji, and is reported as a database error rather than a panic.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, WorkflowError> {
    serde_json::from_str(text).map_err(|e| {
        WorkflowError::Store(StoreError::Db(sea_orm::DbErr::Custom(format!("{what} is not valid: {e}"))))
    })
}

/// One CSV field, quoted when it must be (RFC 4180).
pub(crate) fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}
