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
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::marker::PhantomData;
use suiji_domain::directory::{Column, ListKind};
use suiji_domain::settings::{Setting, Settings};
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
#[derive(Debug, Default, serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// A key (exact) or part of a name.
    #[schemars(length(max = suiji_domain::text::MAX_NAME))]
    pub q: Option<String>,
    /// A status code, e.g. `active`.
    #[schemars(length(max = suiji_domain::text::MAX_CODE))]
    pub status: Option<String>,
    /// Continue after this row (the previous page's `next`).
    pub after: Option<i64>,
    /// Rows, 1 to 1000 (default 100).
    #[schemars(range(min = 1, max = MAX_LIMIT))]
    pub limit: Option<u64>,
}

/// Rows per response unless `limit` says otherwise, and the most `limit` may ask.
pub(crate) const DEFAULT_LIMIT: u64 = 100;
pub(crate) const MAX_LIMIT: u64 = 1000;

/// The rows a page asked for with `?limit=`: `default` when it does not say, else 1 to
/// [`MAX_LIMIT`]; or the 400 naming `limit`.
pub(crate) fn page_limit(limit: Option<u64>, default: u64) -> Result<u64, ApiError> {
    let limit = limit.unwrap_or(default);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "limit",
            format!("limit must be 1 to {MAX_LIMIT}"),
        ));
    }
    Ok(limit)
}

/// Refuses a text parameter longer than `max` characters (a search longer than any name could
/// match nothing): the 400 naming it, as the OpenAPI document says.
pub(crate) fn within(field: &str, value: Option<&str>, max: usize) -> Result<(), ApiError> {
    if value.is_some_and(|v| v.chars().nth(max).is_some()) {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            field,
            format!("{field} is at most {max} characters"),
        ));
    }
    Ok(())
}

impl ListParams {
    fn filter(&self) -> Result<Filter, ApiError> {
        within("q", self.q.as_deref(), suiji_domain::text::MAX_NAME)?;
        within("status", self.status.as_deref(), suiji_domain::text::MAX_CODE)?;
        let limit = page_limit(self.limit, DEFAULT_LIMIT)?;
        Ok(Filter {
            q: self.q.clone(),
            status: self.status.clone(),
            after: self.after,
            limit,
            certified_on: None,
        })
    }
}

/// A record as a JSON object: its key, then `columns`' code names to the row's cells, in order.
fn object(columns: &[&Column], row: Row) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("key".into(), row.key.into());
    for (column, cell) in columns.iter().zip(row.cells) {
        map.insert(column.name.into(), cell.into());
    }
    map
}

fn all_columns(list: ListKind) -> Vec<&'static Column> {
    list.columns().iter().collect()
}

/// A record of the list `ListKind::ALL[L]`, as JSON: its key and every column's text. Its
/// schema is made from the list's columns, the domain's description of the record.
pub struct Record<const L: usize>;

/// A record of the list `ListKind::ALL[L]` as the public sees it: the public columns only.
pub struct PublicRecord<const L: usize>;

/// `Targets`, `Inspectors`…: a list's name as a schema's.
fn type_name(list: ListKind) -> String {
    let name = list.name().trim_end_matches('s');
    name[..1].to_ascii_uppercase() + &name[1..]
}

/// The schema of a record with `columns`: as written, every column's text; as read (a change),
/// any of them, as a string or a number, and nothing else.
fn record_schema(generator: &SchemaGenerator, columns: &[&Column]) -> Schema {
    let read = generator.contract().is_deserialize();
    let mut properties = Map::new();
    if !read {
        properties.insert("key".into(), json!({ "type": "string", "description": "the record's key" }));
    }
    for c in columns {
        let mut p = if read {
            json!({ "type": ["string", "number", "null"], "maxLength": suiji_domain::text::MAX_LINE })
        } else {
            json!({ "type": "string" })
        };
        p["description"] = format!("{} {}", c.zh, c.note).trim().into();
        properties.insert(c.name.into(), p);
    }
    let mut schema = json_schema!({ "type": "object", "properties": properties });
    if read {
        schema.insert("additionalProperties".into(), false.into());
    } else {
        schema.insert("required".into(), json!(properties.keys().collect::<Vec<_>>()));
    }
    schema
}

impl<const L: usize> JsonSchema for Record<L> {
    fn schema_name() -> Cow<'static, str> {
        type_name(ListKind::ALL[L]).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let list = ListKind::ALL[L];
        record_schema(generator, &all_columns(list))
    }
}

