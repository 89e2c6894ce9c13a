//! Every route, with the action it performs: the one place that says who may reach what. The
//! same table gives the OpenAPI document (so it lists exactly the API the server serves) and
//! the authorization test's matrix.

use crate::api::{self, PublicRecord, Record};
use crate::api_workflow as wapi;
use crate::audit;
use crate::auth::{self, guard};
use crate::credit;
use crate::departments;
use crate::leads;
use crate::ledger;
use crate::openapi::{Body, Contract, inline, schema};
use crate::pages::{
    account, admin, disclosure, documents, edit, inspections, portal, staff, tasks, workbench,
};
use crate::penalties;
use crate::plans;
use crate::rectifications;
use crate::reports;
use crate::rules;
use crate::state::AppState;
use crate::statistics;
use crate::trainings;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get, post};
use schemars::JsonSchema;
use serde_json::Value;
use std::sync::LazyLock;
use suiji_domain::access::{Action, Reach};
use suiji_domain::directory::ListKind;
use suiji_domain::workflow::PenaltyDecision;
use suiji_store::workflow::{
    AssignmentView, DrawView, EvidenceFile, InspectionView, NewPlan, PenaltyNoticesPage, PenaltyView,
    PlanView, RectificationView, Replacement, ResultsPage, TaskView,
};
use tower_http::set_header::SetResponseHeaderLayer;

/// A route as the table lists it.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    /// The path as axum writes it (`/staff/targets/{key}`).
    pub path: String,
    /// `None`: public.
    pub action: Option<Action>,
    /// The record the route acts on, whose department decides whether a role kept to its
    /// department may (see [`reach`]).
    pub reach: Option<Reach>,
    /// Under `/api/v1`: JSON errors, bearer tokens.
    pub api: bool,
    pub summary: &'static str,
    /// For an API route: the types of its query, body and reply (the OpenAPI document's
    /// schemas).
    pub contract: Contract,
}

/// The record a route acts on, read from its path, when its action is one a 业务科室 takes on
/// its own department's records only: drafting plans, running tasks. (Its items, inspectors
/// and targets are kept to it by the store, row by row.)
fn reach(action: Option<Action>, path: &str) -> Option<Reach> {
    if !matches!(action, Some(Action::DraftPlans | Action::RunTasks)) {
        return None;
    }
    [
        ("/plans/{id}", Reach::Plan),
        ("/tasks/{id}", Reach::Task),
        ("/draws/{id}", Reach::Draw),
        ("/inspections/{id}", Reach::Inspection),
        ("/leads/{id}", Reach::Lead),
    ]
    .into_iter()
    .find(|(p, _)| path.contains(p))
    .map(|(_, r)| r)
}

struct Builder {
    router: Router<AppState>,
    table: Vec<RouteInfo>,
}

