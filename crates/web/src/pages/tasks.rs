//! The organizer's pages: plans, tasks (drafted with a live preview of what publishing
//! commits to), the draw ceremony made for a projector, annulment and replacement, and teams.

use super::china_time;
use crate::auth::Viewer;
use crate::error::{PageError, form_status, render, render_status};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, done_or_error, page_error, problems_text, step_as_job, task_definition};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use suiji_domain::access::{Action, allowed};
use suiji_domain::directory::{CreditGrade, Method, RiskClass, Scale};
use suiji_domain::workflow::{Invalid, ItemFacts, Preview, SizeSpec, StratumField, TaskKind, TeamSpec};
use suiji_store::workflow::{
    self as wf, AssignmentView, Contribution, DirectTeam, DrawView, InspectionView, PlanView, SeedInput,
    TaskView,
};

/// Whether the viewer runs tasks: a 业务科室's staff its own department's, the 牵头科室 all.
fn can_run(viewer: &Viewer) -> bool {
    allowed(viewer.user.role, Action::RunTasks)
}

/// Whether the viewer runs this task (see [`can_run`]).
fn runs(viewer: &Viewer, task: &TaskView) -> bool {
    can_run(viewer) && viewer.user.own_department().is_none_or(|d| d == task.department)
}

// ---- tasks ----

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    tasks: Vec<TaskView>,
    manage: bool,
    public: bool,
}

pub async fn tasks(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    match wf::tasks(&state.store, false, None).await {
        Ok(tasks) => render(
            lang,
            &TasksPage { lang, viewer: Some(&viewer), manage: can_run(&viewer), tasks, public: false },
        ),
        Err(e) => page_error(lang, e).into_response(),
    }
}

pub async fn public_tasks(
    State(state): State<AppState>,
    lang: Lang,
    viewer: crate::auth::MaybeViewer,
) -> Response {
    match wf::tasks(&state.store, true, None).await {
        Ok(tasks) => {
            render(lang, &TasksPage { lang, viewer: viewer.0.as_ref(), manage: false, tasks, public: true })
        }
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// What the task form shows, filled from a definition or from the fields sent.
#[derive(Template)]
#[template(path = "task_form.html")]
struct TaskFormPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    id: Option<i64>,
    f: Fields,
    items: Vec<ItemFacts>,
    plans: Vec<PlanView>,
    departments: Vec<String>,
    /// The department the viewer is kept to: the only one its tasks may be run by.
    own: Option<String>,
    preview: Option<Preview>,
    problems: Vec<Invalid>,
    /// The least team the bureau's rules allow (its `team_size`, never under two).
    least_team: u32,
}

impl TaskFormPage<'_> {
    fn checked(&self, name: &str, value: &str) -> bool {
        self.f.0.iter().any(|(k, v)| k == name && v == value)
    }

    fn value(&self, name: &str) -> &str {
        self.f.get(name)
    }

    fn scales(&self) -> &'static [Scale] {
        Scale::ALL
    }

    fn grades(&self) -> &'static [CreditGrade] {
        CreditGrade::ALL
    }

    fn risks(&self) -> &'static [RiskClass] {
        RiskClass::ALL
    }

    fn exemptions(&self) -> &'static [suiji_domain::workflow::Exemption] {
        &suiji_domain::workflow::Exemption::OF_TASKS
    }

    fn trigger_kinds(&self) -> &'static [suiji_domain::workflow::LeadSource] {
        &suiji_domain::workflow::LeadSource::ALL
    }

    fn methods(&self) -> &'static [Method] {
        Method::ALL
    }

    fn strata(&self) -> [StratumField; 5] {
        StratumField::ALL
    }
}

/// Where the form's `plan` field places a task: `p12` a plan alone, `l34` a plan's line.
fn placement(value: &str) -> (Option<i64>, Option<i64>) {
    match value.split_at_checked(1) {
        Some(("p", id)) => (id.parse().ok(), None),
        Some(("l", id)) => (None, id.parse().ok()),
        _ => (None, None),
    }
}

