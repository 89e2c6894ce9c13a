//! 年度抽查计划, pages and API side by side: a department drafts its plan line by line and
//! submits it; the 牵头科室 approves it or returns it with a comment, and publishes it; the
//! published plans of a year are the bureau's annual plan on the portal. Each plan's page shows
//! its execution: the tasks carrying out each line, against what was planned. The rules are the
//! domain's (`suiji_domain::workflow::PlanStep`) and the store's (which keeps a department's
//! staff to their own plans).

use crate::api::ApiQuery;
use crate::api_workflow::body;
use crate::auth::{MaybeViewer, Viewer};
use crate::error::{ApiError, PageError, form_status, render, render_status};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, page_error, problems_text};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use suiji_domain::access::{Action, allowed};
use suiji_domain::workflow::{Invalid, ItemFacts, PlanLine, PlanStatus, PlanStep, parse_ratio};
use suiji_store::audit::{self, Entry, Filter};
use suiji_store::workflow::{
    self as wf, JointOffer, LineExecution, NewPlan, PlanLineView, PlanView, TaskView, WorkflowError,
};

type Reply<T> = Result<Json<T>, ApiError>;

// ---- the API ----

#[derive(Serialize, JsonSchema)]
pub struct Plans {
    pub plans: Vec<PlanView>,
}

/// `GET /api/v1/plans`
pub async fn api_list(State(state): State<AppState>) -> Reply<Plans> {
    Ok(Json(Plans { plans: wf::plans(&state.store, false).await? }))
}

/// A plan with its execution, line by line.
#[derive(Serialize, JsonSchema)]
pub struct PlanDetail {
    pub plan: PlanView,
    pub execution: Vec<LineExecution>,
}

/// `?year=`: one year's offers; every year's when absent.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OffersQuery {
    #[serde(default)]
    #[schemars(range(min = 2000, max = 2100))]
    year: Option<i32>,
}

/// Lines of two departments' plans offered for one joint task.
#[derive(Serialize, JsonSchema)]
pub struct JointOffers {
    pub offers: Vec<JointOffer>,
}

/// `GET /api/v1/plans/joint-offers?year=`
pub async fn api_joint_offers(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<OffersQuery>,
) -> Reply<JointOffers> {
    if let Some(y) = q.year.filter(|y| !(2000..=2100).contains(y)) {
        return Err(ApiError::field(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "year",
            format!("the year is 2000 to 2100, found {y}"),
        ));
    }
    Ok(Json(JointOffers { offers: wf::joint_offers(&state.store, q.year).await? }))
}

/// `GET /api/v1/plans/{id}`
pub async fn api_show(State(state): State<AppState>, Path(id): Path<i64>) -> Reply<PlanDetail> {
    let plan = wf::plan(&state.store, id).await?;
    let execution = wf::execution(&state.store, &plan).await?;
    Ok(Json(PlanDetail { plan, execution }))
}

/// `POST /api/v1/plans`: `{year, department, title, description, lines}`.
pub async fn api_add(State(state): State<AppState>, viewer: Viewer, bytes: Bytes) -> Reply<PlanView> {
    let plan: NewPlan = body(&bytes)?;
    let own = viewer.user.own_department();
    Ok(Json(wf::save_plan(&state.store, None, &plan, &viewer.user.actor(), own).await?))
}

/// `POST /api/v1/plans/{id}`: the plan as it now is (a draft or one returned).
pub async fn api_update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Reply<PlanView> {
    let own = viewer.user.own_department();
    let plan: NewPlan = body(&bytes)?;
    Ok(Json(wf::save_plan(&state.store, Some(id), &plan, &viewer.user.actor(), own).await?))
}

/// A step's comment (a return's reason).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_TEXT))]
    pub comment: String,
}

/// The step a route's path ends with (`…/submit`): one handler serves the four, each route
/// guarded by its own action in the route table.
fn step_of(uri: &Uri) -> PlanStep {
    uri.path().rsplit('/').next().and_then(PlanStep::parse).expect("a plan step's route ends with its step")
}