impl Builder {
    fn add(
        mut self,
        method: Method,
        path: &str,
        action: Option<Action>,
        summary: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Self {
        let api = path.starts_with("/api/");
        // Only a file upload may be large.
        let handler = if path.ends_with("/import") || path.ends_with("/evidence") || path.ends_with("/files")
        {
            handler.layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        } else {
            handler
        };
        let reach = reach(action, path);
        let handler = match action {
            Some(action) => handler
                .route_layer(from_fn(move |req: Request, next: Next| guard(action, reach, api, req, next))),
            None => handler,
        };
        self.router = self.router.route(path, handler);
        self.table.push(RouteInfo {
            method,
            path: path.to_owned(),
            action,
            reach,
            api,
            summary,
            contract: Contract::default(),
        });
        self
    }

    /// The last route's contract, to be filled in.
    fn contract(&mut self) -> &mut Contract {
        &mut self.table.last_mut().expect("a route was added").contract
    }

    /// The last route answers 200 with a `T`.
    fn gives<T: JsonSchema>(mut self) -> Self {
        self.contract().reply = Some(schema::<T>);
        self
    }

    /// The last route's body is a `T` as JSON.
    fn takes<T: JsonSchema>(mut self) -> Self {
        self.contract().body = Some(Body::Json(schema::<T>));
        self
    }

    /// The last route's body is a `T` as JSON, or nothing.
    fn may_take<T: JsonSchema>(mut self) -> Self {
        self.contract().body = Some(Body::OptionalJson(schema::<T>));
        self
    }

    /// The last route's body is a file.
    fn takes_file(mut self) -> Self {
        self.contract().body = Some(Body::File);
        self
    }

    /// The last route's query parameters are `T`'s fields.
    fn query<T: JsonSchema>(mut self) -> Self {
        self.contract().query = Some(inline::<T>);
        self
    }

    /// The printed documents (文书), each as a page and as a `.pdf`.
    fn documents(self) -> Self {
        use Action::ViewWorkflow as View;
        use documents as d;
        let mut b = self;
        let pages: [(&str, &'static str, MethodRouter<AppState>, MethodRouter<AppState>); 10] = [
            (
                "/staff/documents/registration-form",
                "执法检查登记表, blank",
                get(d::blank_form::<false>),
                get(d::blank_form::<true>),
            ),
            (
                "/staff/tasks/{id}/registration-form",
                "执法检查登记表 pre-filled with a task's items and their legal basis",
                get(d::task_form::<false>),
                get(d::task_form::<true>),
            ),
            (
                "/staff/inspections/{id}/print",
                "An inspection's 执法检查登记表 (completed once entered)",
                get(d::inspection_form::<false>),
                get(d::inspection_form::<true>),
            ),
            (
                "/staff/inspections/{id}/notice",
                "检查通知书 for the inspected firm",
                get(d::notice::<false>),
                get(d::notice::<true>),
            ),
            (
                "/staff/inspections/{id}/rectification-order",
                "责令改正指令书 of a result ordering rectification",
                get(d::rectification_order::<false>),
                get(d::rectification_order::<true>),
            ),
            (
                "/staff/inspections/{id}/follow-up-opinion",
                "复查意见书 of a follow-up whose finding is entered",
                get(d::follow_up_opinion::<false>),
                get(d::follow_up_opinion::<true>),
            ),
            (
                "/staff/tasks/{id}/team-notice",
                "检查组选派通知: a task's teams with the approval line",
                get(d::team_notice::<false>),
                get(d::team_notice::<true>),
            ),
            (
                "/staff/draws/{id}/record",
                "抽取记录 for the witnesses to sign",
                get(d::draw_record::<false>),
                get(d::draw_record::<true>),
            ),
            (
                "/staff/targets/{key}/dossier/print",
                "诚信档案: a firm's dossier on A4",
                get(credit::dossier::print::<false>),
                get(credit::dossier::print::<true>),
            ),
            (
                "/staff/credit/evaluations/{id}/notices",
                "守法诚信等级评价结果告知书, one a page, of a confirmed evaluation",
                get(credit::grades::notices::<false>),
                get(credit::grades::notices::<true>),
            ),
        ];
        for (path, summary, page, pdf) in pages {
            b = b.guarded(Method::GET, path, View, summary, page);
            b = b.guarded(Method::GET, &format!("{path}.pdf"), View, summary, pdf);
        }
        b
    }

    /// The reports (报告): a document page and its `.pdf`, the `.docx` to edit and sign, and a
    /// year's tables as `.xlsx`.
    fn reports(self) -> Self {
        use Action::ViewWorkflow as View;
        let mut b = self;
        let pages: [(&str, &'static str, MethodRouter<AppState>, MethodRouter<AppState>); 2] = [
            (
                "/staff/tasks/{id}/report",
                "任务总结报告: a task's scope, draw, teams, results by conclusion and item, handling, rectifications and what is overdue",
                get(reports::task::<false>),
                get(reports::task::<true>),
            ),
            (
                "/staff/stats/{year}/summary",
                "年度工作总结: the year's figures against the year before, per department and item, the plans against what was done",
                get(reports::annual::<false>),
                get(reports::annual::<true>),
            ),
        ];
        for (path, summary, page, pdf) in pages {
            b = b.guarded(Method::GET, path, View, summary, page);
            b = b.guarded(Method::GET, &format!("{path}.pdf"), View, summary, pdf);
        }
        b.guarded(
            Method::GET,
            "/staff/tasks/{id}/report.docx",
            View,
            "任务总结报告 as .docx, to edit and sign",
            get(reports::task_docx),
        )
        .guarded(
            Method::GET,
            "/staff/stats/{year}/summary.docx",
            View,
            "年度工作总结 as .docx, its narrative's blanks for the staff to finish",
            get(reports::annual_docx),
        )
        .guarded(
            Method::GET,
            "/staff/stats/{year}/summary.xlsx",
            View,
            "年度工作总结's tables as .xlsx, a sheet each",
            get(reports::annual_xlsx),
        )
    }

    fn public(
        self,
        method: Method,
        path: &str,
        summary: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.add(method, path, None, summary, handler)
    }

    fn guarded(
        self,
        method: Method,
        path: &str,
        action: Action,
        summary: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.add(method, path, Some(action), summary, handler)
    }
}

fn build() -> Builder {
    let mut b = Builder { router: Router::new(), table: Vec::new() }
        .public(Method::GET, "/", "The portal's home page", get(portal::home))
        .public(Method::GET, "/login", "The sign-in form", get(account::login_form))
        .public(
            Method::POST,
            "/login",
            "Sign in",
            post(account::login).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .public(Method::GET, "/lang", "Switch the language", get(account::switch_lang))
        .public(Method::GET, "/public/items", "The item list", get(portal::items))
        .public(Method::GET, "/public/items/{code}", "An item and its history", get(portal::item))
        .public(Method::GET, "/public/items.csv", "The item list as CSV", get(portal::items_csv))
        .public(Method::GET, "/public/items.json", "The item list as JSON", get(portal::items_json))
        .public(
            Method::GET,
            "/public/inspectors",
            "The inspector directory (public columns)",
            get(portal::inspectors),
        )
        .public(
            Method::GET,
            "/public/inspectors.csv",
            "The inspector directory as CSV",
            get(portal::inspectors_csv),
        )
        .public(
            Method::GET,
            "/public/inspectors.json",
            "The inspector directory as JSON",
            get(portal::inspectors_json),
        )
        .public(Method::GET, "/public/targets", "Look up a target (public columns)", get(portal::targets))
        .public(
            Method::GET,
            "/public/feed.atom",
            "Atom feed: the item list's changes, plans, tasks, draws, results",
            get(portal::feed),
        )
        .public(
            Method::GET,
            "/public/audit",
            "The audit log's head, daily heads, signing key and checkpoints",
            get(audit::public_page),
        )
        .public(
            Method::GET,
            "/public/audit/checkpoint",
            "The newest signed checkpoint of the audit log (JSON)",
            get(audit::checkpoint),
        )
        .public(
            Method::GET,
            "/public/audit/checkpoints",
            "Every signed checkpoint of the audit log, oldest first (JSON)",
            get(audit::checkpoints),
        )
        .public(
            Method::GET,
            "/public/audit/proof/{entry}",
            "An audit entry's inclusion proof against the newest checkpoint (JSON)",
            get(audit::proof),
        )
        .public(Method::GET, "/static/suiji.css", "The style sheet", get(stylesheet))
        .public(Method::GET, "/static/suiji.js", "The staff pages' script (confirmations)", get(script))
        .public(Method::GET, "/static/favicon.svg", "The site's icon", get(favicon))
        .public(Method::GET, "/static/document.css", "The printed documents' style sheet", get(document_css))
        .guarded(Method::POST, "/logout", Action::OwnAccount, "Sign out", post(account::logout))
        .guarded(
            Method::GET,
            "/account/password",
            Action::OwnAccount,
            "The password form",
            get(account::password_form),
        )
        .guarded(
            Method::POST,
            "/account/password",
            Action::OwnAccount,
            "Change one's password",
            post(account::change_password),
        )
        .guarded(
            Method::GET,
            "/staff/audit",
            Action::ViewAudit,
            "The audit log, filtered",
            get(audit::log_page),
        )
        .guarded(
            Method::GET,
            "/staff/audit.xlsx",
            Action::ViewAudit,
            "The audit log's entries matching the filters, as .xlsx",
            get(audit::log_export),
        )
        .guarded(Method::GET, "/staff/users", Action::ManageUsers, "The accounts", get(admin::users))
        .guarded(Method::POST, "/staff/users", Action::ManageUsers, "Add an account", post(admin::add_user))
        .guarded(
            Method::POST,
            "/staff/users/{username}",
            Action::ManageUsers,
            "Change an account's role, or disable it",
            post(admin::update_user),
        )
        .guarded(
            Method::POST,
            "/staff/users/{username}/unlock",
            Action::ManageUsers,
            "Lift an account's sign-in lock",
            post(admin::unlock_user),
        )
        .guarded(Method::GET, "/staff/tokens", Action::ManageTokens, "The API tokens", get(admin::tokens))
        .guarded(
            Method::POST,
            "/staff/tokens",
            Action::ManageTokens,
            "Issue an API token",
            post(admin::issue_token),
        )
        .guarded(
            Method::POST,
            "/staff/tokens/{id}/revoke",
            Action::ManageTokens,
            "Revoke an API token",
            post(admin::revoke_token),
        )
        .guarded(
            Method::POST,
            "/staff/inspectors/{key}/trainings",
            Action::EditList(ListKind::Inspectors),
            "Record a course an inspector took (培训记录)",
            post(trainings::add),
        )
        .guarded(
            Method::GET,
            "/api/v1/inspectors/{key}/trainings",
            Action::ViewList(ListKind::Inspectors),
            "An inspector's training, newest first",
            get(trainings::api_list),
        )
        .gives::<trainings::Trainings>()
        .guarded(
            Method::POST,
            "/api/v1/inspectors/{key}/trainings",
            Action::EditList(ListKind::Inspectors),
            "Record a course: {course, held_on, hours, provider?}",
            post(trainings::api_add),
        )
        .takes::<suiji_domain::training::Training>()
        .gives::<suiji_store::training::TrainingView>()
        .guarded(
            Method::GET,
            "/staff/departments",
            Action::ManageUsers,
            "The bureau's departments (组织机构), as a tree",
            get(departments::page),
        )
        .guarded(
            Method::POST,
            "/staff/departments",
            Action::ManageUsers,
            "Add a department",
            post(departments::add),
        )
        .guarded(
            Method::POST,
            "/staff/departments/{id}",
            Action::ManageUsers,
            "Change a department (renamed in every current record that names it)",
            post(departments::update),
        )
        .guarded(
            Method::GET,
            "/api/v1/departments",
            Action::ViewWorkflow,
            "The bureau's departments, the bureau first, each followed by those under it",
            get(departments::api_list),
        )
        .gives::<departments::Departments>()
        .guarded(
            Method::POST,
            "/api/v1/departments",
            Action::ManageUsers,
            "Add a department: {name, kind, parent_id?, active?}",
            post(departments::api_add),
        )
        .takes::<suiji_domain::org::DepartmentSpec>()
        .gives::<suiji_store::org::Department>()
        .guarded(
            Method::POST,
            "/api/v1/departments/{id}",
            Action::ManageUsers,
            "Change a department: {name, kind, parent_id?, active?}",
            post(departments::api_update),
        )
        .takes::<suiji_domain::org::DepartmentSpec>()
        .gives::<suiji_store::org::Department>()
        .guarded(
            Method::GET,
            "/staff/settings",
            Action::ManageSettings,
            "The bureau's settings",
            get(admin::settings),
        )
        .guarded(
            Method::POST,
            "/staff/settings",
            Action::ManageSettings,
            "Change a setting",
            post(admin::save_setting),
        )
        .guarded(
            Method::GET,
            "/api/v1/settings",
            Action::ManageSettings,
            "The bureau's settings",
            get(api::settings),
        )
        .gives::<suiji_domain::settings::Settings>()
        .guarded(
            Method::POST,
            "/api/v1/settings",
            Action::ManageSettings,
            "Change settings (a JSON object of setting and value), all or none",
            post(api::set_settings),
        )
        .takes::<api::SettingsChange>()
        .gives::<suiji_domain::settings::Settings>()
        .public(Method::GET, "/api/v1/openapi.json", "This document", get(openapi))
        .gives::<serde_json::Map<String, Value>>()
        .public(
            Method::GET,
            "/api/v1/audit/head",
            "The audit chain's head and daily heads",
            get(audit::head_api),
        )
        .gives::<audit::Head>()
        .public(Method::GET, "/api/v1/public/items", "The item list", get(api::public_items))
        .query::<api::ListParams>()
        .gives::<api::Page<PublicRecord<{ ListKind::Items.index() }>>>()
        .public(
            Method::GET,
            "/api/v1/public/targets",
            "Look up targets (public columns)",
            get(api::public_targets),
        )
        .query::<api::ListParams>()
        .gives::<api::Page<PublicRecord<{ ListKind::Targets.index() }>>>()
        .public(
            Method::GET,
            "/api/v1/public/inspectors",
            "The inspector directory (public columns)",
            get(api::public_inspectors),
        )
        .query::<api::ListParams>()
        .gives::<api::Page<PublicRecord<{ ListKind::Inspectors.index() }>>>()
        .guarded(
            Method::GET,
            "/api/v1/me",
            Action::OwnAccount,
            "The account making the request",
            get(api::me),
        )
        .gives::<api::Me>()
        .guarded(
            Method::GET,
            "/api/v1/jobs/{id}",
            Action::OwnAccount,
            "Long work (an import) and how far it has got: one's own, or any for an administrator or supervisor",
            get(crate::jobs::api_job),
        )
        .gives::<suiji_store::jobs::JobView>()
        .guarded(
            Method::GET,
            "/api/v1/audit",
            Action::ViewAudit,
            "Audit entries, newest first",
            get(audit::log_api),
        )
        .query::<audit::AuditParams>()
        .gives::<audit::Entries>();
    b = workflow(b);
    // One set of routes per list; a list's records have their own schema, hence the const.
    b = list_routes::<{ ListKind::Targets.index() }>(b);
    b = list_routes::<{ ListKind::Inspectors.index() }>(b);
    b = list_routes::<{ ListKind::Items.index() }>(b);
    list_routes::<{ ListKind::Recusals.index() }>(b)
}

/// A directory list's pages and API: `ListKind::ALL[L]`.
fn list_routes<const L: usize>(b: Builder) -> Builder {
    let list = ListKind::ALL[L];
    let name = list.name();
    let view = Action::ViewList(list);
    let change = Action::EditList(list);
    // Fixed paths (new, import, export…) before the record's {key}: the router prefers them.
    b.guarded(
        Method::GET,
        &format!("/staff/{name}/new"),
        change,
        "The form for a new record",
        get(move |l, v| edit::new_form(list, l, v)),
    )
    .guarded(
        Method::POST,
        &format!("/staff/{name}/save"),
        change,
        "Add or change a record",
        post(move |s, l, v, f| edit::save(list, s, l, v, f)),
    )
    .guarded(
        Method::GET,
        &format!("/staff/{name}/import"),
        change,
        "The import form",
        get(move |l, v| edit::import_form(list, l, v)),
    )
    .guarded(
        Method::POST,
        &format!("/staff/{name}/import"),
        change,
        "Import a file (all or nothing)",
        post(move |s, l, v, m| edit::import_upload(list, s, l, v, m)),
    )
    .guarded(
        Method::GET,
        &format!("/staff/{name}/export"),
        view,
        "The list as .xlsx or CSV",
        get(move |s, l, q| edit::export(list, s, l, q)),
    )
    .guarded(
        Method::GET,
        &format!("/staff/{name}/template"),
        view,
        "An empty template",
        get(move |q, l| edit::template(list, q, l)),
    )
    .guarded(
        Method::GET,
        &format!("/staff/{name}/{{key}}/edit"),
        change,
        "The form to edit a record",
        get(move |s, l, v, k| edit::edit_form(list, s, l, v, k)),
    )
    .guarded(
        Method::POST,
        &format!("/staff/{name}/{{key}}/retire"),
        change,
        "Retire a record",
        post(move |s, l, v, k| edit::retire(list, s, l, v, k)),
    )
    .guarded(
        Method::GET,
        &format!("/staff/{name}"),
        view,
        "A list, searchable, a page at a time",
        get(move |s, l, v, q| staff::list(list, s, l, v, q)),
    )
    .guarded(
        Method::GET,
        &format!("/staff/{name}/{{key}}"),
        view,
        "A record and its history",
        get(move |s, l, v, k| staff::record(list, s, l, v, k)),
    )
    .guarded(
        Method::GET,
        &format!("/api/v1/{name}"),
        view,
        "A list, a page at a time",
        get(move |s, q| api::list::<Record<L>>(list, s, q)),
    )
    .query::<api::ListParams>()
    .gives::<api::Page<Record<L>>>()
    .guarded(
        Method::POST,
        &format!("/api/v1/{name}"),
        change,
        "Add or change a record (a JSON object of columns)",
        post(move |s, v, b| api::save(list, s, v, b)),
    )
    .takes::<Record<L>>()
    .gives::<api::Summary>()
    .guarded(
        Method::POST,
        &format!("/api/v1/{name}/import"),
        change,
        "Import the file in the body (?name=FILE.csv|.xlsx), all or nothing",
        post(move |s, v, q, b| api::import(list, s, v, q, b)),
    )
    .query::<api::ImportParams>()
    .takes_file()
    .gives::<api::Summary>()
    .guarded(
        Method::POST,
        &format!("/api/v1/{name}/{{key}}/retire"),
        change,
        "Retire a record",
        post(move |s, v, k| api::retire(list, s, v, k)),
    )
    .gives::<api::Summary>()
    .guarded(
        Method::GET,
        &format!("/api/v1/{name}/{{key}}"),
        view,
        "A record and its history",
        get(move |s, k| api::record::<Record<L>>(list, s, k)),
    )
    .gives::<api::RecordWithHistory<Record<L>>>()
}

/// The inspection workflow: staff pages, the portal's disclosure, and the API.
fn workflow(b: Builder) -> Builder {
    use Action::{
        DraftPlans as Draft, EnterResults as Enter, ManageTasks as Manage, RunTasks as Run,
        ViewWorkflow as View,
    };
    use Method as M;
    b.public(M::GET, "/public/rules", "The bureau's rules of random inspection (抽查工作细则)", get(rules::page))
        .public(M::GET, "/api/v1/public/rules", "The bureau's rules in force, each with the day it took effect", get(rules::api))
        .gives::<rules::Rules>()
        .public(M::GET, "/public/plans", "The bureau's annual plans: the published plans of each year", get(plans::public_page))
        .public(
            M::GET,
            "/public/stats",
            "抽查情况: a year's public figures (`year`, this year when absent) — tasks, coverage, published results by conclusion, handling, timeliness — and the years before",
            get(statistics::public_page),
        )
        .public(M::GET, "/public/tasks", "Published tasks", get(tasks::public_tasks))
        .public(
            M::GET,
            "/public/tasks/{code}",
            "A task: commitment, draws, teams, results",
            get(disclosure::task),
        )
        .public(
            M::GET,
            "/public/tasks/{code}/population.csv",
            "A task's committed population",
            get(disclosure::population),
        )
        .public(
            M::GET,
            "/public/draws/{id}/draw.json",
            "A draw document (suiji-draw/1)",
            get(disclosure::draw_json),
        )
        .public(
            M::GET,
            "/public/draws/{id}/targets.json",
            "A draw's selection after replacements",
            get(disclosure::targets_json),
        )
        .public(
            M::GET,
            "/public/draws/{id}/control.json",
            "A draw's control sample (对照样本, suiji-draw/1 with seed <seed>/control) drawn from control-population.csv",
            get(disclosure::control_json),
        )
        .public(
            M::GET,
            "/public/draws/{id}/control-population.csv",
            "What a control sample was drawn from: the population less the draw's selected and reserve, weight 1, no stratum",
            get(disclosure::control_population),
        )
        .public(
            M::GET,
            "/public/draws/{id}/population.csv",
            "The population a draw was made from",
            get(disclosure::draw_population),
        )
        .public(
            M::GET,
            "/public/draws/{id}/assignment.json",
            "The teams (suiji-assign/1)",
            get(disclosure::assignment_json),
        )
        .public(
            M::GET,
            "/public/draws/{id}/inspectors.csv",
            "The inspector pool of the teams",
            get(disclosure::inspectors_csv),
        )
        .public(
            M::GET,
            "/public/draws/{id}/recusals.csv",
            "The recusals the teams kept (no reasons)",
            get(disclosure::recusals_csv),
        )
        .public(
            M::GET,
            "/public/member-changes/{id}/replacement.json",
            "A team member's replacement (suiji-assign/1), to re-check with the assignment's inspectors.csv",
            get(disclosure::replacement_json),
        )
        .public(
            M::GET,
            "/public/merges/{id}/merge.json",
            "A merge's joint teams (suiji-assign/1, seed <seed A>+<seed B>/merge), to re-check with its inspectors.csv and recusals.csv",
            get(crate::merges::merge_json),
        )
        .public(
            M::GET,
            "/public/merges/{id}/inspectors.csv",
            "The pool a merge's joint teams were drawn from",
            get(crate::merges::inspectors_csv),
        )
        .public(
            M::GET,
            "/public/merges/{id}/recusals.csv",
            "The recusals a merge's joint teams kept (no reasons)",
            get(crate::merges::recusals_csv),
        )
        .public(
            M::GET,
            "/public/draws/{id}/verify",
            "Re-compute a draw in the browser",
            get(disclosure::verify),
        )
        .public(M::GET, "/public/results", "Published results, searchable", get(disclosure::results))
        .public(M::GET, "/public/results.json", "Published results as JSON", get(disclosure::results_json))
        .public(
            M::GET,
            "/public/lists/major-violations",
            "重大劳动保障违法行为社会公布",
            get(credit::lists::public_page::<true>),
        )
        .public(
            M::GET,
            "/public/lists/wage-arrears",
            "拖欠农民工工资失信联合惩戒对象名单, with who left it",
            get(credit::lists::public_page::<false>),
        )
        .public(
            M::GET,
            "/public/lists/major-violations.csv",
            "Serious violations as CSV",
            get(credit::lists::public_csv::<true>),
        )
        .public(
            M::GET,
            "/public/lists/wage-arrears.csv",
            "The wage-arrears list as CSV",
            get(credit::lists::public_csv::<false>),
        )
        .public(
            M::GET,
            "/public/lists/major-violations.json",
            "Serious violations as JSON",
            get(credit::lists::api_public::<true>),
        )
        .gives::<suiji_store::credit::PublicList>()
        .public(
            M::GET,
            "/public/lists/wage-arrears.json",
            "The wage-arrears list as JSON",
            get(credit::lists::api_public::<false>),
        )
        .gives::<suiji_store::credit::PublicList>()
        .public(
            M::GET,
            "/public/targets/{key}/dossier",
            "A firm's public dossier (诚信档案): what the portal publishes",
            get(credit::dossier::public),
        )
        .guarded(
            M::GET,
            "/staff/push",
            Action::ViewAudit,
            "推送: the receivers and the delivery log",
            get(crate::push::page),
        )
        .guarded(
            M::GET,
            "/staff/lists",
            View,
            "Entries on the public lists: ?list=major_violations|wage_arrears&status=…",
            get(credit::lists::list),
        )
        .guarded(M::GET, "/staff/lists/{id}", View, "An entry on a public list, with its steps", get(credit::lists::one))
        .guarded(
            M::POST,
            "/staff/penalties/{id}/lists",
            Manage,
            "Propose an entry from a penalty decision (list, kinds, facts)",
            post(credit::lists::propose),
        )
        .guarded(M::POST, "/staff/lists/{id}/publish", Manage, "Publish a serious violation", post(credit::lists::publish))
        .guarded(
            M::POST,
            "/staff/lists/{id}/notify",
            Manage,
            "Record that the firm was told it is to be listed (notified_on)",
            post(credit::lists::notify),
        )
        .guarded(
            M::POST,
            "/staff/lists/{id}/decide",
            Manage,
            "Decide to list the firm (statement, term_years)",
            post(credit::lists::decide),
        )
        .guarded(
            M::POST,
            "/staff/lists/{id}/repair",
            Manage,
            "Remove early, its credit repaired (reason)",
            post(credit::lists::repair),
        )
        .guarded(
            M::POST,
            "/staff/lists/{id}/remove",
            Manage,
            "Remove at the end of its term",
            post(credit::lists::remove),
        )
        .guarded(
            M::GET,
            "/staff/credit/evaluations",
            View,
            "守法诚信等级评价: the evaluations, and running one",
            get(credit::grades::list),
        )
        .guarded(
            M::POST,
            "/staff/credit/evaluations",
            Manage,
            "Propose a year's grades (year)",
            post(credit::grades::evaluate),
        )
        .guarded(
            M::GET,
            "/staff/credit/evaluations/{id}",
            View,
            "An evaluation: each firm's proposed grade with its reasons",
            get(credit::grades::one),
        )
        .guarded(
            M::POST,
            "/staff/credit/evaluations/{id}/adjust",
            Manage,
            "Set a firm's grade other than proposed (uscc, grade, reason)",
            post(credit::grades::adjust),
        )
        .guarded(
            M::POST,
            "/staff/credit/evaluations/{id}/confirm",
            Manage,
            "Confirm an evaluation: the grades are written and weigh the next draws",
            post(credit::grades::confirm),
        )
        .guarded(
            M::GET,
            "/staff/targets/{key}/dossier",
            View,
            "A firm's dossier (诚信档案): every draw, result, penalty, rectification, grade and list entry",
            get(credit::dossier::staff),
        )
        .guarded(
            M::GET,
            "/staff/targets/{key}/inspections",
            View,
            "检查台账: a firm's inspections in a year, every kind and department, against the limits",
            get(ledger::page),
        )
        .query::<ledger::LedgerQuery>()
        .guarded(
            M::GET,
            "/staff/targets/{key}/dossier.xlsx",
            View,
            "A firm's dossier as .xlsx",
            get(credit::dossier::xlsx),
        )
        .public(
            M::GET,
            "/public/penalties",
            "Penalty notices (行政处罚决定公示), searchable",
            get(penalties::public),
        )
        .public(M::GET, "/public/penalties.json", "Penalty notices as JSON", get(penalties::api_public))
        .query::<penalties::NoticesQuery>()
        .gives::<PenaltyNoticesPage>()
        .public(
            M::GET,
            "/static/verify.js",
            "The protocol in browser JavaScript",
            get(disclosure::verify_script),
        )
        .guarded(
            M::GET,
            "/staff",
            Action::OwnAccount,
            "The workbench (工作台) of the signed-in role",
            get(workbench::show),
        )
        .guarded(
            M::GET,
            "/staff/jobs/{id}",
            Action::OwnAccount,
            "Long work's progress bar, then what it came to",
            get(crate::jobs::page),
        )
        .guarded(M::GET, "/staff/plans", View, "Annual plans", get(plans::list))
        .guarded(M::POST, "/staff/plans", Draft, "Add a plan", post(plans::add))
        .guarded(M::GET, "/staff/plans/{id}", View, "A plan: its lines, approval and execution", get(plans::show))
        .guarded(M::POST, "/staff/plans/{id}", Draft, "Change a draft or returned plan and its lines", post(plans::save))
        .guarded(M::POST, "/staff/plans/{id}/submit", Draft, "Submit a plan to the lead office", post(plans::step))
        .guarded(M::POST, "/staff/plans/{id}/approve", Manage, "Approve a submitted plan", post(plans::step))
        .guarded(M::POST, "/staff/plans/{id}/return", Manage, "Return a plan with a comment", post(plans::step))
        .guarded(M::POST, "/staff/plans/{id}/publish", Manage, "Publish an approved plan", post(plans::step))
        .guarded(M::GET, "/staff/tasks", View, "Tasks", get(tasks::tasks))
        .guarded(M::GET, "/staff/leads", Run, "Leads (线索) and the register form; 多点触发 above", get(leads::list))
        .guarded(M::POST, "/staff/leads", Run, "Register a lead", post(leads::register))
        .guarded(M::GET, "/staff/leads/{id}", Run, "A lead with its firms' risk scores and files", get(leads::one))
        .guarded(M::POST, "/staff/leads/{id}/close", Run, "不予立项: close a lead without a task, with the reason", post(leads::close))
        .guarded(M::POST, "/staff/leads/{id}/files", Run, "Keep a file with a lead", post(leads::add_file))
        .guarded(M::GET, "/staff/leads/{id}/files/{file}", Run, "A lead's file", get(leads::file))
        .guarded(M::GET, "/staff/tasks/new", Run, "The form for a new task", get(tasks::new_task))
        .guarded(
            M::POST,
            "/staff/tasks/save",
            Run,
            "Preview, add or change a draft task",
            post(tasks::save_task),
        )
        .guarded(M::GET, "/staff/tasks/{id}", View, "A task", get(tasks::task))
        .guarded(
            M::GET,
            "/staff/tasks/{id}/edit",
            Run,
            "The form to edit a draft task",
            get(tasks::edit_task),
        )
        .guarded(
            M::POST,
            "/staff/tasks/{id}/publish",
            Run,
            "Publish a task, freezing its population",
            post(tasks::publish_task),
        )
        .guarded(M::POST, "/staff/tasks/{id}/delete", Run, "Delete a draft task", post(tasks::delete_task))
        .guarded(M::GET, "/staff/tasks/{id}/draw", Run, "The draw ceremony", get(tasks::ceremony_page))
        .guarded(M::POST, "/staff/tasks/{id}/draw", Run, "Draw", post(tasks::draw))
        .guarded(
            M::POST,
            "/staff/tasks/{id}/annul",
            Run,
            "Annul a draw, with a reason",
            post(tasks::annul),
        )
        .guarded(
            M::POST,
            "/staff/tasks/{id}/merge",
            Run,
            "Merge the visits another task shares into joint visits (综合查一次)",
            post(crate::merges::merge),
        )
        .guarded(
            M::POST,
            "/staff/tasks/{id}/replace",
            Run,
            "Replace a gone target from the reserve",
            post(tasks::replace),
        )
        .guarded(
            M::POST,
            "/staff/tasks/{id}/teams",
            Run,
            "Assign teams by suiji-assign/1",
            post(tasks::assign),
        )
        .guarded(
            M::POST,
            "/staff/tasks/{id}/teams/direct",
            Run,
            "Assign teams directly (triggered tasks)",
            post(tasks::assign_direct),
        )
        .guarded(M::GET, "/staff/tasks/{id}/teams", View, "The teams, printable", get(tasks::teams))
        .guarded(
            M::POST,
            "/staff/inspections/{id}/members/replace",
            Run,
            "Replace one member of an inspection's team by a draw, with the reason",
            post(tasks::replace_member),
        )
        .guarded(
            M::GET,
            "/staff/inspections",
            View,
            "One's inspections and what is due",
            get(inspections::list),
        )
        .guarded(
            M::GET,
            "/staff/rectifications",
            View,
            "Rectifications (整改与复查): ?status=open|due|overdue|closed",
            get(rectifications::list),
        )
        .guarded(
            M::GET,
            "/staff/rectifications/{id}",
            View,
            "A rectification with its follow-ups",
            get(rectifications::one),
        )
        .guarded(
            M::POST,
            "/staff/rectifications/{id}/follow-up",
            Manage,
            "Schedule a follow-up (team=same|drawn)",
            post(rectifications::follow_up),
        )
        .guarded(
            M::POST,
            "/staff/rectifications/{id}/extend",
            Manage,
            "Extend the deadline once (until, reason)",
            post(rectifications::extend),
        )
        .guarded(
            M::POST,
            "/staff/rectifications/{id}/escalate",
            Manage,
            "Open a case or refer it (kind=case|referral, note)",
            post(rectifications::escalate),
        )
        .guarded(
            M::GET,
            "/staff/penalties",
            View,
            "Penalty decisions (行政处罚): ?status=due|overdue|published|recorded",
            get(penalties::list),
        )
        .guarded(
            M::GET,
            "/staff/penalties/{id}",
            View,
            "A penalty decision with its notices",
            get(penalties::one),
        )
        .guarded(
            M::POST,
            "/staff/penalties/{id}/publish",
            Manage,
            "Publish a penalty's notice (一般程序)",
            post(penalties::publish),
        )
        .guarded(
            M::POST,
            "/staff/penalties/{id}/correct",
            Manage,
            "Change a decision; once published, a correction with its reason",
            post(penalties::correct),
        )
        .guarded(
            M::POST,
            "/staff/inspections/{id}/penalties",
            Manage,
            "Record a penalty decision against an inspection",
            post(penalties::record),
        )
        .guarded(
            M::POST,
            "/staff/inspections/{id}/withhold",
            Manage,
            "Keep an entered result off the portal (不予公开), with the legal basis",
            post(penalties::withhold),
        )
        .guarded(M::GET, "/staff/inspections/{id}", View, "An inspection", get(inspections::show))
        .documents()
        .guarded(
            M::POST,
            "/staff/inspections/{id}",
            Enter,
            "Enter an inspection's result",
            post(inspections::save),
        )
        .guarded(
            M::POST,
            "/staff/inspections/{id}/publish",
            Enter,
            "Publish a result",
            post(inspections::publish),
        )
        .guarded(
            M::POST,
            "/staff/inspections/{id}/correct",
            Enter,
            "Publish a correction",
            post(inspections::correct),
        )
        .guarded(
            M::POST,
            "/staff/inspections/{id}/evidence",
            Enter,
            "Add an evidence file",
            post(inspections::add_evidence),
        )
        .guarded(
            M::GET,
            "/staff/inspections/{id}/evidence/{evidence}",
            View,
            "An evidence file",
            get(inspections::evidence),
        )
        .guarded(
            M::POST,
            "/staff/inspections/{id}/approve",
            Manage,
            "Approve a result for publication",
            post(inspections::approve),
        )
        .guarded(
            M::POST,
            "/staff/inspections/{id}/return",
            Manage,
            "Return a result with a comment",
            post(inspections::return_for_changes),
        )
        .public(M::GET, "/api/v1/public/plans", "Published annual plans with their lines", get(plans::api_public))
        .gives::<plans::PublicPlans>()
        .public(M::GET, "/api/v1/public/tasks", "Published tasks", get(wapi::public_tasks))
        .gives::<wapi::Tasks>()
        .public(
            M::GET,
            "/api/v1/public/tasks/{code}",
            "A published task with its draws and teams",
            get(wapi::public_task),
        )
        .gives::<wapi::PublicTask>()
        .public(
            M::GET,
            "/api/v1/public/results",
            "Published results (?q= name or USCC)",
            get(wapi::public_results),
        )
        .query::<disclosure::ResultsQuery>()
        .gives::<ResultsPage>()
        .guarded(M::GET, "/api/v1/plans", View, "Annual plans with their lines and status", get(plans::api_list))
        .gives::<plans::Plans>()
        .guarded(
            M::POST,
            "/api/v1/plans",
            Draft,
            "Add a plan: {year, department, title, description, lines}",
            post(plans::api_add),
        )
        .takes::<NewPlan>()
        .gives::<PlanView>()
        .guarded(
            M::GET,
            "/staff/stats",
            View,
            "统计: a period's figures, each a table with its bar chart (`from`, `to`, `department`)",
            get(statistics::page),
        )
        .guarded(
            M::GET,
            "/staff/stats.xlsx",
            View,
            "统计 as .xlsx: every figure of the page, a row each",
            get(statistics::xlsx),
        )
        .reports()
        .guarded(
            M::GET,
            "/api/v1/stats",
            View,
            "统计: a period's figures (`from`, `to`: this year when absent; `department`: its tasks only) — coverage, items, problems found, handling, timeliness, workload (docs/statistics.md)",
            get(statistics::api_stats),
        )
        .query::<statistics::StatsQuery>()
        .gives::<suiji_domain::stats::Stats>()
        .guarded(
            M::GET,
            "/api/v1/plans/joint-offers",
            View,
            "综合查一次: lines of two departments' plans meeting in kind of firms and period, offered for one joint task (`year`)",
            get(plans::api_joint_offers),
        )
        .query::<plans::OffersQuery>()
        .gives::<plans::JointOffers>()
        .guarded(M::GET, "/api/v1/plans/{id}", View, "A plan and its execution line by line", get(plans::api_show))
        .gives::<plans::PlanDetail>()
        .guarded(
            M::POST,
            "/api/v1/plans/{id}",
            Draft,
            "Change a draft or returned plan: {year, department, title, description, lines}",
            post(plans::api_update),
        )
        .takes::<NewPlan>()
        .gives::<PlanView>()
        .guarded(M::POST, "/api/v1/plans/{id}/submit", Draft, "Submit a plan to the lead office: {comment?}", post(plans::api_step))
        .may_take::<plans::StepBody>()
        .gives::<PlanView>()
        .guarded(M::POST, "/api/v1/plans/{id}/approve", Manage, "Approve a submitted plan: {comment?}", post(plans::api_step))
        .may_take::<plans::StepBody>()
        .gives::<PlanView>()
        .guarded(M::POST, "/api/v1/plans/{id}/return", Manage, "Return a plan for changes: {comment}", post(plans::api_step))
        .takes::<plans::StepBody>()
        .gives::<PlanView>()
        .guarded(M::POST, "/api/v1/plans/{id}/publish", Manage, "Publish an approved plan", post(plans::api_step))
        .may_take::<plans::StepBody>()
        .gives::<PlanView>()
        .guarded(M::GET, "/api/v1/tasks", View, "Tasks", get(wapi::tasks))
        .gives::<wapi::Tasks>()
        .guarded(
            M::POST,
            "/api/v1/tasks",
            Run,
            "Add a draft task: {code?, plan_id?, plan_line_id?, department?, definition}",
            post(wapi::add_task),
        )
        .takes::<wapi::TaskBody>()
        .gives::<TaskView>()
        .guarded(
            M::GET,
            "/api/v1/tasks/{id}",
            View,
            "A task with its draws, teams and inspections",
            get(wapi::task),
        )
        .gives::<wapi::TaskSheet>()
        .guarded(
            M::GET,
            "/api/v1/tasks/{id}/overlaps",
            View,
            "综合查一次: the drawn firms another task (any department) will visit in an overlapping window and has not yet visited",
            get(wapi::overlaps),
        )
        .gives::<suiji_store::workflow::Overlaps>()
        .guarded(
            M::POST,
            "/api/v1/tasks/{id}/merge",
            Run,
            "综合查一次: {with: task_id, targets: [uscc]} — one joint visit a firm, one team drawn under suiji-assign/1 over both assignments' pools with each department's quota (seed <seed A>+<seed B>/merge); each task keeps its inspection and publishes its result",
            post(crate::merges::api_merge),
        )
        .takes::<crate::merges::MergeBody>()
        .gives::<suiji_store::workflow::MergeView>()
        .guarded(
            M::GET,
            "/api/v1/tasks/{id}/merges",
            View,
            "The merges a task takes part in (either side), with their joint teams",
            get(crate::merges::api_merges),
        )
        .gives::<crate::merges::Merges>()
        .guarded(
            M::POST,
            "/api/v1/tasks/{id}",
            Run,
            "Change a draft task: {code?, plan_id?, plan_line_id?, department?, definition}",
            post(wapi::update_task),
        )
        .takes::<wapi::TaskBody>()
        .gives::<TaskView>()
        .guarded(
            M::GET,
            "/api/v1/tasks/{id}/preview",
            View,
            "What publishing would commit to",
            get(wapi::preview),
        )
        .gives::<suiji_domain::workflow::Preview>()
        .guarded(
            M::POST,
            "/api/v1/tasks/{id}/publish",
            Run,
            "Publish a task, freezing its population",
            post(wapi::publish_task),
        )
        .gives::<TaskView>()
        .guarded(M::POST, "/api/v1/tasks/{id}/delete", Run, "Delete a draft task", post(wapi::delete_task))
        .gives::<wapi::Deleted>()
        .guarded(
            M::POST,
            "/api/v1/tasks/{id}/draw",
            Run,
            "Draw: {contributions: [{name, digits}]} or {system: true}",
            post(wapi::draw),
        )
        .takes::<wapi::DrawBody>()
        .gives::<DrawView>()
        .guarded(
            M::POST,
            "/api/v1/tasks/{id}/teams",
            Run,
            "Assign teams; {direct: [{uscc, inspectors}], reason} for a triggered task",
            post(wapi::teams),
        )
        .may_take::<wapi::TeamsBody>()
        .gives::<AssignmentView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}/members/replace",
            Run,
            "Replace one member of an inspection's team (回避 declared late, illness, departure): {member, reason}; the new member is drawn under suiji-assign/1 with the seed <draw seed>/replace/<inspection>/<n>",
            post(wapi::replace_member),
        )
        .takes::<wapi::ReplaceMemberBody>()
        .gives::<suiji_store::workflow::MemberChangeView>()
        .guarded(M::POST, "/api/v1/draws/{id}/annul", Run, "Annul a draw: {reason}", post(wapi::annul))
        .takes::<wapi::AnnulBody>()
        .gives::<DrawView>()
        .guarded(
            M::POST,
            "/api/v1/draws/{id}/replace",
            Run,
            "Replace a gone target: {uscc, reason}",
            post(wapi::replace),
        )
        .takes::<wapi::ReplaceBody>()
        .gives::<Replacement>()
        .guarded(
            M::GET,
            "/api/v1/inspections",
            View,
            "One's inspections and what is due",
            get(wapi::inspections),
        )
        .gives::<wapi::Inspections>()
        .guarded(M::GET, "/api/v1/inspections/{id}", View, "An inspection", get(wapi::inspection))
        .gives::<InspectionView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}",
            Enter,
            "Enter a result: an inspection form",
            post(wapi::save_form),
        )
        .takes::<suiji_domain::workflow::InspectionForm>()
        .gives::<InspectionView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}/publish",
            Enter,
            "Publish a result",
            post(wapi::publish_result),
        )
        .gives::<InspectionView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}/correct",
            Enter,
            "Correct a result: {form, reason}",
            post(wapi::correct),
        )
        .takes::<wapi::CorrectionBody>()
        .gives::<InspectionView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}/approve",
            Manage,
            "Approve an entered result for publication",
            post(wapi::approve_result),
        )
        .gives::<InspectionView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}/return",
            Manage,
            "Return a result: {comment}",
            post(wapi::return_inspection),
        )
        .takes::<wapi::CommentBody>()
        .gives::<InspectionView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}/evidence",
            Enter,
            "Add an evidence file: the body, ?name=FILE",
            post(wapi::add_evidence),
        )
        .query::<wapi::EvidenceQuery>()
        .takes_file()
        .gives::<EvidenceFile>()
        .guarded(
            M::GET,
            "/api/v1/rectifications",
            View,
            "Rectifications (整改): ?status=open|due|overdue|closed",
            get(rectifications::api_list),
        )
        .query::<rectifications::RectificationsQuery>()
        .gives::<rectifications::Rectifications>()
        .guarded(
            M::GET,
            "/api/v1/rectifications/{id}",
            View,
            "A rectification with its follow-ups",
            get(rectifications::api_one),
        )
        .gives::<RectificationView>()
        .guarded(
            M::POST,
            "/api/v1/rectifications/{id}/follow-up",
            Manage,
            "Schedule a follow-up inspection (复查): {draw_team?} (the same team by default)",
            post(rectifications::api_follow_up),
        )
        .may_take::<rectifications::FollowUpBody>()
        .gives::<RectificationView>()
        .guarded(
            M::POST,
            "/api/v1/rectifications/{id}/extend",
            Manage,
            "Extend the deadline once, after a follow-up found it not rectified: {until, reason}",
            post(rectifications::api_extend),
        )
        .takes::<rectifications::ExtendBody>()
        .gives::<RectificationView>()
        .guarded(
            M::POST,
            "/api/v1/rectifications/{id}/escalate",
            Manage,
            "Take a case not put right further: {kind: case|referral, note}",
            post(rectifications::api_escalate),
        )
        .takes::<rectifications::EscalateBody>()
        .gives::<RectificationView>()
        .guarded(
            M::GET,
            "/api/v1/penalties",
            View,
            "Penalty decisions (行政处罚): ?status=due|overdue|published|recorded",
            get(penalties::api_list),
        )
        .query::<penalties::PenaltiesQuery>()
        .gives::<penalties::Penalties>()
        .guarded(
            M::GET,
            "/api/v1/penalties/{id}",
            View,
            "A penalty decision with its notices",
            get(penalties::api_one),
        )
        .gives::<PenaltyView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}/penalties",
            Manage,
            "Record a penalty decision: {procedure, decision_no, decided_on, facts, basis, penalty}",
            post(penalties::api_record),
        )
        .takes::<PenaltyDecision>()
        .gives::<PenaltyView>()
        .guarded(
            M::POST,
            "/api/v1/penalties/{id}/publish",
            Manage,
            "Publish a penalty's notice (一般程序, due 7 working days after the decision)",
            post(penalties::api_publish),
        )
        .gives::<PenaltyView>()
        .guarded(
            M::POST,
            "/api/v1/penalties/{id}/correct",
            Manage,
            "Change a decision: {decision, reason} (the reason required once published)",
            post(penalties::api_correct),
        )
        .takes::<penalties::CorrectBody>()
        .gives::<PenaltyView>()
        .guarded(
            M::POST,
            "/api/v1/inspections/{id}/withhold",
            Manage,
            "Keep an entered result off the portal (不予公开): {basis}",
            post(penalties::api_withhold),
        )
        .takes::<penalties::WithholdBody>()
        .gives::<InspectionView>()
        .guarded(
            M::GET,
            "/api/v1/lists",
            View,
            "Entries on the public lists: ?list=major_violations|wage_arrears&status=proposed|notified|listed|removed",
            get(credit::lists::api_list),
        )
        .query::<credit::lists::EntriesQuery>()
        .gives::<credit::lists::Entries>()
        .guarded(M::GET, "/api/v1/lists/{id}", View, "An entry on a public list", get(credit::lists::api_one))
        .gives::<suiji_store::credit::EntryView>()
        .guarded(
            M::POST,
            "/api/v1/penalties/{id}/lists",
            Manage,
            "Propose an entry from a penalty decision: {list, kinds, facts?, handling?}",
            post(credit::lists::api_propose),
        )
        .takes::<credit::lists::ProposeBody>()
        .gives::<suiji_store::credit::EntryView>()
        .guarded(
            M::POST,
            "/api/v1/lists/{id}/publish",
            Manage,
            "Publish a serious violation (due 20 working days after the decision)",
            post(credit::lists::api_publish),
        )
        .gives::<suiji_store::credit::EntryView>()
        .guarded(
            M::POST,
            "/api/v1/lists/{id}/notify",
            Manage,
            "Record that the firm was told it is to be listed: {notified_on}",
            post(credit::lists::api_notify),
        )
        .takes::<credit::lists::NotifyBody>()
        .gives::<suiji_store::credit::EntryView>()
        .guarded(
            M::POST,
            "/api/v1/lists/{id}/decide",
            Manage,
            "List the firm for wage arrears: {statement?, term_years?} (after its statement's deadline)",
            post(credit::lists::api_decide),
        )
        .may_take::<credit::lists::DecideBody>()
        .gives::<suiji_store::credit::EntryView>()
        .guarded(
            M::POST,
            "/api/v1/lists/{id}/repair",
            Manage,
            "Remove early, its credit repaired (信用修复): {reason}",
            post(credit::lists::api_repair),
        )
        .takes::<credit::lists::RemoveBody>()
        .gives::<suiji_store::credit::EntryView>()
        .guarded(
            M::POST,
            "/api/v1/lists/{id}/remove",
            Manage,
            "Remove at the end of its term: {reason?}",
            post(credit::lists::api_remove),
        )
        .may_take::<credit::lists::RemoveBody>()
        .gives::<suiji_store::credit::EntryView>()
        .public(
            M::GET,
            "/api/v1/public/lists/major-violations",
            "重大劳动保障违法行为社会公布: who is on it, and who left it",
            get(credit::lists::api_public::<true>),
        )
        .gives::<suiji_store::credit::PublicList>()
        .public(
            M::GET,
            "/api/v1/public/lists/wage-arrears",
            "拖欠农民工工资失信联合惩戒对象名单: who is on it, and who left it",
            get(credit::lists::api_public::<false>),
        )
        .gives::<suiji_store::credit::PublicList>()
        .guarded(
            M::GET,
            "/api/v1/credit/evaluations",
            View,
            "守法诚信等级评价: the evaluations, newest first",
            get(credit::grades::api_list),
        )
        .gives::<credit::grades::Evaluations>()
        .guarded(
            M::POST,
            "/api/v1/credit/evaluations",
            Manage,
            "Propose each firm's grade for a year: {year}",
            post(credit::grades::api_evaluate),
        )
        .takes::<credit::grades::EvaluateBody>()
        .gives::<suiji_store::credit::EvaluationView>()
        .guarded(
            M::GET,
            "/api/v1/credit/evaluations/{id}",
            View,
            "An evaluation with each firm's proposed grade and reasons",
            get(credit::grades::api_one),
        )
        .gives::<suiji_store::credit::EvaluationView>()
        .guarded(
            M::POST,
            "/api/v1/credit/evaluations/{id}/adjust",
            Manage,
            "Set a firm's grade other than proposed: {uscc, grade, reason}",
            post(credit::grades::api_adjust),
        )
        .takes::<credit::grades::AdjustBody>()
        .gives::<suiji_store::credit::EvaluationView>()
        .guarded(
            M::POST,
            "/api/v1/credit/evaluations/{id}/confirm",
            Manage,
            "Confirm an evaluation: the grades are written, with their history",
            post(credit::grades::api_confirm),
        )
        .gives::<suiji_store::credit::EvaluationView>()
        .guarded(
            M::GET,
            "/api/v1/targets/{key}/dossier",
            View,
            "A firm's dossier (诚信档案), every record",
            get(credit::dossier::api_staff),
        )
        .gives::<suiji_store::credit::Dossier>()
        .guarded(
            M::GET,
            "/api/v1/targets/{key}/inspections",
            View,
            "检查台账: a firm's inspections in a year (`year`, this year when left out) with their kind, department and exemption, and the counts against the bureau's limits",
            get(ledger::api),
        )
        .query::<ledger::LedgerQuery>()
        .gives::<suiji_store::workflow::Ledger>()
        .guarded(M::GET, "/api/v1/leads", Run, "线索: the leads within reach, newest first (`status`: open, tasked, closed)", get(leads::api_list))
        .query::<leads::LeadsQuery>()
        .gives::<leads::Leads>()
        .guarded(
            M::POST,
            "/api/v1/leads",
            Run,
            "Register a lead (投诉举报, 转办交办, 网络监测, 风险防控) for the account's department",
            post(leads::api_register),
        )
        .takes::<suiji_domain::workflow::NewLead>()
        .gives::<suiji_store::workflow::LeadView>()
        .guarded(
            M::GET,
            "/api/v1/leads/multi-point",
            Run,
            "多点触发: firms with several leads in the last days",
            get(leads::api_multi_point),
        )
        .gives::<leads::MultiPoints>()
        .guarded(
            M::GET,
            "/api/v1/leads/{id}",
            Run,
            "A lead, its firms with their risk scores, its files",
            get(leads::api_one),
        )
        .gives::<suiji_store::workflow::LeadView>()
        .guarded(
            M::POST,
            "/api/v1/leads/{id}/close",
            Run,
            "不予立项: close an open lead without a task, with the reason",
            post(leads::api_close),
        )
        .takes::<leads::Closing>()
        .gives::<suiji_store::workflow::LeadView>()
        .guarded(
            M::POST,
            "/api/v1/leads/{id}/files",
            Run,
            "Keep a file with a lead: the body, ?name=FILE",
            post(leads::api_add_file),
        )
        .query::<leads::FileQuery>()
        .takes_file()
        .gives::<suiji_store::workflow::LeadFile>()
        .public(
            M::GET,
            "/api/v1/public/targets/{key}/dossier",
            "A firm's public dossier: what the portal publishes",
            get(credit::dossier::api_public),
        )
        .gives::<suiji_store::credit::Dossier>()
        .public(
            M::GET,
            "/api/v1/public/penalties",
            "Published penalty notices (?q= name or USCC)",
            get(penalties::api_public),
        )
        .query::<penalties::NoticesQuery>()
        .gives::<PenaltyNoticesPage>()
}