impl<const L: usize> JsonSchema for PublicRecord<L> {
    fn schema_name() -> Cow<'static, str> {
        format!("Public{}", type_name(ListKind::ALL[L])).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let list = ListKind::ALL[L];
        // Every column that may be public; the targets' credit grade only if the bureau says so.
        let shown =
            records::public_columns(list, &Settings { public_credit_grades: true, ..Settings::default() });
        let columns: Vec<&Column> = list.columns().iter().filter(|c| shown.contains(&c.name)).collect();
        let mut schema = record_schema(generator, &columns);
        schema.insert("required".into(), json!(["key"]));
        schema
    }
}

/// A page of a list.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "{R}Page")]
pub struct Page<R> {
    #[schemars(with = "Vec<R>")]
    pub records: Vec<Map<String, Value>>,
    /// Where the next page starts (`?after=`), if there is one.
    pub next: Option<i64>,
    /// The records' type, for the schema only.
    #[serde(skip)]
    #[schemars(skip)]
    pub of: PhantomData<R>,
}

/// One change in a record's history.
#[derive(Serialize, JsonSchema)]
pub struct Change {
    /// The column's code name.
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Who made it (user name and role).
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The import it came with, if any.
    pub batch: Option<i64>,
}

/// A record and its history.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "{R}WithHistory")]
pub struct RecordWithHistory<R> {
    #[schemars(with = "R")]
    pub record: Map<String, Value>,
    pub history: Vec<Change>,
    #[serde(skip)]
    #[schemars(skip)]
    pub of: PhantomData<R>,
}

pub async fn list<R>(
    list: ListKind,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Page<R>>, ApiError> {
    let filter = params.filter()?;
    let (rows, next) = records::page(&state.store, list, &filter).await?;
    let columns = all_columns(list);
    let records = rows.into_iter().map(|r| object(&columns, r)).collect();
    Ok(Json(Page { records, next, of: PhantomData }))
}

pub async fn record<R>(
    list: ListKind,
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<RecordWithHistory<R>>, ApiError> {
    let row = records::find(&state.store, list, &key).await?.ok_or_else(ApiError::not_found)?;
    let history = suiji_store::directory::history(&state.store, list, &key)
        .await?
        .into_iter()
        .map(|h| Change {
            field: h.field,
            old: h.old_value,
            new: h.new_value,
            actor: h.actor,
            at: h.at,
            batch: h.batch_id,
        })
        .collect();
    Ok(Json(RecordWithHistory { record: object(&all_columns(list), row), history, of: PhantomData }))
}

async fn public_list<const L: usize>(
    state: &AppState,
    params: &ListParams,
) -> Result<Json<Page<PublicRecord<L>>>, ApiError> {
    let list = ListKind::ALL[L];
    let found = records::public_page(&state.store, list, &params.filter()?).await?;
    let records = found.rows.into_iter().map(|row| object(&found.columns, row)).collect();
    Ok(Json(Page { records, next: found.next, of: PhantomData }))
}

pub async fn public_items(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<Page<PublicRecord<{ ListKind::Items.index() }>>>, ApiError> {
    public_list(&state, &p).await
}

pub async fn public_targets(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<Page<PublicRecord<{ ListKind::Targets.index() }>>>, ApiError> {
    public_list(&state, &p).await
}

pub async fn public_inspectors(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<Page<PublicRecord<{ ListKind::Inspectors.index() }>>>, ApiError> {
    public_list(&state, &p).await
}

/// The account making a request.
#[derive(Serialize, JsonSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: suiji_domain::access::Role,
    pub department: Option<String>,
}

pub async fn me(viewer: Viewer) -> Json<Me> {
    let u = viewer.user;
    Json(Me { username: u.username, display_name: u.display_name, role: u.role, department: u.department })
}

/// A request body that must be a JSON object.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("the body is not a JSON object: {e}")))
}

/// The bureau's settings.
pub async fn settings(State(state): State<AppState>) -> Result<Json<Settings>, ApiError> {
    Ok(Json(suiji_store::settings::load(&state.store).await?))
}

/// A change of settings: setting → value, `true`/`false` or its text (`"yes"`, `"否"`…).
pub struct SettingsChange;

impl JsonSchema for SettingsChange {
    fn schema_name() -> Cow<'static, str> {
        "SettingsChange".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let properties: Map<String, Value> = Setting::ALL
            .into_iter()
            .map(|s| {
                let value = json!({
                    "type": ["boolean", "string"],
                    "maxLength": suiji_domain::text::MAX_CODE,
                    "description": format!("{} ({})", s.zh(), s.en()),
                });
                (s.name().to_owned(), value)
            })
            .collect();
        json_schema!({ "type": "object", "properties": properties, "additionalProperties": false })
    }
}

/// Changes settings: a JSON object of setting → value (`true`/`false` or a string), all or none.
pub async fn set_settings(
    State(state): State<AppState>,
    viewer: Viewer,
    body: axum::body::Bytes,
) -> Result<Json<Settings>, ApiError> {
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
        Ok(settings) => {
            state.identity.forget();
            Ok(Json(settings))
        }
        Err(suiji_store::settings::SetError::Invalid(e)) => {
            Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, e.field(), e.to_string()))
        }
        Err(suiji_store::settings::SetError::Store(e)) => Err(e.into()),
    }
}