/// `POST /api/v1/plans/{id}/submit|approve|return|publish`: `{comment}` (a return's required).
pub async fn api_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    uri: Uri,
    bytes: Bytes,
) -> Reply<PlanView> {
    let own = viewer.user.own_department();
    let b: StepBody = if bytes.is_empty() { StepBody::default() } else { body(&bytes)? };
    Ok(Json(wf::plan_step(&state.store, id, step_of(&uri), &b.comment, &viewer.user.actor(), own).await?))
}

/// A published plan as the public sees it: no account names, no review comments.
#[derive(Serialize, JsonSchema)]
pub struct PublicPlan {
    pub id: i64,
    pub year: i32,
    pub department: String,
    pub title: String,
    pub description: String,
    pub published_at: Option<DateTime<Utc>>,
    pub lines: Vec<PlanLineView>,
}

#[derive(Serialize, JsonSchema)]
pub struct PublicPlans {
    pub plans: Vec<PublicPlan>,
}

fn public(p: PlanView) -> PublicPlan {
    PublicPlan {
        id: p.id,
        year: p.year,
        department: p.department,
        title: p.title,
        description: p.description,
        published_at: p.published_at,
        lines: p.lines,
    }
}

/// `GET /api/v1/public/plans`
pub async fn api_public(State(state): State<AppState>) -> Reply<PublicPlans> {
    Ok(Json(PublicPlans { plans: wf::plans(&state.store, true).await?.into_iter().map(public).collect() }))
}

// ---- the pages ----

/// A line's kind of firm as people read it: each industry prefix with its GB/T 4754 name
/// (`L726 人力资源服务`), or every kind.
fn kinds(lang: Lang, industries: &[String]) -> String {
    if industries.is_empty() {
        return lang.t("各类单位", "every kind").to_owned();
    }
    let codes = suiji_domain::codes::Codes::builtin();
    industries
        .iter()
        .map(|i| match codes.industry(i) {
            Some(found) if !lang.is_en() => format!("{i} {}", found.name),
            _ => i.clone(),
        })
        .collect::<Vec<_>>()
        .join(lang.t("、", ", "))
}

/// Blank rows a plan's form offers below its lines.
const BLANK_ROWS: usize = 3;

/// One line of the form, as typed.
#[derive(Debug, Clone, Default)]
struct Row {
    item: String,
    count: String,
    ratio: String,
    from: String,
    to: String,
    joint: Vec<String>,
    note: String,
    /// Industry code prefixes, separated by spaces.
    industries: String,
}

impl Row {
    fn of(l: &PlanLine) -> Row {
        Row {
            item: l.item.clone(),
            count: l.expected_count.map(|n| n.to_string()).unwrap_or_default(),
            ratio: l.ratio_text().unwrap_or_default(),
            from: l.window_start.to_string(),
            to: l.window_end.to_string(),
            joint: l.joint_departments.clone(),
            note: l.note.clone(),
            industries: l.industries.join(" "),
        }
    }

    fn blank(year: i32) -> Row {
        let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).map(|d| d.to_string()).unwrap_or_default();
        Row { from: day(1, 1), to: day(12, 31), ..Row::default() }
    }

    fn is_blank(&self) -> bool {
        self.item.is_empty()
            && self.count.is_empty()
            && self.ratio.is_empty()
            && self.note.is_empty()
            && self.industries.is_empty()
    }
}

