//! The JSON API under `/api/v1`: the same lists and checks as the pages, for programs. Errors
//! are `{"error": …, "field": …}` with a 4xx status.

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::records::{self, Row};
use crate::state::AppState;
use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde_json::{Map, Value, json};
use suiji_domain::directory::ListKind;
use suiji_store::directory::Filter;

/// Query parameters, refused as a JSON error naming the field.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str::<T>(query).map(ApiQuery).map_err(|e| {
            // Every parameter is optional, so the first one that fails alone is the bad one.
            let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
            let field = pairs
                .iter()
                .find(|pair| {
                    let one = serde_urlencoded::to_string([pair]).unwrap_or_default();
                    serde_urlencoded::from_str::<T>(&one).is_err()
                })
                .map(|(k, _)| k.clone());
            ApiError {
                status: StatusCode::BAD_REQUEST,
                error: format!("bad query parameter: {e}"),
                field,
                problems: Vec::new(),
            }
        })
    }
}

/// The paging parameters of a list.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub q: Option<String>,
    pub status: Option<String>,
    pub after: Option<i64>,
    pub limit: Option<u64>,
}

/// Rows per response unless `limit` says otherwise, and the most `limit` may ask.
pub(crate) const DEFAULT_LIMIT: u64 = 100;
pub(crate) const MAX_LIMIT: u64 = 1000;

impl ListParams {
    fn filter(&self) -> Result<Filter, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::field(
                StatusCode::BAD_REQUEST,
                "limit",
                format!("limit must be 1 to {MAX_LIMIT}"),
            ));
        }
        Ok(Filter { q: self.q.clone(), status: self.status.clone(), after: self.after, limit })
    }
}

/// A record as a JSON object keyed by the columns' code names (those at `positions`).
fn object(list: ListKind, row: &Row, positions: &[usize]) -> Value {
    let mut map = Map::new();
    map.insert("key".into(), row.key.clone().into());
    for &i in positions {
        map.insert(list.columns()[i].name.into(), row.cells.get(i).cloned().unwrap_or_default().into());
    }
    Value::Object(map)
}

fn all_columns(list: ListKind) -> Vec<usize> {
    (0..list.columns().len()).collect()
}

pub async fn list(
    list: ListKind,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let filter = params.filter()?;
    let (rows, next) = records::page(&state.store, list, &filter).await?;
    let positions = all_columns(list);
    let records: Vec<Value> = rows.iter().map(|r| object(list, r, &positions)).collect();
    Ok(Json(json!({ "records": records, "next": next })))
}

pub async fn record(
    list: ListKind,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = records::find(&state.store, list, &key).await?.ok_or_else(ApiError::not_found)?;
    let history: Vec<Value> = suiji_store::directory::history(&state.store, list, &key)
        .await?
        .into_iter()
        .map(|h| {
            json!({ "field": h.field, "old": h.old_value, "new": h.new_value, "actor": h.actor, "at": h.at, "batch": h.batch_id })
        })
        .collect();
    Ok(Json(json!({ "record": object(list, &row, &all_columns(list)), "history": history })))
}

async fn public_list(state: &AppState, list: ListKind, params: &ListParams) -> Result<Json<Value>, ApiError> {
    let found = records::public_page(&state.store, list, &params.filter()?).await?;
    let records: Vec<Value> = found
        .rows
        .into_iter()
        .map(|row| {
            let mut map = Map::new();
            map.insert("key".into(), row.key.into());
            for (column, cell) in found.columns.iter().zip(row.cells) {
                map.insert(column.name.into(), cell.into());
            }
            Value::Object(map)
        })
        .collect();
    Ok(Json(json!({ "records": records, "next": found.next })))
}

pub async fn public_items(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    public_list(&state, ListKind::Items, &p).await
}

pub async fn public_targets(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    public_list(&state, ListKind::Targets, &p).await
}

pub async fn public_inspectors(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<Value>, ApiError> {
    public_list(&state, ListKind::Inspectors, &p).await
}

pub async fn me(viewer: Viewer) -> Json<Value> {
    Json(json!({
        "username": viewer.user.username,
        "display_name": viewer.user.display_name,
        "role": viewer.user.role,
        "department": viewer.user.department,
    }))
}

/// A request body that must be a JSON object.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("the body is not a JSON object: {e}")))
}

