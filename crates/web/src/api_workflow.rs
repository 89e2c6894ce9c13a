//! `/api/v1` for the workflow: every step the pages take, as JSON. Bodies are the domain's own
//! documents (a task's definition, an inspection form); errors are `{"error", "field"}` with
//! the problems listed, as for the directories.

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use suiji_domain::workflow::{InspectionForm, Preview, TaskDefinition, TaskStatus};
use suiji_store::workflow::{
    self as wf, AssignmentView, Contribution, DirectTeam, DrawView, DueItem, EvidenceFile, InspectionView,
    Replacement, SeedInput, TaskView,
};

type Reply<T> = Result<Json<T>, ApiError>;

/// A JSON body, or a 400 saying why it is not one.
pub(crate) fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, format!("the body is not what this endpoint takes: {e}"))
    })
}

/// A draft task: its code (made from the year if left out), its plan and its definition.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    #[serde(default)]
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_CODE))]
    code: Option<String>,
    #[serde(default)]
    plan_id: Option<i64>,
    /// The line of an approved plan it carries out (its plan is the line's).
    #[serde(default)]
    plan_line_id: Option<i64>,
    /// The department that runs it (主办部门): by default one's own department, else the
    /// plan's, else the first department taking part.
    #[serde(default)]
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    department: Option<String>,
    definition: TaskDefinition,
}

impl TaskBody {
    fn filing(&self) -> wf::Filing<'_> {
        wf::Filing {
            code: self.code.as_deref(),
            plan_id: self.plan_id,
            plan_line: self.plan_line_id,
            department: self.department.as_deref(),
        }
    }
}

/// Tasks.
#[derive(Serialize, JsonSchema)]
pub struct Tasks {
    pub tasks: Vec<TaskView>,
}

pub async fn tasks(State(state): State<AppState>) -> Reply<Tasks> {
    Ok(Json(Tasks { tasks: wf::tasks(&state.store, false, None).await? }))
}

pub async fn add_task(State(state): State<AppState>, viewer: Viewer, bytes: Bytes) -> Reply<TaskView> {
    let b: TaskBody = body(&bytes)?;
    let (actor, own) = (viewer.user.actor(), viewer.user.own_department());
    Ok(Json(wf::save_task(&state.store, None, &b.filing(), &b.definition, &actor, own).await?))
}

pub async fn update_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<TaskView> {
    let b: TaskBody = body(&bytes)?;
    let (actor, own) = (viewer.user.actor(), viewer.user.own_department());
    Ok(Json(wf::save_task(&state.store, Some(id), &b.filing(), &b.definition, &actor, own).await?))
}

/// `GET /api/v1/tasks/{id}/overlaps`: the drawn firms another task will visit in an
/// overlapping window, not yet made (综合查一次); none before the draw.
pub async fn overlaps(State(state): State<AppState>, Path(id): Path<i64>) -> Reply<wf::Overlaps> {
    Ok(Json(wf::overlaps(&state.store, id).await?))
}

/// A task with its draws, teams and inspections.
#[derive(Serialize, JsonSchema)]
pub struct TaskSheet {
    pub task: TaskView,
    pub draws: Vec<DrawView>,
    pub assignment: Option<AssignmentView>,
    /// Members changed after the assignment, oldest first.
    pub member_changes: Vec<wf::MemberChangeView>,
    pub inspections: Vec<InspectionView>,
}