/// The form's rows (`item_N`, `industries_N`, `count_N`, `ratio_N`, `from_N`, `to_N`,
/// `joint_N`, `note_N` for N from 1), blank ones left out.
fn rows_of(f: &Fields) -> Vec<Row> {
    (1..=suiji_domain::workflow::MAX_LINES + BLANK_ROWS)
        .map_while(|n| {
            let key = |k: &str| format!("{k}_{n}");
            f.0.iter().any(|(k, _)| k.ends_with(&format!("_{n}"))).then(|| Row {
                item: f.get(&key("item")).to_owned(),
                count: f.get(&key("count")).to_owned(),
                ratio: f.get(&key("ratio")).to_owned(),
                from: f.get(&key("from")).to_owned(),
                to: f.get(&key("to")).to_owned(),
                joint: f.all(&key("joint")),
                note: f.get(&key("note")).to_owned(),
                industries: f.get(&key("industries")).to_owned(),
            })
        })
        .filter(|r| !r.is_blank())
        .collect()
}

/// The plan the form describes, or what is wrong with what was typed.
fn plan_of(f: &Fields, rows: &[Row]) -> Result<NewPlan, Vec<Invalid>> {
    let mut out = Vec::new();
    let year = f.number("year", &mut out, 0);
    let mut lines = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let n = i + 1;
        let count = match r.count.as_str() {
            "" => None,
            c => c.parse::<u32>().map(Some).unwrap_or_else(|_| {
                out.push(Invalid::new(
                    &format!("lines[{n}].expected_count"),
                    format!("第 {n} 行：计划户数“{c}”不是整数"),
                    format!("line {n}: the count {c:?} is not a whole number"),
                ));
                None
            }),
        };
        let ratio = match r.ratio.as_str() {
            "" => None,
            t => parse_ratio(t).map(Some).unwrap_or_else(|| {
                out.push(Invalid::new(
                    &format!("lines[{n}].expected_ratio_bp"),
                    format!("第 {n} 行：计划比例“{t}”应为百分比，如 5%"),
                    format!("line {n}: the ratio {t:?} is a percentage such as 5%"),
                ));
                None
            }),
        };
        let day = |v: &str, field: &str, out: &mut Vec<Invalid>| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").unwrap_or_else(|_| {
                out.push(Invalid::new(
                    &format!("lines[{n}].{field}"),
                    format!("第 {n} 行：“{v}”不是日期（YYYY-MM-DD）"),
                    format!("line {n}: {v:?} is not a date (YYYY-MM-DD)"),
                ));
                NaiveDate::default()
            })
        };
        let window_start = day(&r.from, "window_start", &mut out);
        let window_end = day(&r.to, "window_end", &mut out);
        lines.push(PlanLine {
            item: r.item.clone(),
            expected_count: count,
            expected_ratio_bp: ratio,
            window_start,
            window_end,
            joint_departments: r.joint.clone(),
            note: r.note.clone(),
            industries: r
                .industries
                .split([' ', ',', '，', '、', '\u{3000}'])
                .filter(|i| !i.is_empty())
                .map(|i| i.to_uppercase())
                .collect(),
        });
    }
    let plan = NewPlan {
        year,
        department: f.get("department").to_owned(),
        title: f.get("title").to_owned(),
        description: f.get("description").to_owned(),
        lines,
    };
    if out.is_empty() { Ok(plan) } else { Err(out) }
}

/// What the viewer may do with plans.
struct Powers {
    /// Draft and submit (own department's only, when confined).
    draft: bool,
    /// Approve, return, publish: the 牵头科室.
    lead: bool,
    /// The department the viewer is confined to.
    own: Option<String>,
}

impl Powers {
    fn of(viewer: &Viewer) -> Powers {
        Powers {
            draft: allowed(viewer.user.role, Action::DraftPlans),
            lead: allowed(viewer.user.role, Action::ManageTasks),
            own: viewer.user.own_department().map(str::to_owned),
        }
    }

    /// Whether the viewer may change or submit `p`.
    fn drafts(&self, p: &PlanView) -> bool {
        self.draft && self.own.as_deref().is_none_or(|d| d == p.department)
    }
}

