//! 合并检查 (综合查一次), the API, the page's form and the public files side by side: the firms
//! two tasks both drew for the same weeks are visited once, by one joint team drawn under
//! `suiji-assign/1` (seed `<seed A>+<seed B>/merge`); each task keeps its own inspection and
//! publishes its own result. Anyone re-checks the joint teams with `merge.json`,
//! `inspectors.csv` and `recusals.csv` (`suiji verify --merge`).

use crate::api_workflow::body;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::files::{csv, json_file};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, done_or_error, page_error};
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use suiji_store::workflow::{self as wf, MergeView};

type Reply<T> = Result<Json<T>, ApiError>;

/// `{with, targets}`: the other task and the firms both drew.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The other task's number.
    #[schemars(range(min = 1))]
    pub with: i64,
    /// The firms' USCCs.
    #[schemars(length(min = 1, max = wf::MAX_MERGE_TARGETS), inner(length(min = 1, max = suiji_domain::text::MAX_CODE)))]
    pub targets: Vec<String>,
}

/// The other task must be within the account's reach too (a 业务科室 merges its own tasks).
async fn both_in_reach(state: &AppState, viewer: &Viewer, with: i64) -> Result<(), wf::WorkflowError> {
    wf::task_in_reach(&state.store, with, viewer.user.own_department()).await
}

/// `POST /api/v1/tasks/{id}/merge`
pub async fn api_merge(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<MergeView> {
    let b: MergeBody = body(&bytes)?;
    both_in_reach(&state, &viewer, b.with).await?;
    Ok(Json(wf::merge_visits(&state.store, id, b.with, &b.targets, &viewer.user.actor()).await?))
}

/// A task's merges, either side.
#[derive(Serialize, JsonSchema)]
pub struct Merges {
    pub merges: Vec<MergeView>,
}

/// `GET /api/v1/tasks/{id}/merges`
pub async fn api_merges(State(state): State<AppState>, Path(id): Path<i64>) -> Reply<Merges> {
    wf::task(&state.store, id).await?;
    Ok(Json(Merges { merges: wf::merges_of_task(&state.store, id).await? }))
}

/// `POST /staff/tasks/{id}/merge`: the overlap list's button — `with` and the firms, one
/// `targets` field each (or one field, a firm a line).
pub async fn merge(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Ok(with) = f.get("with").trim().parse::<i64>() else {
        return done_or_error::<()>(
            lang,
            Err(wf::WorkflowError::Invalid(vec![suiji_domain::workflow::Invalid::new(
                "with",
                "请选择要合并的任务",
                "choose the task to merge with",
            )])),
            "",
        );
    };
    let targets: Vec<String> = f.all("targets");
    let result = match both_in_reach(&state, &viewer, with).await {
        Ok(()) => wf::merge_visits(&state.store, id, with, &targets, &viewer.user.actor()).await,
        Err(e) => Err(e),
    };
    done_or_error(lang, result, &format!("/staff/tasks/{id}#merges"))
}

async fn published(state: &AppState, lang: Lang, id: i64, f: impl FnOnce(MergeView) -> Response) -> Response {
    match wf::merge_by_id(&state.store, id).await {
        Ok(m) => f(m),
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// `GET /public/merges/{id}/merge.json`: the joint teams (`suiji-assign/1`).
pub async fn merge_json(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    published(&state, lang, id, |m| json_file(serde_json::to_string_pretty(&m.document).unwrap_or_default()))
        .await
}

/// `GET /public/merges/{id}/inspectors.csv`: the pool the joint teams were drawn from.
pub async fn inspectors_csv(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    published(&state, lang, id, |m| csv("inspectors.csv", m.inspectors_csv)).await
}

/// `GET /public/merges/{id}/recusals.csv`: the recusals kept (no reasons).
pub async fn recusals_csv(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    published(&state, lang, id, |m| csv("recusals.csv", m.recusals_csv)).await
}