pub async fn task(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Reply<TaskSheet> {
    let mut s = crate::pages::tasks::task_sheet(&state, id, false).await?;
    crate::pages::tasks::keep_findings_to_readers(&state, &viewer, &mut s.inspections).await?;
    Ok(Json(TaskSheet {
        task: s.task,
        draws: s.draws,
        assignment: s.assignment,
        member_changes: s.member_changes,
        inspections: s.inspections,
    }))
}

pub async fn preview(State(state): State<AppState>, Path(id): Path<i64>) -> Reply<Preview> {
    Ok(Json(wf::preview_task(&state.store, id).await?))
}

pub async fn publish_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Reply<TaskView> {
    Ok(Json(wf::publish_task(&state.store, id, &viewer.user.actor()).await?))
}

/// A draft task deleted.
#[derive(Serialize, JsonSchema)]
pub struct Deleted {
    /// The deleted draft's code.
    pub deleted: String,
}

pub async fn delete_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Reply<Deleted> {
    let deleted = wf::delete_draft(&state.store, id, &viewer.user.actor()).await?;
    Ok(Json(Deleted { deleted }))
}

/// How the seed is made: the witnesses' digits, or by the system.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawBody {
    /// Each witness's name and digits, in the order called out.
    #[serde(default)]
    #[schemars(length(max = suiji_store::workflow::MAX_WITNESSES))]
    contributions: Vec<Contribution>,
    /// Let the system make the seed (recorded as such).
    #[serde(default)]
    system: bool,
}

pub async fn draw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<DrawView> {
    let b: DrawBody = body(&bytes)?;
    let seed = if b.system { SeedInput::System } else { SeedInput::Witnesses(b.contributions) };
    Ok(Json(wf::draw_task(&state.store, id, seed, &viewer.user.actor()).await?))
}

/// Why a draw is annulled.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnulBody {
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

/// A drawn target found gone, and why.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceBody {
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_CODE))]
    uscc: String,
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

pub async fn annul(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<DrawView> {
    let b: AnnulBody = body(&bytes)?;
    wf::annul_draw(&state.store, id, &b.reason, &viewer.user.actor()).await?;
    Ok(Json(wf::draw_by_id(&state.store, id).await?))
}

pub async fn replace(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<Replacement> {
    let b: ReplaceBody = body(&bytes)?;
    Ok(Json(wf::replace_gone(&state.store, id, &b.uscc, &b.reason, &viewer.user.actor()).await?))
}

/// 直接选派 (triggered tasks): the teams and the reason. An empty body, or no `direct`: teams
/// drawn by suiji-assign/1.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamsBody {
    #[serde(default)]
    #[schemars(length(max = 10000))]
    direct: Option<Vec<DirectTeam>>,
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

pub async fn teams(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<AssignmentView> {
    let b: TeamsBody = if bytes.is_empty() { TeamsBody::default() } else { body(&bytes)? };
    let a = match b.direct {
        Some(teams) => wf::assign_direct(&state.store, id, &teams, &b.reason, &viewer.user.actor()).await?,
        None => wf::assign_random(&state.store, id, &viewer.user.actor()).await?,
    };
    Ok(Json(a))
}

/// One member of a team replaced: the member's certificate number and why.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceMemberBody {
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_CODE))]
    member: String,
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

pub async fn replace_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<wf::MemberChangeView> {
    let b: ReplaceMemberBody = body(&bytes)?;
    Ok(Json(wf::replace_member(&state.store, id, &b.member, &b.reason, &viewer.user.actor()).await?))
}

/// The signed-in inspector's inspections, and everything due for publication.
#[derive(Serialize, JsonSchema)]
pub struct Inspections {
    pub mine: Vec<InspectionView>,
    pub due: Vec<DueItem>,
}

pub async fn inspections(State(state): State<AppState>, viewer: Viewer) -> Reply<Inspections> {
    let mine = match &viewer.user.inspector_cert_no {
        Some(c) => wf::inspections_of_inspector(&state.store, c).await?,
        None => Vec::new(),
    };
    Ok(Json(Inspections { mine, due: wf::due_list(&state.store).await? }))
}