/// What a save, a retirement or an import did.
#[derive(Serialize, JsonSchema)]
pub struct Summary {
    /// The record's key (none for an import).
    pub key: Option<String>,
    /// The change's batch, as its records' history names it.
    pub batch: i64,
    pub rows: u64,
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub retired: u64,
}

pub fn summary(key: Option<&str>, s: &suiji_store::directory::ImportSummary) -> Summary {
    Summary {
        key: key.map(str::to_owned),
        batch: s.batch_id,
        rows: s.rows,
        added: s.added,
        changed: s.changed,
        unchanged: s.unchanged,
        retired: s.retired,
    }
}

/// A refused change: 422, the first problem's column as `field`, every problem listed.
fn rejected(problems: &[suiji_domain::directory::Problem]) -> ApiError {
    let first = problems.first();
    let error = first.map_or_else(|| "rejected".to_owned(), |p| format!("{}: {}", p.column, p.en));
    let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error);
    e.field = first.map(|p| p.column.clone()).filter(|c| !c.is_empty());
    e.problems = problem_values(problems);
    e
}

/// Problems as the API lists them: row, column, value, and the reason in both languages.
pub fn problem_values(problems: &[suiji_domain::directory::Problem]) -> Vec<Value> {
    problems
        .iter()
        .map(|p| json!({ "row": p.row, "column": p.column, "value": p.value, "zh": p.zh, "en": p.en }))
        .collect()
}

/// Adds or changes one record: a JSON object of column code names to values (strings or
/// numbers). Columns left out keep their stored values on an existing record.
pub async fn save(
    list: ListKind,
    State(state): State<AppState>,
    viewer: Viewer,
    body: axum::body::Bytes,
) -> Result<Json<Summary>, ApiError> {
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
    match crate::directory::save(&state.store, list, &values, &crate::directory::Importer::of(&viewer.user))
        .await?
    {
        (crate::directory::Outcome::Done(s), key) => Ok(Json(summary(Some(&key), &s))),
        (crate::directory::Outcome::Rejected(problems), _) => Err(rejected(&problems)),
    }
}

pub async fn retire(
    list: ListKind,
    State(state): State<AppState>,
    viewer: Viewer,
    Path(key): Path<String>,
) -> Result<Json<Summary>, ApiError> {
    match crate::directory::retire(&state.store, list, &key, &crate::directory::Importer::of(&viewer.user))
        .await?
    {
        None => Err(ApiError::not_found()),
        Some(crate::directory::Outcome::Done(s)) => Ok(Json(summary(Some(&key), &s))),
        Some(crate::directory::Outcome::Rejected(problems)) => Err(rejected(&problems)),
    }
}

#[derive(Debug, serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// The file's name: its extension (.csv, UTF-8 or GB18030; or .xlsx) says how to read it.
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    name: String,
    /// The sheet of an .xlsx (default: the first).
    #[schemars(length(max = suiji_domain::text::MAX_NAME))]
    sheet: Option<String>,
    /// Retire the records the file does not list.
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
) -> Result<Json<Summary>, ApiError> {
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
        &crate::directory::Importer::of(&viewer.user),
        &params.name,
        &sha,
        params.retire_missing,
        None,
    )
    .await?
    {
        crate::directory::Outcome::Done(s) => Ok(Json(summary(None, &s))),
        crate::directory::Outcome::Rejected(problems) => Err(rejected(&problems)),
    }
}
