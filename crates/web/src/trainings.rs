//! 执法人员培训, pages and API side by side: an inspector's training shown on its record, where
//! those who keep the inspector directory add a course; the API reads and adds the same. The
//! bureau's requirement (trained within N months to be drawn) is a setting; the rules are the
//! domain's (`suiji_domain::training`).

use crate::api_workflow::body;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, page_error};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use schemars::JsonSchema;
use serde::Serialize;
use suiji_domain::training::Training;
use suiji_store::training::{self, TrainingView};
use suiji_store::workflow::WorkflowError;

#[derive(Serialize, JsonSchema)]
pub struct Trainings {
    /// Newest first.
    pub trainings: Vec<TrainingView>,
}

/// `GET /api/v1/inspectors/{key}/trainings`
pub async fn api_list(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<Trainings>, ApiError> {
    Ok(Json(Trainings { trainings: training::of_inspector(&state.store, &key).await? }))
}

/// `POST /api/v1/inspectors/{key}/trainings`: `{course, held_on, hours, provider?}`.
pub async fn api_add(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
    bytes: axum::body::Bytes,
) -> Result<Json<TrainingView>, ApiError> {
    let t: Training = body(&bytes)?;
    Ok(Json(training::add(&state.store, &key, &t, &viewer.user.actor()).await?))
}

/// `POST /staff/inspectors/{key}/trainings`: the course's fields.
pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(key): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let mut problems = Vec::new();
    let held_on = f.required_date("held_on", &mut problems);
    let hours = f.number("hours", &mut problems, 0);
    if !problems.is_empty() {
        return page_error(lang, WorkflowError::Invalid(problems)).into_response();
    }
    let t = Training {
        course: f.get("course").to_owned(),
        held_on,
        hours,
        provider: f.get("provider").to_owned(),
    };
    match training::add(&state.store, &key, &t, &viewer.user.actor()).await {
        Ok(_) => Redirect::to(&format!("/staff/inspectors/{}#trainings", crate::auth::urlencode(&key)))
            .into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}