/// The table of routes.
pub static ROUTES: LazyLock<Vec<RouteInfo>> = LazyLock::new(|| build().table);

/// A sign-in form: a user name, a password, where to go and a token — a few hundred bytes.
const LOGIN_BODY_LIMIT: usize = 8 << 10;

/// The largest form or JSON document (an inspection form with long findings is well under it).
pub(crate) const BODY_LIMIT: usize = 2 << 20;

/// The largest upload: a directory file, an evidence file.
const UPLOAD_LIMIT: usize = 64 << 20;

/// The whole application.
pub fn router(state: AppState) -> Router {
    let headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    let mut router = build()
        .router
        .fallback(not_found)
        .layer(from_fn(crate::input::text_guard))
        .layer(from_fn_with_state(state.clone(), auth::identify))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn(crate::error::api_errors_as_json));
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    router.with_state(state)
}

async fn not_found(req: Request) -> axum::response::Response {
    if req.uri().path().starts_with("/api/") {
        crate::error::ApiError::not_found().into_response()
    } else {
        crate::error::PageError::not_found(crate::lang::Lang::of(req.uri(), req.headers())).into_response()
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/suiji.css"),
    )
}

async fn document_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        documents::CSS,
    )
}

async fn favicon() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../static/favicon.svg"),
    )
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/suiji.js"),
    )
}

async fn openapi() -> axum::Json<Value> {
    // The route table is fixed for the process's life, and so is its document.
    static DOCUMENT: LazyLock<Value> = LazyLock::new(crate::openapi::document);
    axum::Json(DOCUMENT.clone())
}
