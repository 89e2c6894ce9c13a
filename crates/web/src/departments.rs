//! 组织机构: the bureau's departments as a tree whose root is the bureau, pages and API side by
//! side. Every staff member reads the tree (forms name departments from it); the administrator
//! adds and changes departments, each change an audit entry (the department's history is its
//! entries). The rules are the domain's (`suiji_domain::org`) and the store's.

use crate::api_workflow::body;
use crate::auth::Viewer;
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, done_or_error, page_error};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use schemars::JsonSchema;
use serde::Serialize;
use suiji_domain::org::{DepartmentKind, DepartmentSpec};
use suiji_domain::workflow::Invalid;
use suiji_store::audit::{self, Entry, Filter};
use suiji_store::org::{self, Department};
use suiji_store::workflow::WorkflowError;

type Reply<T> = Result<Json<T>, ApiError>;

// ---- the API ----

#[derive(Serialize, JsonSchema)]
pub struct Departments {
    /// In reading order: the bureau first, each department followed by those under it.
    pub departments: Vec<Department>,
}

/// `GET /api/v1/departments`
pub async fn api_list(State(state): State<AppState>) -> Reply<Departments> {
    Ok(Json(Departments { departments: org::tree(&state.store).await? }))
}

/// `POST /api/v1/departments`: `{name, kind, parent_id?, active?}`.
pub async fn api_add(
    State(state): State<AppState>,
    viewer: Viewer,
    bytes: axum::body::Bytes,
) -> Reply<Department> {
    let spec: DepartmentSpec = body(&bytes)?;
    Ok(Json(org::add(&state.store, &spec, &viewer.user.actor()).await?))
}

/// `POST /api/v1/departments/{id}`: the department as it now is.
pub async fn api_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<Department> {
    let spec: DepartmentSpec = body(&bytes)?;
    Ok(Json(org::update(&state.store, id, &spec, &viewer.user.actor()).await?))
}

// ---- the pages ----

#[derive(Template)]
#[template(path = "departments.html")]
struct TreePage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    departments: Vec<Department>,
    /// Recent changes to the tree, newest first.
    history: Vec<Entry>,
    people: crate::people::People,
}

impl TreePage<'_> {
    fn kinds(&self) -> [DepartmentKind; 4] {
        DepartmentKind::UNDER_ROOT
    }

    fn kind_name(&self, k: &DepartmentKind) -> &'static str {
        self.lang.t(k.zh(), k.en())
    }

    /// The department's name, indented by its depth.
    fn indent(&self, d: &Department) -> String {
        "　".repeat(d.depth)
    }

    /// Departments a department may sit under: the active ones other than itself (any, for a
    /// new one: `of` None).
    fn parents(&self, of: Option<&Department>) -> Vec<&Department> {
        self.departments.iter().filter(|d| d.active && of.is_none_or(|o| o.id != d.id)).collect()
    }

    fn is_parent(&self, p: &Department, d: &Department) -> bool {
        d.parent_id == Some(p.id)
    }

    fn is_root(&self, d: &Department) -> bool {
        d.kind == DepartmentKind::Bureau
    }

    fn is_kind(&self, d: &Department, k: &DepartmentKind) -> bool {
        d.kind == *k
    }

    fn is_business(&self, k: &DepartmentKind) -> bool {
        *k == DepartmentKind::Business
    }

    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::pages::china_time(*at)
    }

    fn person(&self, e: &Entry) -> String {
        self.people.name(&e.actor, &e.role)
    }

    /// What an entry changed, in a line.
    fn summary(&self, e: &Entry) -> String {
        let change: serde_json::Value = serde_json::from_str(&e.change).unwrap_or_default();
        let after = change.get("department").or_else(|| change.get("after")).cloned().unwrap_or_default();
        let name = after["name"].as_str().unwrap_or_default();
        let before = change["before"]["name"].as_str().filter(|b| *b != name);
        let action = match e.action.as_str() {
            "department.add" => self.lang.t("新增", "added"),
            _ => self.lang.t("修改", "changed"),
        };
        match before {
            Some(b) => format!("{action} {b} → {name}"),
            None => format!("{action} {name}"),
        }
    }
}

/// `GET /staff/departments`
pub async fn page(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Result<Response, PageError> {
    let departments = org::tree(&state.store).await.map_err(|e| page_error(lang, e))?;
    let filter = Filter { object: Some("department/".into()), ..Filter::default() };
    let history =
        audit::search(&state.store, &filter, None, 50).await.map_err(|e| PageError::internal(lang, e))?;
    let people = crate::people::People::load(&state.store).await.map_err(|e| PageError::internal(lang, e))?;
    let csrf = viewer.csrf().to_owned();
    Ok(render(lang, &TreePage { lang, viewer: Some(&viewer), csrf, departments, history, people }))
}

/// A department from the page's fields, or what is wrong with them.
fn spec_of(f: &Fields) -> Result<DepartmentSpec, Vec<Invalid>> {
    let mut out = Vec::new();
    let kind = DepartmentKind::parse(f.get("kind")).unwrap_or_else(|| {
        out.push(Invalid::new("kind", "请选择部门类型", "choose the kind"));
        DepartmentKind::Business
    });
    let parent_id = match f.get("parent_id") {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(p) => Some(p),
            Err(_) => {
                out.push(Invalid::new("parent_id", "请选择上级部门", "choose the department above"));
                None
            }
        },
    };
    let spec =
        DepartmentSpec { name: f.get("name").to_owned(), kind, parent_id, active: f.get("active") != "no" };
    if out.is_empty() { Ok(spec) } else { Err(out) }
}

/// `POST /staff/departments`: `name`, `kind`, `parent_id`.
pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let spec = match spec_of(&Fields(pairs)) {
        Ok(s) => s,
        Err(problems) => return page_error(lang, WorkflowError::Invalid(problems)).into_response(),
    };
    match org::add(&state.store, &spec, &viewer.user.actor()).await {
        Ok(d) => Redirect::to(&format!("/staff/departments#department-{}", d.id)).into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// `POST /staff/departments/{id}`: `name`, `kind`, `parent_id`, `active` (`yes`/`no`).
pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let spec = match spec_of(&Fields(pairs)) {
        Ok(s) => s,
        Err(problems) => return page_error(lang, WorkflowError::Invalid(problems)).into_response(),
    };
    let changed = org::update(&state.store, id, &spec, &viewer.user.actor()).await;
    done_or_error(lang, changed, &format!("/staff/departments#department-{id}"))
}