/// The fields a definition fills in, so the same form shows a saved task and one sent back.
fn fields_of(t: &TaskView) -> Fields {
    let d = &t.definition;
    let mut f: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| f.push((k.to_owned(), v));
    put("code", t.code.clone());
    let plan = match (t.plan_id, t.plan_line_id) {
        (_, Some(line)) => format!("l{line}"),
        (Some(plan), None) => format!("p{plan}"),
        _ => String::new(),
    };
    put("plan", plan);
    put("department", t.department.clone());
    put("title", d.title.clone());
    put("kind", if d.kind == TaskKind::Triggered { "triggered".into() } else { "random".into() });
    put("trigger", d.trigger.clone());
    put("trigger_kind", d.trigger_kind.map(|k| k.code().to_owned()).unwrap_or_default());
    put("leads", d.leads.iter().map(i64::to_string).collect::<Vec<_>>().join(" "));
    put("targets", d.eligibility.targets.join(" "));
    for i in &d.items {
        put("items", i.clone());
    }
    put("departments", d.departments.join("、"));
    put("kinds", d.eligibility.kinds.join("、"));
    for s in &d.eligibility.scales {
        put("scales", s.clone());
    }
    put("industry_prefixes", d.eligibility.industry_prefixes.join(" "));
    put("region_prefixes", d.eligibility.region_prefixes.join(" "));
    for g in &d.eligibility.credit_grades {
        put("credit_grades", g.clone());
    }
    for r in &d.eligibility.risk_classes {
        put("risk_classes", r.clone());
    }
    match &d.size {
        SizeSpec::Count(k) => {
            put("size_kind", "count".into());
            put("size_count", k.to_string());
        }
        SizeSpec::RatioBp(bp) => {
            put("size_kind", "ratio".into());
            put("size_ratio", suiji_domain::directory::percent(*bp).trim_end_matches('%').to_owned());
        }
        SizeSpec::Shares(shares) => {
            put("size_kind", "shares".into());
            put(
                "size_shares",
                shares
                    .iter()
                    .map(|(k, s)| {
                        let ratio = suiji_domain::directory::percent(s.ratio_bp);
                        let floor = if s.floor > 0 { format!(",{}", s.floor) } else { String::new() };
                        format!("{}={ratio}{floor}", suiji_domain::workflow::stratum_zh(k))
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        SizeSpec::Quotas(q) => {
            put("size_kind", "quotas".into());
            put("size_quotas", q.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n"));
        }
    }
    put("stratify_by", d.stratify_by.map(|s| s.code().to_owned()).unwrap_or_default());
    put("weight_a", d.weights.a.to_string());
    put("weight_b", d.weights.b.to_string());
    put("weight_c", d.weights.c.to_string());
    put("weight_unrated", d.weights.unrated.to_string());
    put("yearly_cap", d.yearly_cap.to_string());
    put("exemption", d.exemption.map(|e| e.code().to_owned()).unwrap_or_default());
    if let Some(r) = d.risk_weights {
        for (k, w) in [
            ("risk_a", r.a),
            ("risk_b", r.b),
            ("risk_c", r.c),
            ("risk_d", r.d),
            ("risk_none", r.unclassified),
        ] {
            put(k, w.to_string());
        }
    }
    put("window_start", d.window_start.to_string());
    put("window_end", d.window_end.to_string());
    put("method", d.method.clone());
    match &d.team {
        TeamSpec::Size(g) => put("team_size", g.to_string()),
        TeamSpec::Joint(c) => {
            put("team_size", c.values().sum::<u32>().to_string());
            put("team_joint", c.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n"));
        }
    }
    put("max_load", d.max_load.map(|m| m.to_string()).unwrap_or_default());
    put("reserve", d.reserve.to_string());
    put("control", if d.control == 0 { String::new() } else { d.control.to_string() });
    Fields(f)
}

async fn task_form(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: Option<i64>,
    f: Fields,
    preview: Option<Preview>,
    problems: Vec<Invalid>,
) -> Response {
    let store = &state.store;
    let (items, plans, departments) =
        match (wf::active_items(store).await, wf::plans(store, false).await, wf::departments(store).await) {
            (Ok(i), Ok(p), Ok(d)) => (i, p, d),
            _ => return PageError::internal(lang, "cannot read the form's choices").into_response(),
        };
    let least_team = match suiji_store::settings::load(store).await {
        Ok(s) => s.rules.team_size.max(suiji_domain::rules::MIN_TEAM_SIZE),
        Err(e) => return PageError::internal(lang, e).into_response(),
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    // One kept to its department files its tasks under its department's plans only.
    let own = viewer.user.own_department().map(str::to_owned);
    let plans = plans.into_iter().filter(|p| own.as_ref().is_none_or(|d| *d == p.department)).collect();
    let page = TaskFormPage {
        lang,
        viewer: Some(viewer),
        csrf: viewer.csrf().to_owned(),
        id,
        f,
        items,
        plans,
        departments,
        own,
        preview,
        problems,
        least_team,
    };
    render_status(status, lang, &page)
}

/// `?lead=ID`: a triggered task taking up that lead, directed at the firms it names. Read
/// leniently: the page's query also carries `lang=`, and a lead that is no number is none.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NewTaskQuery {
    #[serde(default)]
    lead: String,
    /// `?joint=A,B`: two plans' lines offered for one joint task.
    #[serde(default)]
    joint: String,
}

pub async fn new_task(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<NewTaskQuery>,
) -> Response {
    let today = wf::china_today();
    let lead = match q.lead.trim().parse::<i64>().ok() {
        Some(id) => match wf::lead(&state.store, id, viewer.user.own_department()).await {
            Ok(l) => Some(l),
            Err(e) => return page_error(lang, e).into_response(),
        },
        None => None,
    };
    // The form starts from the bureau's rules (its 抽查工作细则).
    let rules = match suiji_store::settings::load(&state.store).await {
        Ok(s) => s.rules,
        Err(e) => return PageError::internal(lang, e).into_response(),
    };
    let ratio = suiji_domain::directory::percent(rules.general_floor_bp);
    let f = Fields(
        [
            ("size_kind", "ratio".to_owned()),
            ("size_ratio", ratio.trim_end_matches('%').to_owned()),
            ("weight_a", rules.weights.a.to_string()),
            ("weight_b", rules.weights.b.to_string()),
            ("weight_c", rules.weights.c.to_string()),
            ("weight_unrated", rules.weights.unrated.to_string()),
            ("yearly_cap", rules.yearly_cap.to_string()),
            ("method", "on-site".to_owned()),
            ("team_size", rules.team_size.to_string()),
            ("reserve", "3".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain([
            ("window_start".to_owned(), today.to_string()),
            ("window_end".to_owned(), (today + chrono::Duration::days(30)).to_string()),
        ])
        // A 业务科室's task takes part with its own department to begin with.
        .chain(viewer.user.own_department().map(|d| ("departments".to_owned(), d.to_owned())))
        .collect(),
    );
    let f = match &lead {
        Some(l) => from_lead(f, l),
        None => f,
    };
    let f = match q.joint.split_once(',').map(|(a, b)| (a.trim().parse::<i64>(), b.trim().parse::<i64>())) {
        Some((Ok(a), Ok(b))) => match wf::joint_offers(&state.store, None).await {
            Ok(offers) => match offers.iter().find(|o| o.lines[0].line_id == a && o.lines[1].line_id == b) {
                Some(o) => from_offer(f, o),
                None => f,
            },
            Err(e) => return page_error(lang, e).into_response(),
        },
        _ => f,
    };
    task_form(&state, lang, &viewer, None, f, None, Vec::new()).await
}

/// The new task's form filled in from two departments' plan lines offered for a joint task
/// (综合查一次): both items, both departments with one inspector each, the kind of firm both
/// visit, the period both cover, filed under the first line.
fn from_offer(f: Fields, o: &wf::JointOffer) -> Fields {
    let [a, b] = &o.lines;
    let set = [
        ("title", format!("{}年{}、{}联合抽查", o.year, a.item_name, b.item_name)),
        ("items", a.item.clone()),
        ("items", b.item.clone()),
        ("departments", format!("{}、{}", a.department, b.department)),
        ("team_joint", format!("{}=1\n{}=1", a.department, b.department)),
        ("industry_prefixes", o.industries.join(" ")),
        ("window_start", o.window_start.to_string()),
        ("window_end", o.window_end.to_string()),
        ("plan", format!("l{}", a.line_id)),
    ];
    let mut pairs: Vec<(String, String)> =
        f.0.into_iter().filter(|(k, _)| !set.iter().any(|(s, _)| s == k)).collect();
    pairs.extend(set.into_iter().map(|(k, v)| (k.to_owned(), v)));
    Fields(pairs)
}

/// The new task's form filled in from a lead: triggered, its kind, the lead, the firms it names
/// (each drawn: a directed task inspects every firm the lead names), no reserve.
fn from_lead(f: Fields, l: &wf::LeadView) -> Fields {
    let first = l.targets.first().map(|t| t.name.as_str()).unwrap_or_default();
    let title = if l.targets.len() > 1 {
        format!("{}线索核查：{first}等{}户", l.source.zh(), l.targets.len())
    } else {
        format!("{}线索核查：{first}", l.source.zh())
    };
    let set = [
        ("title", title),
        ("kind", "triggered".to_owned()),
        ("trigger_kind", l.source.code().to_owned()),
        ("leads", l.id.to_string()),
        ("targets", l.targets.iter().map(|t| t.uscc.as_str()).collect::<Vec<_>>().join(" ")),
        ("size_kind", "count".to_owned()),
        ("size_count", l.targets.len().to_string()),
        ("reserve", "0".to_owned()),
        ("control", String::new()),
        ("departments", l.department.clone()),
    ];
    let mut pairs: Vec<(String, String)> =
        f.0.into_iter().filter(|(k, _)| !set.iter().any(|(s, _)| s == k)).collect();
    pairs.extend(set.into_iter().map(|(k, v)| (k.to_owned(), v)));
    Fields(pairs)
}

pub async fn edit_task(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    match wf::task(&state.store, id).await {
        Ok(t) => {
            let f = fields_of(&t);
            let preview = wf::preview(&state.store, &t.definition).await.ok();
            task_form(&state, lang, &viewer, Some(id), f, preview, Vec::new()).await
        }
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// Saves the form, or — with `intent=preview` — only shows what publishing would commit to.
pub async fn save_task(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let id = f.get("id").parse::<i64>().ok();
    let def = match task_definition(&f) {
        Ok(d) => d,
        Err(problems) => return task_form(&state, lang, &viewer, id, f, None, problems).await,
    };
    if f.get("intent") == "preview" {
        let preview = wf::preview(&state.store, &def).await.ok();
        return task_form(&state, lang, &viewer, id, f, preview, Vec::new()).await;
    }
    let (plan_id, plan_line) = placement(f.get("plan"));
    let filing =
        wf::Filing { code: Some(f.get("code")), plan_id, plan_line, department: Some(f.get("department")) };
    let own = viewer.user.own_department();
    match wf::save_task(&state.store, id, &filing, &def, &viewer.user.actor(), own).await {
        Ok(t) => Redirect::to(&format!("/staff/tasks/{}", t.id)).into_response(),
        Err(wf::WorkflowError::Invalid(problems)) => {
            let preview = wf::preview(&state.store, &def).await.ok();
            task_form(&state, lang, &viewer, id, f, preview, problems).await
        }
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// Everything the staff's task page shows.
pub struct TaskSheet {
    pub task: TaskView,
    pub items: Vec<String>,
    pub preview: Option<Preview>,
    pub draws: Vec<DrawView>,
    pub assignment: Option<AssignmentView>,
    /// Members changed after the assignment, oldest first.
    pub member_changes: Vec<wf::MemberChangeView>,
    pub inspections: Vec<InspectionView>,
}

pub async fn task_sheet(
    state: &AppState,
    id: i64,
    with_preview: bool,
) -> Result<TaskSheet, wf::WorkflowError> {
    let task = wf::task(&state.store, id).await?;
    let items = wf::task_items(&state.store, &task.definition.items)
        .await?
        .into_iter()
        .map(|i| format!("{} {}", i.code, i.name))
        .collect();
    let preview = if with_preview && task.status == suiji_domain::workflow::TaskStatus::Draft {
        Some(wf::preview(&state.store, &task.definition).await?)
    } else {
        None
    };
    Ok(TaskSheet {
        items,
        preview,
        draws: wf::draws_of(&state.store, id).await?,
        assignment: wf::assignment_of_task(&state.store, id).await?,
        member_changes: wf::member_changes(&state.store, id).await?,
        inspections: wf::inspections_of_task(&state.store, id).await?,
        task,
    })
}

/// Takes the findings and evidence off the inspections (of one task) `viewer` may not read
/// (`wf::task_reading`): an inspector sees the task's other inspections by their stage only.
pub async fn keep_findings_to_readers(
    state: &AppState,
    viewer: &Viewer,
    inspections: &mut Vec<InspectionView>,
) -> Result<(), wf::WorkflowError> {
    let Some(first) = inspections.first() else { return Ok(()) };
    let reading = wf::task_reading(&state.store, first.task_id, &viewer.user.reader()).await?;
    for i in std::mem::take(inspections) {
        inspections.push(if reading.reads(&i) { i } else { wf::without_findings(i) });
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    s: TaskSheet,
    manage: bool,
    /// The plan it is filed under: (number, department, title, the line it carries out — its
    /// position on the plan).
    plan: Option<(i64, String, String, Option<i64>)>,
    people: crate::people::People,
    /// The drawn targets' names, by USCC.
    names: std::collections::HashMap<String, String>,
    /// The drawn firms another task will visit in an overlapping window (综合查一次).
    overlaps: wf::Overlaps,
    /// The joint visits it takes part in (合并检查).
    merges: Vec<wf::MergeView>,
    /// The overlaps it can merge now, by other task.
    mergeable: Vec<wf::Mergeable>,
}

impl TaskPage<'_> {
    /// A triggered task may have its teams chosen directly.
    fn triggered(&self) -> bool {
        self.s.task.definition.kind == TaskKind::Triggered
    }

    /// The stage of another task's visit.
    fn stage(&self, status: &str) -> &'static str {
        crate::workflow::stage(self.lang, status)
    }

    fn person(&self, username: &str) -> String {
        self.people.of(username)
    }

    fn name_of(&self, uscc: &str) -> &str {
        self.names.get(uscc).map_or("", String::as_str)
    }

    fn size(&self) -> String {
        size_words(self.lang, &self.s.task.definition.size)
    }

    fn method(&self) -> &'static str {
        Method::parse(&self.s.task.definition.method).map_or("", |m| self.lang.t(m.zh(), m.code()))
    }

    fn team(&self) -> String {
        team_words(self.lang, &self.s.task.definition.team)
    }

    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        china_time(*at)
    }

    fn status(&self, s: &str) -> &'static str {
        self.lang.t(wf::status_zh(s), wf::status_en(s))
    }
}

pub fn team_words(lang: Lang, team: &TeamSpec) -> String {
    match team {
        TeamSpec::Size(g) => format!("{g} {}", lang.t("人一组", "per team")),
        TeamSpec::Joint(c) => format!(
            "{}：{}",
            lang.t("联合检查组", "joint team"),
            c.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join("，")
        ),
    }
}

pub async fn task(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let mut s = match task_sheet(&state, id, true).await {
        Ok(s) => s,
        Err(e) => return page_error(lang, e).into_response(),
    };
    if let Err(e) = keep_findings_to_readers(&state, &viewer, &mut s.inspections).await {
        return page_error(lang, e).into_response();
    };
    let mut names = match wf::names_in_draws(&state.store, &s.draws).await {
        Ok(n) => n,
        Err(e) => return page_error(lang, e).into_response(),
    };
    // The firms a directed task names, beside their codes before any draw.
    match wf::names_of(&state.store, &s.task.definition.eligibility.targets).await {
        Ok(n) => names.extend(n),
        Err(e) => return page_error(lang, e).into_response(),
    }
    let people = match crate::people::People::load(&state.store).await {
        Ok(p) => p,
        Err(e) => return crate::error::PageError::internal(lang, e).into_response(),
    };
    let plan = match s.task.plan_id {
        Some(id) => match wf::plan(&state.store, id).await {
            Ok(p) => {
                let line = p.lines.iter().find(|l| Some(l.id) == s.task.plan_line_id).map(|l| l.position);
                Some((p.id, p.department, p.title, line))
            }
            Err(e) => return page_error(lang, e).into_response(),
        },
        None => None,
    };
    let overlaps = match wf::overlaps(&state.store, id).await {
        Ok(o) => o,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let (merges, mergeable) =
        match (wf::merges_of_task(&state.store, id).await, wf::mergeable(&state.store, id).await) {
            (Ok(m), Ok(n)) => (m, n),
            (Err(e), _) | (_, Err(e)) => return page_error(lang, e).into_response(),
        };
    let page = TaskPage {
        lang,
        viewer: Some(&viewer),
        csrf: viewer.csrf().to_owned(),
        manage: runs(&viewer, &s.task),
        plan,
        s,
        people,
        names,
        overlaps,
        merges,
        mergeable,
    };
    render(lang, &page)
}

pub async fn publish_task(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let (store, actor) = (state.store.clone(), viewer.user.actor());
    let result = step_as_job(
        &state,
        lang,
        &viewer,
        "publish",
        id,
        &format!("/staff/tasks/{id}"),
        move |r| async move {
            wf::publish_task_reporting(&store, id, &actor, &|phase, done, total| r.report(phase, done, total))
                .await
        },
    )
    .await;
    match result {
        Ok(result) => done_or_error(lang, result, &format!("/staff/tasks/{id}")),
        Err(job_page) => job_page,
    }
}

/// Deletes a draft task, and goes back to the list.
pub async fn delete_task(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    done_or_error(lang, wf::delete_draft(&state.store, id, &viewer.user.actor()).await, "/staff/tasks")
}

// ---- the draw ceremony ----

#[derive(Template)]
#[template(path = "ceremony.html")]
struct CeremonyPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    task: TaskView,
    draw: Option<DrawView>,
    f: Fields,
    error: Option<String>,
    witness_rows: Vec<usize>,
    /// The drawn targets' names, by USCC, for the projector.
    names: std::collections::HashMap<String, String>,
}

async fn ceremony(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: i64,
    f: Fields,
    error: Option<String>,
) -> Response {
    let task = match wf::task(&state.store, id).await {
        Ok(t) => t,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let draw = match wf::draws_of(&state.store, id).await {
        Ok(d) => d.into_iter().find(|d| d.status == "valid"),
        Err(e) => return page_error(lang, e).into_response(),
    };
    let names = match wf::names_in_draws(&state.store, draw.as_slice()).await {
        Ok(n) => n,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let status = form_status(error.is_some());
    let page = CeremonyPage {
        lang,
        viewer: Some(viewer),
        csrf: viewer.csrf().to_owned(),
        task,
        draw,
        f,
        error,
        witness_rows: (1..=5).collect(),
        names,
    };
    render_status(status, lang, &page)
}

impl CeremonyPage<'_> {
    fn name_of(&self, uscc: &str) -> &str {
        self.names.get(uscc).map_or("", String::as_str)
    }

    fn value(&self, name: impl AsRef<str>) -> String {
        self.f.get(name.as_ref()).to_owned()
    }

    fn size(&self) -> String {
        size_words(self.lang, &self.task.definition.size)
    }

    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        china_time(*at)
    }
}

pub async fn ceremony_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    ceremony(&state, lang, &viewer, id, Fields(Vec::new()), None).await
}

/// Draws: witnesses' digits in the order of the form's rows, or the system's when chosen.
pub async fn draw(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let seed = if f.get("source") == "system" {
        SeedInput::System
    } else {
        let contributions = (1..=5)
            .map(|n| Contribution {
                name: f.get(&format!("name_{n}")).to_owned(),
                digits: f.get(&format!("digits_{n}")).to_owned(),
            })
            .filter(|c| !c.name.is_empty() || !c.digits.is_empty())
            .collect();
        SeedInput::Witnesses(contributions)
    };
    let (store, actor) = (state.store.clone(), viewer.user.actor());
    let result = step_as_job(
        &state,
        lang,
        &viewer,
        "draw",
        id,
        &format!("/staff/tasks/{id}/draw"),
        move |r| async move {
            wf::draw_task_reporting(&store, id, seed, &actor, &|phase, done, total| {
                r.report(phase, done, total)
            })
            .await
        },
    )
    .await;
    let result = match result {
        Ok(result) => result,
        Err(job_page) => return job_page,
    };
    match result {
        Ok(_) => Redirect::to(&format!("/staff/tasks/{id}/draw")).into_response(),
        Err(wf::WorkflowError::Invalid(p)) => {
            ceremony(&state, lang, &viewer, id, f, Some(problems_text(lang, &p))).await
        }
        Err(e) => page_error(lang, e).into_response(),
    }
}

pub async fn annul(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Ok(draw_id) = f.get("draw_id").parse::<i64>() else {
        return PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            lang.t("缺少抽取编号", "no draw named"),
        )
        .into_response();
    };
    done_or_error(
        lang,
        wf::annul_draw(&state.store, draw_id, f.get("reason"), &viewer.user.actor()).await,
        &format!("/staff/tasks/{id}"),
    )
}

pub async fn replace(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Ok(draw_id) = f.get("draw_id").parse::<i64>() else {
        return PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            lang.t("缺少抽取编号", "no draw named"),
        )
        .into_response();
    };
    done_or_error(
        lang,
        wf::replace_gone(&state.store, draw_id, f.get("uscc"), f.get("reason"), &viewer.user.actor()).await,
        &format!("/staff/tasks/{id}"),
    )
}

// ---- teams ----

pub async fn assign(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let (store, actor) = (state.store.clone(), viewer.user.actor());
    let result = step_as_job(
        &state,
        lang,
        &viewer,
        "assign",
        id,
        &format!("/staff/tasks/{id}/teams"),
        move |r| async move {
            wf::assign_random_reporting(&store, id, &actor, &|phase, done, total| {
                r.report(phase, done, total)
            })
            .await
        },
    )
    .await;
    match result {
        Ok(result) => done_or_error(lang, result, &format!("/staff/tasks/{id}/teams")),
        Err(job_page) => job_page,
    }
}

/// 直接选派: one line per target, `USCC 证号 证号…`, and the reason.
pub async fn assign_direct(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let teams: Vec<DirectTeam> = f
        .get("teams")
        .lines()
        .map(|l| {
            l.split([' ', '\t', ',', '，', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .map(|mut w| DirectTeam { uscc: w.remove(0), inspectors: w })
        .collect();
    done_or_error(
        lang,
        wf::assign_direct(&state.store, id, &teams, f.get("reason"), &viewer.user.actor()).await,
        &format!("/staff/tasks/{id}/teams"),
    )
}

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    task: TaskView,
    assignment: Option<AssignmentView>,
    /// Members changed after the assignment, oldest first.
    changes: Vec<wf::MemberChangeView>,
    /// Whether the viewer runs the task (and may change a member).
    manage: bool,
    people: crate::people::People,
}

impl TeamsPage<'_> {
    fn person(&self, username: &str) -> String {
        self.people.of(username)
    }

    /// The name of a target on the teams.
    fn name_of(&self, uscc: &str) -> &str {
        let teams = self.assignment.iter().flat_map(|a| &a.teams);
        teams.clone().find(|t| t.uscc == uscc).map_or("", |t| t.target_name.as_str())
    }
}

/// The teams, members and targets on a printable list.
pub async fn teams(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let task = match wf::task(&state.store, id).await {
        Ok(t) => t,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let people = match crate::people::People::load(&state.store).await {
        Ok(p) => p,
        Err(e) => return crate::error::PageError::internal(lang, e).into_response(),
    };
    let changes = match wf::member_changes(&state.store, id).await {
        Ok(c) => c,
        Err(e) => return page_error(lang, e).into_response(),
    };
    match wf::assignment_of_task(&state.store, id).await {
        Ok(assignment) => render(
            lang,
            &TeamsPage {
                lang,
                viewer: Some(&viewer),
                csrf: viewer.csrf().to_owned(),
                manage: runs(&viewer, &task),
                task,
                assignment,
                changes,
                people,
            },
        ),
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// `POST /staff/inspections/{id}/members/replace`: one member of the team replaced by a draw.
pub async fn replace_member(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let result =
        wf::replace_member(&state.store, id, f.get("member"), f.get("reason"), &viewer.user.actor()).await;
    let to = match &result {
        Ok(c) => format!("/staff/tasks/{}/teams#changes", c.task_id),
        Err(_) => String::new(),
    };
    done_or_error(lang, result, &to)
}

/// Shared by the templates: a task's size rule in words.
pub fn size_words(lang: Lang, size: &SizeSpec) -> String {
    match size {
        SizeSpec::Count(k) => format!(
            "{} {k} {}",
            lang.t("抽取", "draw"),
            if *k == 1 { lang.t("户", "target") } else { lang.t("户", "targets") }
        ),
        SizeSpec::RatioBp(bp) => {
            format!("{} {}", lang.t("按比例", "ratio"), suiji_domain::directory::percent(*bp))
        }
        SizeSpec::Shares(shares) => format!(
            "{} {}",
            lang.t("分层比例", "shares"),
            shares
                .iter()
                .map(|(k, s)| {
                    let ratio = suiji_domain::directory::percent(s.ratio_bp);
                    let name = suiji_domain::workflow::stratum_zh(k);
                    match s.floor {
                        0 => format!("{name}={ratio}"),
                        n => format!(
                            "{name}={ratio}{}{n}{}",
                            lang.t("（至少 ", " (at least "),
                            lang.t(" 户）", ")")
                        ),
                    }
                })
                .collect::<Vec<_>>()
                .join(lang.t("，", ", "))
        ),
        SizeSpec::Quotas(q) => format!(
            "{} {}",
            lang.t("分层定额", "quotas"),
            q.iter()
                .map(|(k, v)| format!("{}={v}", if k.is_empty() { "（空）" } else { k }))
                .collect::<Vec<_>>()
                .join("，")
        ),
    }
}