pub async fn inspection(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Reply<InspectionView> {
    Ok(Json(wf::inspection_for(&state.store, id, &viewer.user.reader()).await?))
}

pub async fn save_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<InspectionView> {
    let form: InspectionForm = body(&bytes)?;
    let cert = viewer.user.inspector_cert_no.clone();
    Ok(Json(wf::save_form(&state.store, id, &form, cert.as_deref(), &viewer.user.actor()).await?))
}

pub async fn publish_result(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Reply<InspectionView> {
    let cert = viewer.user.inspector_cert_no.clone();
    Ok(Json(wf::publish_result(&state.store, id, cert.as_deref(), &viewer.user.actor()).await?))
}

/// Why a result goes back to its team.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    comment: String,
}

pub async fn approve_result(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Reply<InspectionView> {
    Ok(Json(wf::approve_result(&state.store, id, &viewer.user.actor()).await?))
}

pub async fn return_inspection(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<InspectionView> {
    let b: CommentBody = body(&bytes)?;
    Ok(Json(wf::return_inspection(&state.store, id, &b.comment, &viewer.user.actor()).await?))
}

/// A published result's correction: the whole form as corrected, and why.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    form: InspectionForm,
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

pub async fn correct(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<InspectionView> {
    let b: CorrectionBody = body(&bytes)?;
    let cert = viewer.user.inspector_cert_no.clone();
    Ok(Json(
        wf::correct_result(&state.store, id, &b.form, &b.reason, cert.as_deref(), &viewer.user.actor())
            .await?,
    ))
}

// ---- public ----

pub async fn public_tasks(State(state): State<AppState>) -> Reply<Tasks> {
    let tasks = wf::tasks(&state.store, true, None).await?;
    Ok(Json(Tasks { tasks: tasks.into_iter().map(TaskView::public).collect() }))
}

/// A team as published: the target and its inspectors (certificate number, name).
#[derive(Serialize, JsonSchema)]
pub struct PublicTeam {
    pub rank: i64,
    pub uscc: String,
    pub target_name: String,
    pub inspectors: Vec<(String, String)>,
}

/// A task's teams as published.
#[derive(Serialize, JsonSchema)]
pub struct PublicTeams {
    /// `random` or `direct`.
    pub mode: String,
    /// Why the teams were chosen directly (empty for a random assignment).
    pub reason: String,
    pub teams: Vec<PublicTeam>,
    /// Members changed after the assignment, each re-checkable with the pool.
    pub changes: Vec<wf::MemberChangeView>,
}

/// A published task: its definition, commitment, draws and teams (no forms, no findings).
#[derive(Serialize, JsonSchema)]
pub struct PublicTask {
    pub task: TaskView,
    pub draws: Vec<DrawView>,
    pub teams: Option<PublicTeams>,
}

pub async fn public_task(State(state): State<AppState>, Path(code): Path<String>) -> Reply<PublicTask> {
    let t = wf::task_by_code(&state.store, &code).await?;
    if t.status == TaskStatus::Draft {
        return Err(ApiError::not_found());
    }
    let draws = wf::draws_of(&state.store, t.id).await?;
    let changes = wf::member_changes(&state.store, t.id).await?;
    let teams = wf::assignment_of_task(&state.store, t.id).await?.map(|a| PublicTeams {
        changes,
        mode: a.mode,
        reason: a.reason,
        teams: a
            .teams
            .into_iter()
            .map(|t| PublicTeam {
                rank: t.rank,
                uscc: t.uscc,
                target_name: t.target_name,
                inspectors: t.members,
            })
            .collect(),
    });
    Ok(Json(PublicTask { task: t.public(), draws, teams }))
}

pub use crate::pages::disclosure::results_json as public_results;

#[derive(Deserialize, JsonSchema)]
pub struct EvidenceQuery {
    /// The file's name, kept as a label.
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    name: String,
}

/// Adds an evidence file: the body is the file, `?name=` its name, Content-Type its type.
pub async fn add_evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<EvidenceQuery>,
    headers: axum::http::HeaderMap,
    bytes: Bytes,
) -> Reply<EvidenceFile> {
    let content_type = crate::files::content_type(&headers);
    let cert = viewer.user.inspector_cert_no.clone();
    Ok(Json(
        wf::add_evidence(
            &state.store,
            id,
            &q.name,
            content_type,
            bytes.to_vec(),
            cert.as_deref(),
            &viewer.user.actor(),
        )
        .await?,
    ))
}