#[derive(Template)]
#[template(path = "plans.html")]
struct ListPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    plans: Vec<PlanView>,
    /// The tasks, shown under their plans.
    tasks: Vec<TaskView>,
    powers: Powers,
    /// Departments a new plan may be of.
    departments: Vec<String>,
    this_year: i32,
    error: Option<String>,
    /// Lines of two departments to do together (综合查一次).
    offers: Vec<JointOffer>,
}

impl ListPage<'_> {
    fn kinds(&self, industries: &[String]) -> String {
        kinds(self.lang, industries)
    }

    fn status(&self, s: &PlanStatus) -> &'static str {
        self.lang.t(s.zh(), s.en())
    }

    fn tasks_of(&self, p: &PlanView) -> Vec<&TaskView> {
        self.tasks.iter().filter(|t| t.plan_id == Some(p.id)).collect()
    }

    /// Plans waiting for the 牵头科室.
    fn waiting(&self) -> usize {
        self.plans.iter().filter(|p| p.status == PlanStatus::Submitted).count()
    }
}

async fn departments_for(state: &AppState, powers: &Powers) -> Result<Vec<String>, WorkflowError> {
    let all = wf::departments(&state.store).await?;
    Ok(match &powers.own {
        Some(d) => all.into_iter().filter(|n| n == d).collect(),
        None => all,
    })
}

