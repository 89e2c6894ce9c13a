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
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use suiji_domain::workflow::{InspectionForm, TaskDefinition, TaskStatus};
use suiji_store::workflow::{self as wf, Contribution, DirectTeam, NewPlan, SeedInput};

type Reply = Result<Json<Value>, ApiError>;

/// A JSON body, or a 400 saying why it is not one.
fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, format!("the body is not what this endpoint takes: {e}"))
    })
}

fn to_json(v: impl serde::Serialize) -> Reply {
    Ok(Json(
        serde_json::to_value(v)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?,
    ))
}

pub async fn plans(State(state): State<AppState>) -> Reply {
    to_json(json!({ "plans": wf::plans(&state.store, false).await? }))
}

pub async fn add_plan(State(state): State<AppState>, viewer: Viewer, bytes: Bytes) -> Reply {
    let plan: NewPlan = body(&bytes)?;
    to_json(wf::save_plan(&state.store, None, &plan, &viewer.user.actor()).await?)
}

/// Changes a draft plan.
pub async fn update_plan(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply {
    let plan: NewPlan = body(&bytes)?;
    to_json(wf::save_plan(&state.store, Some(id), &plan, &viewer.user.actor()).await?)
}

pub async fn publish_plan(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Reply {
    to_json(wf::publish_plan(&state.store, id, &viewer.user.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    plan_id: Option<i64>,
    definition: TaskDefinition,
}

pub async fn tasks(State(state): State<AppState>) -> Reply {
    to_json(json!({ "tasks": wf::tasks(&state.store, false, None).await? }))
}

pub async fn add_task(State(state): State<AppState>, viewer: Viewer, bytes: Bytes) -> Reply {
    let b: TaskBody = body(&bytes)?;
    to_json(
        wf::save_task(&state.store, None, b.plan_id, b.code.as_deref(), &b.definition, &viewer.user.actor())
            .await?,
    )
}

pub async fn update_task(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply {
    let b: TaskBody = body(&bytes)?;
    to_json(
        wf::save_task(
            &state.store,
            Some(id),
            b.plan_id,
            b.code.as_deref(),
            &b.definition,
            &viewer.user.actor(),
        )
        .await?,
    )
}

/// A task with its draws, teams and inspections.
pub async fn task(State(state): State<AppState>, Path(id): Path<i64>) -> Reply {
    let s = crate::pages::tasks::task_sheet(&state, id, false).await?;
    to_json(
        json!({ "task": s.task, "draws": s.draws, "assignment": s.assignment, "inspections": s.inspections }),
    )
}

pub async fn preview(State(state): State<AppState>, Path(id): Path<i64>) -> Reply {
    to_json(wf::preview_task(&state.store, id).await?)
}

pub async fn publish_task(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Reply {
    to_json(wf::publish_task(&state.store, id, &viewer.user.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawBody {
    #[serde(default)]
    contributions: Vec<Contribution>,
    /// Let the system make the seed (recorded as such).
    #[serde(default)]
    system: bool,
}

pub async fn draw(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>, bytes: Bytes) -> Reply {
    let b: DrawBody = body(&bytes)?;
    let seed = if b.system { SeedInput::System } else { SeedInput::Witnesses(b.contributions) };
    to_json(wf::draw_task(&state.store, id, seed, &viewer.user.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    reason: String,
    #[serde(default)]
    uscc: String,
}

pub async fn annul(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply {
    let b: ReasonBody = body(&bytes)?;
    wf::annul_draw(&state.store, id, &b.reason, &viewer.user.actor()).await?;
    to_json(wf::draw_by_id(&state.store, id).await?)
}

pub async fn replace(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply {
    let b: ReasonBody = body(&bytes)?;
    to_json(wf::replace_gone(&state.store, id, &b.uscc, &b.reason, &viewer.user.actor()).await?)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TeamsBody {
    /// 直接选派 (triggered tasks): the teams and the reason. Absent: by suiji-assign/1.
    #[serde(default)]
    direct: Option<Vec<DirectTeam>>,
    #[serde(default)]
    reason: String,
}

pub async fn teams(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply {
    let b: TeamsBody = if bytes.is_empty() { TeamsBody::default() } else { body(&bytes)? };
    let a = match b.direct {
        Some(teams) => wf::assign_direct(&state.store, id, &teams, &b.reason, &viewer.user.actor()).await?,
        None => wf::assign_random(&state.store, id, &viewer.user.actor()).await?,
    };
    to_json(a)
}

/// The signed-in inspector's inspections, and everything due for publication.
pub async fn inspections(State(state): State<AppState>, viewer: Viewer) -> Reply {
    let mine = match &viewer.user.inspector_cert_no {
        Some(c) => wf::inspections_of_inspector(&state.store, c).await?,
        None => Vec::new(),
    };
    to_json(json!({ "mine": mine, "due": wf::due_list(&state.store).await? }))
}

pub async fn inspection(State(state): State<AppState>, Path(id): Path<i64>) -> Reply {
    to_json(wf::inspection(&state.store, id).await?)
}

pub async fn save_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply {
    let form: InspectionForm = body(&bytes)?;
    let cert = viewer.user.inspector_cert_no.clone();
    to_json(wf::save_form(&state.store, id, &form, cert.as_deref(), &viewer.user.actor()).await?)
}

pub async fn publish_result(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Reply {
    let cert = viewer.user.inspector_cert_no.clone();
    to_json(wf::publish_result(&state.store, id, cert.as_deref(), &viewer.user.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    comment: String,
}

pub async fn return_inspection(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply {
    let b: CommentBody = body(&bytes)?;
    to_json(wf::return_inspection(&state.store, id, &b.comment, &viewer.user.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    form: InspectionForm,
    reason: String,
}

pub async fn correct(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply {
    let b: CorrectionBody = body(&bytes)?;
    let cert = viewer.user.inspector_cert_no.clone();
    to_json(
        wf::correct_result(&state.store, id, &b.form, &b.reason, cert.as_deref(), &viewer.user.actor())
            .await?,
    )
}

// ---- public ----

pub async fn public_plans(State(state): State<AppState>) -> Reply {
    to_json(json!({ "plans": wf::plans(&state.store, true).await? }))
}

pub async fn public_tasks(State(state): State<AppState>) -> Reply {
    to_json(json!({ "tasks": wf::tasks(&state.store, true, None).await? }))
}

/// A published task: its definition, commitment, draws and teams (no forms, no findings).
pub async fn public_task(State(state): State<AppState>, Path(code): Path<String>) -> Reply {
    let t = wf::task_by_code(&state.store, &code).await?;
    if t.status == TaskStatus::Draft {
        return Err(ApiError::not_found());
    }
    let draws = wf::draws_of(&state.store, t.id).await?;
    let teams = wf::assignment_of_task(&state.store, t.id).await?.map(|a| {
        json!({
            "mode": a.mode,
            "reason": a.reason,
            "teams": a.teams.iter().map(|t| json!({"rank": t.rank, "uscc": t.uscc, "target_name": t.target_name, "inspectors": t.members})).collect::<Vec<_>>(),
        })
    });
    to_json(json!({ "task": t, "draws": draws, "teams": teams }))
}

pub use crate::pages::disclosure::results_json as public_results;

#[derive(Deserialize)]
pub struct EvidenceQuery {
    /// The file's name, kept as a label.
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
) -> Reply {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream");
    let cert = viewer.user.inspector_cert_no.clone();
    to_json(
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
    )
}