/// The bureau's settings.
pub async fn settings(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(suiji_store::settings::load(&state.store).await?)))
}

/// Changes settings: a JSON object of setting → value (`true`/`false` or a string), all or none.
pub async fn set_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let object = json_object(&body)?;
    let changes: Vec<(String, String)> = object
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (name, text)
        })
        .collect();
    match suiji_store::settings::set(&state.store, &changes, &viewer.user.actor()).await {
        Ok(settings) => Ok(Json(json!(settings))),
        Err(suiji_store::settings::SetError::Invalid(e)) => {
            Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, e.field(), e.to_string()))
        }
        Err(suiji_store::settings::SetError::Store(e)) => Err(e.into()),
    }
}

/// What a save or an import did, as JSON.
fn summary(key: Option<&str>, s: &suiji_store::directory::ImportSummary) -> Value {
    json!({
        "key": key,
        "batch": s.batch_id,
        "rows": s.rows,
        "added": s.added,
        "changed": s.changed,
        "unchanged": s.unchanged,
        "retired": s.retired,
    })
}

/// A refused change: 422, the first problem's column as `field`, every problem listed.
fn rejected(problems: &[suiji_domain::directory::Problem]) -> ApiError {
    let first = problems.first();
    let error = first.map_or_else(|| "rejected".to_owned(), |p| format!("{}: {}", p.column, p.en));
    let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error);
    e.field = first.map(|p| p.column.clone()).filter(|c| !c.is_empty());
    e.problems = problems
        .iter()
        .map(|p| json!({ "row": p.row, "column": p.column, "value": p.value, "zh": p.zh, "en": p.en }))
        .collect();
    e
}

/// Adds or changes one record: a JSON object of column code names to values (strings or
/// numbers). Columns left out keep their stored values on an existing record.
pub async fn save(
    list: ListKind,
    State(state): State<AppState>,
    viewer: Viewer,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let object = json_object(&body)?;
    let mut values = Vec::with_capacity(object.len());
    for (name, value) in object {
        if !list.columns().iter().any(|c| c.name == name) {
            return Err(ApiError::field(
                StatusCode::BAD_REQUEST,
                &name,
                format!("{} has no column {name}", list.name()),
            ));
        }
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Null => String::new(),
            _ => {
                return Err(ApiError::field(
                    StatusCode::BAD_REQUEST,
                    &name,
                    "a value is a string or a number",
                ));
            }
        };
        values.push((name, text));
    }
    match crate::directory::save(&state.store, list, &values, &viewer.user.actor()).await? {
        (crate::directory::Outcome::Done(s), key) => Ok(Json(summary(Some(&key), &s))),
        (crate::directory::Outcome::Rejected(problems), _) => Err(rejected(&problems)),
    }
}

pub async fn retire(
    list: ListKind,
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
) -> Result<Json<Value>, ApiError> {
    match crate::directory::retire(&state.store, list, &key, &viewer.user.actor()).await? {
        None => Err(ApiError::not_found()),
        Some(crate::directory::Outcome::Done(s)) => Ok(Json(summary(Some(&key), &s))),
        Some(crate::directory::Outcome::Rejected(problems)) => Err(rejected(&problems)),
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// The file's name: its extension (.csv or .xlsx) says how to read it.
    name: String,
    sheet: Option<String>,
    #[serde(default)]
    retire_missing: bool,
}

/// Imports a file sent as the request body, all or nothing.
pub async fn import(
    list: ListKind,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    if suiji_sheets::Kind::of(&params.name).is_none() {
        return Err(ApiError::field(StatusCode::BAD_REQUEST, "name", "the name ends in .csv or .xlsx"));
    }
    let rows = crate::directory::read_upload(
        state.upload_limits,
        params.name.clone(),
        body.clone(),
        params.sheet.clone(),
    )
    .await
    .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let sheet = suiji_domain::directory::Sheet::new(list, rows.rows).map_err(|p| rejected(&p))?;
    let sha = suiji_domain::audit::sha256_hex(&body);
    match crate::directory::import(
        &state.store,
        sheet,
        &viewer.user.actor(),
        &params.name,
        &sha,
        params.retire_missing,
    )
    .await?
    {
        crate::directory::Outcome::Done(s) => Ok(Json(summary(None, &s))),
        crate::directory::Outcome::Rejected(problems) => Err(rejected(&problems)),
    }
}