async fn list_page(state: &AppState, lang: Lang, viewer: &Viewer, error: Option<String>) -> Response {
    let powers = Powers::of(viewer);
    let read = async {
        let plans = wf::plans(&state.store, false).await?;
        let tasks = wf::tasks(&state.store, false, None).await?;
        let departments = departments_for(state, &powers).await?;
        let offers = wf::joint_offers(&state.store, None).await?;
        Ok::<_, WorkflowError>((plans, tasks, departments, offers))
    };
    match read.await {
        Ok((plans, tasks, departments, offers)) => {
            let status = form_status(error.is_some());
            let page = ListPage {
                lang,
                viewer: Some(viewer),
                csrf: viewer.csrf().to_owned(),
                plans,
                tasks,
                powers,
                departments,
                this_year: chrono::Datelike::year(&wf::china_today()),
                error,
                offers,
            };
            render_status(status, lang, &page)
        }
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// `GET /staff/plans`
pub async fn list(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    list_page(&state, lang, &viewer, None).await
}

/// `POST /staff/plans`: `year`, `department`, `title`, `description`; its lines are filled
/// in on its own page.
pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let plan = match plan_of(&f, &[]) {
        Ok(p) => p,
        Err(p) => return list_page(&state, lang, &viewer, Some(problems_text(lang, &p))).await,
    };
    let own = viewer.user.own_department();
    match wf::save_plan(&state.store, None, &plan, &viewer.user.actor(), own).await {
        Ok(p) => Redirect::to(&format!("/staff/plans/{}", p.id)).into_response(),
        Err(WorkflowError::Invalid(p)) => {
            list_page(&state, lang, &viewer, Some(problems_text(lang, &p))).await
        }
        Err(e) => page_error(lang, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    plan: PlanView,
    execution: Vec<LineExecution>,
    /// The tasks carrying out its lines.
    tasks: Vec<TaskView>,
    /// The form's rows: as typed after a refusal, else the lines and a few blank ones.
    rows: Vec<Row>,
    items: Vec<ItemFacts>,
    departments: Vec<String>,
    /// The plan's entries in the audit log, newest first.
    history: Vec<Entry>,
    people: crate::people::People,
    powers: Powers,
    error: Option<String>,
}

impl PlanPage<'_> {
    fn kinds(&self, industries: &[String]) -> String {
        kinds(self.lang, industries)
    }

    fn status(&self) -> &'static str {
        self.lang.t(self.plan.status.zh(), self.plan.status.en())
    }

    fn editable(&self) -> bool {
        self.plan.status.editable() && self.powers.drafts(&self.plan)
    }

    fn can(&self, step: &str) -> bool {
        let Some(step) = PlanStep::parse(step) else { return false };
        let power = if step.by_lead_office() { self.powers.lead } else { self.powers.drafts(&self.plan) };
        power && step.apply(self.plan.status).is_ok()
    }

    fn count(&self, n: &Option<u32>) -> String {
        n.map(|n| n.to_string()).unwrap_or_else(|| "—".into())
    }

    fn ratio(&self, bp: &Option<u32>) -> String {
        bp.map(suiji_domain::directory::percent).unwrap_or_else(|| "—".into())
    }

    /// What a line plans: a count, a share, or both (`20 / 5%`).
    fn planned(&self, e: &LineExecution) -> String {
        match (e.expected_count, e.expected_ratio_bp) {
            (Some(n), Some(bp)) => format!("{n} / {}", suiji_domain::directory::percent(bp)),
            (Some(n), None) => n.to_string(),
            (None, Some(bp)) => suiji_domain::directory::percent(bp),
            (None, None) => "—".into(),
        }
    }

    /// What share of the eligible targets its tasks drew.
    fn drawn_share(&self, e: &LineExecution) -> String {
        if e.eligible == 0 {
            return "—".into();
        }
        let bp = (e.drawn * 10_000 + e.eligible / 2) / e.eligible;
        suiji_domain::directory::percent(u32::try_from(bp).unwrap_or(u32::MAX))
    }

    fn joint(&self, l: &PlanLineView) -> String {
        l.line.joint_departments.join("、")
    }

    fn task_title(&self, code: &str) -> String {
        self.tasks.iter().find(|t| t.code == code).map(|t| t.definition.title.clone()).unwrap_or_default()
    }

    fn task_id(&self, code: &str) -> i64 {
        self.tasks.iter().find(|t| t.code == code).map_or(0, |t| t.id)
    }

    fn time(&self, at: &DateTime<Utc>) -> String {
        crate::pages::china_time(*at)
    }

    fn person(&self, e: &Entry) -> String {
        self.people.name(&e.actor, &e.role)
    }

    fn action(&self, e: &Entry) -> String {
        suiji_domain::audit::action_name(&e.action, self.lang.is_en()).to_owned()
    }

    fn comment(&self, e: &Entry) -> String {
        let change: serde_json::Value = serde_json::from_str(&e.change).unwrap_or_default();
        change.get("comment").and_then(|c| c.as_str()).unwrap_or_default().to_owned()
    }

    fn selected(&self, row: &Row, department: &str) -> bool {
        row.joint.iter().any(|d| d == department)
    }

    /// The departments a line may share its work with: all but the plan's own.
    fn others(&self) -> Vec<&String> {
        self.departments.iter().filter(|d| **d != self.plan.department).collect()
    }
}

async fn plan_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: i64,
    typed: Option<(Vec<Row>, String)>,
) -> Result<Response, PageError> {
    let store = &state.store;
    let plan = wf::plan(store, id).await.map_err(|e| page_error(lang, e))?;
    let execution = wf::execution(store, &plan).await.map_err(|e| page_error(lang, e))?;
    let tasks: Vec<TaskView> = wf::tasks(store, false, None)
        .await
        .map_err(|e| page_error(lang, e))?
        .into_iter()
        .filter(|t| t.plan_id == Some(id))
        .collect();
    let items = wf::active_items(store).await.map_err(|e| page_error(lang, e))?;
    let departments = wf::departments(store).await.map_err(|e| page_error(lang, e))?;
    let filter = Filter { object: Some(format!("plan/{id}")), ..Filter::default() };
    let object = format!("plan/{id}");
    let history: Vec<Entry> = audit::search(store, &filter, None, 100)
        .await
        .map_err(|e| PageError::internal(lang, e))?
        .into_iter()
        .filter(|e| e.object == object)
        .collect();
    let people = crate::people::People::load(store).await.map_err(|e| PageError::internal(lang, e))?;
    let (rows, error) = match typed {
        Some((rows, error)) => (rows, Some(error)),
        None => {
            let mut rows: Vec<Row> = plan.lines.iter().map(|l| Row::of(&l.line)).collect();
            rows.extend(std::iter::repeat_n(Row::blank(plan.year), BLANK_ROWS));
            (rows, None)
        }
    };
    let status = form_status(error.is_some());
    let page = PlanPage {
        lang,
        viewer: Some(viewer),
        csrf: viewer.csrf().to_owned(),
        plan,
        execution,
        tasks,
        rows,
        items,
        departments,
        history,
        people,
        powers: Powers::of(viewer),
        error,
    };
    Ok(render_status(status, lang, &page))
}

/// `GET /staff/plans/{id}`
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    plan_page(&state, lang, &viewer, id, None).await
}

/// `POST /staff/plans/{id}`: the plan's fields and its rows.
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let own = viewer.user.own_department();
    let f = Fields(pairs);
    let rows = rows_of(&f);
    let refused = |problems: Vec<Invalid>| {
        let mut rows = rows.clone();
        rows.push(Row::blank(f.get("year").parse().unwrap_or(2026)));
        Some((rows, problems_text(lang, &problems)))
    };
    let plan = match plan_of(&f, &rows) {
        Ok(p) => p,
        Err(p) => return plan_page(&state, lang, &viewer, id, refused(p)).await,
    };
    match wf::save_plan(&state.store, Some(id), &plan, &viewer.user.actor(), own).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/plans/{id}")).into_response()),
        Err(WorkflowError::Invalid(p)) => plan_page(&state, lang, &viewer, id, refused(p)).await,
        Err(e) => Err(page_error(lang, e)),
    }
}

/// `POST /staff/plans/{id}/submit|approve|return|publish`: `comment` (a return's required).
pub async fn step(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    uri: Uri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let own = viewer.user.own_department();
    let comment = Fields(pairs);
    let taken =
        wf::plan_step(&state.store, id, step_of(&uri), comment.get("comment"), &viewer.user.actor(), own)
            .await;
    crate::workflow::done_or_error(lang, taken, &format!("/staff/plans/{id}"))
}

/// The bureau's annual plan for one year: its departments' published plans together.
struct Year {
    year: i32,
    plans: Vec<PublicPlan>,
}

#[derive(Template)]
#[template(path = "public_plans.html")]
struct PublicPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    years: Vec<Year>,
    /// Published tasks, under the plans they carry out.
    tasks: Vec<TaskView>,
}

impl PublicPage<'_> {
    fn tasks_of(&self, line: &PlanLineView) -> Vec<&TaskView> {
        self.tasks.iter().filter(|t| t.plan_line_id == Some(line.id)).collect()
    }

    fn count(&self, n: &Option<u32>) -> String {
        n.map(|n| n.to_string()).unwrap_or_else(|| "—".into())
    }

    fn ratio(&self, bp: &Option<u32>) -> String {
        bp.map(suiji_domain::directory::percent).unwrap_or_else(|| "—".into())
    }

    fn joint(&self, l: &PlanLineView) -> String {
        l.line.joint_departments.join("、")
    }

    fn lines(&self, y: &Year) -> usize {
        y.plans.iter().map(|p| p.lines.len()).sum()
    }
}

/// `GET /public/plans`: each year's annual plan, newest first.
pub async fn public_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
) -> Result<Response, PageError> {
    let plans = wf::plans(&state.store, true).await.map_err(|e| PageError::internal(lang, e))?;
    let tasks = wf::tasks(&state.store, true, None).await.map_err(|e| page_error(lang, e))?;
    let mut years: Vec<Year> = Vec::new();
    for p in plans.into_iter().map(public) {
        match years.last_mut() {
            Some(y) if y.year == p.year => y.plans.push(p),
            _ => years.push(Year { year: p.year, plans: vec![p] }),
        }
    }
    Ok(render(lang, &PublicPage { lang, viewer: viewer.0.as_ref(), years, tasks }))
}
