//! 工作台: where each role lands after signing in — what is theirs to do, counted, with the
//! counts linking to the lists they stand for. An organizer sees the tasks by stage (drawn,
//! assigned, entered, published of N; overdue in red) and what falls due this week; an
//! inspector the inspections to enter and their deadlines; a unit the directories' latest
//! changes; a supervisor the overdue results and the day's audit entries; an administrator
//! the accounts and settings. A role sees every section its permissions reach.

use crate::auth::Viewer;
use crate::error::{PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use suiji_domain::access::{Action, Role, allowed};
use suiji_domain::directory::ListKind;
use suiji_domain::settings::Settings;
use suiji_domain::workflow::PlanStatus;
use suiji_store::audit::Entry;
use suiji_store::entity::import_batch;
use suiji_store::workflow::{self as wf, DueItem, InspectionView, TaskProgress};

/// Results due shown: the most pressing few; the count links to the rest.
const DUE_SHOWN: usize = 10;

/// Background jobs shown: the latest few.
const RECENT_JOBS: u64 = 5;

/// Entries of the day shown to a supervisor.
const DAY_ENTRIES: u64 = 30;

#[derive(Template)]
#[template(path = "workbench.html")]
struct Workbench<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    role: Role,
    /// Organizer: the tasks not yet done, and those done; unit: its department's not yet done.
    open_tasks: Vec<TaskProgress>,
    done_tasks: usize,
    /// Due within seven days or overdue, soonest first (organizer, supervisor): the first
    /// few, and how many there are of each.
    due: Vec<DueItem>,
    overdue_total: usize,
    due_soon_total: usize,
    /// Inspector: their inspections not yet published.
    mine: Vec<InspectionView>,
    has_cert: bool,
    /// Unit: each directory's latest imports.
    batches: Vec<(ListKind, import_batch::Model)>,
    /// Supervisor: today's audit entries.
    today: Vec<Entry>,
    /// Administrator.
    accounts: Option<(usize, usize)>,
    settings: Option<Settings>,
    /// Administrator: inspectors in post whose certificates lapse within 30 days.
    lapsing: Vec<suiji_store::training::Lapsing>,
    people: crate::people::People,
    /// Organizer, supervisor: rectifications open, of them overdue and due within the week.
    rectifications: Option<(usize, usize, usize)>,
    /// Organizer, supervisor: penalty notices overdue and due within the week.
    penalties: Option<(u64, u64)>,
    /// The viewer's latest background jobs (imports, publications, draws, teams).
    jobs: Vec<suiji_store::jobs::JobView>,
    /// The open work by department: every department's for the 牵头科室 and the supervisor,
    /// one's own for a 业务科室.
    loads: Vec<wf::DepartmentLoad>,
    /// Plans: waiting for the 牵头科室's approval (organizer), or one's own department's not
    /// yet approved (unit): (number, title, status).
    plans: Vec<(i64, String, PlanStatus)>,
    /// Those who run tasks: firms with several recent leads (多点触发), and open leads.
    multi_point: Vec<wf::MultiPoint>,
    open_leads: u64,
    /// The year's few figures (统计) for those judged on them: the bureau's for the 牵头科室
    /// and the supervisor, one's own department's for a 业务科室; with the 统计 page's query.
    year: Option<(suiji_domain::stats::Headline, Option<String>, String)>,
    /// An inspector: the inspections they were on completed this year.
    mine_done: Option<u64>,
}

impl Workbench<'_> {
    fn time(&self, at: &DateTime<Utc>) -> String {
        super::china_time(*at)
    }

    fn action(&self, action: &str) -> String {
        suiji_domain::audit::action_name(action, self.lang.is_en()).to_owned()
    }

    fn person(&self, e: &Entry) -> String {
        self.people.name(&e.actor, &e.role)
    }

    fn object(&self, object: &str) -> String {
        crate::people::object_name(object, self.lang.is_en())
    }

    fn status(&self, s: &str) -> &'static str {
        self.lang.t(wf::status_zh(s), wf::status_en(s))
    }

    fn list_name(&self, list: &ListKind) -> &'static str {
        if self.lang.is_en() { list.en() } else { list.zh() }
    }

    fn job_kind(&self, kind: &str) -> &'static str {
        crate::jobs::kind_name(self.lang, kind)
    }

    /// Whether the list shows fewer than there are.
    fn due_cut(&self) -> bool {
        self.due.len() < self.overdue_total + self.due_soon_total
    }

    fn allowed_audit(&self) -> bool {
        allowed(self.role, Action::ViewAudit)
    }

    fn plan_status(&self, s: &PlanStatus) -> &'static str {
        self.lang.t(s.zh(), s.en())
    }

    fn percent(&self, part: &u64, whole: &u64) -> u64 {
        if *whole == 0 { 0 } else { (part * 100 / whole).min(100) }
    }
}

pub async fn show(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    match load(&state, lang, &viewer).await {
        Ok(page) => render(lang, &page),
        Err(e) => PageError::internal(lang, e).into_response(),
    }
}

async fn load<'a>(state: &AppState, lang: Lang, viewer: &'a Viewer) -> Result<Workbench<'a>, String> {
    let role = viewer.user.role;
    let store = &state.store;
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut page = Workbench {
        lang,
        viewer: Some(viewer),
        role,
        open_tasks: Vec::new(),
        done_tasks: 0,
        due: Vec::new(),
        overdue_total: 0,
        due_soon_total: 0,
        mine: Vec::new(),
        has_cert: viewer.user.inspector_cert_no.is_some(),
        batches: Vec::new(),
        today: Vec::new(),
        accounts: None,
        lapsing: Vec::new(),
        settings: None,
        people: crate::people::People::default(),
        jobs: Vec::new(),
        rectifications: None,
        penalties: None,
        loads: Vec::new(),
        plans: Vec::new(),
        multi_point: Vec::new(),
        open_leads: 0,
        year: None,
        mine_done: None,
    };
    page.jobs = suiji_store::jobs::recent(store, Some(&viewer.user.username), RECENT_JOBS)
        .await
        .map_err(|e| err(&e))?;
    let own = viewer.user.own_department();
    if allowed(role, Action::DraftPlans) {
        let lead = allowed(role, Action::ManageTasks);
        page.plans = wf::plans(store, false)
            .await
            .map_err(|e| err(&e))?
            .into_iter()
            .filter(|p| match own {
                // The lead office: what waits for it.
                None => p.status == PlanStatus::Submitted,
                // A department: its own plans until they are approved.
                Some(d) => !lead && p.department == d && !p.status.in_force(),
            })
            .map(|p| (p.id, p.title, p.status))
            .collect();
    }
    if allowed(role, Action::RunTasks) {
        page.multi_point = wf::multi_point(store, own).await.map_err(|e| err(&e))?;
        page.open_leads = wf::count_leads(store, own, suiji_domain::workflow::LeadStatus::Open)
            .await
            .map_err(|e| err(&e))?;
    }
    if role == Role::Unit
        && let Some(own) = own
    {
        // A 业务科室: its department's work, and the tasks it runs or takes part in.
        let all = wf::progress(store).await.map_err(|e| err(&e))?;
        page.loads = wf::by_department(&all).into_iter().filter(|l| l.department == own).collect();
        let ours = |p: &TaskProgress| {
            p.task.department == own || p.task.definition.departments.iter().any(|d| d == own)
        };
        page.open_tasks = all.into_iter().filter(|p| !p.done() && ours(p)).collect();
    }
    if allowed(role, Action::ManageTasks) || role == Role::Supervisor {
        let all = wf::progress(store).await.map_err(|e| err(&e))?;
        page.loads = wf::by_department(&all);
        page.done_tasks = all.iter().filter(|p| p.done()).count();
        page.open_tasks = all.into_iter().filter(|p| !p.done()).collect();
        let pressing: Vec<DueItem> = wf::due_list(store)
            .await
            .map_err(|e| err(&e))?
            .into_iter()
            .filter(|d| d.overdue || d.due_soon)
            .collect();
        page.overdue_total = pressing.iter().filter(|d| d.overdue).count();
        page.due_soon_total = pressing.len() - page.overdue_total;
        page.due = pressing.into_iter().take(DUE_SHOWN).collect();
        let open = wf::rectifications(store, Some(suiji_domain::workflow::Standing::Open))
            .await
            .map_err(|e| err(&e))?;
        page.rectifications = Some((
            open.len(),
            open.iter().filter(|r| r.overdue).count(),
            open.iter().filter(|r| r.due_soon).count(),
        ));
        page.penalties = Some(wf::penalties_due(store).await.map_err(|e| err(&e))?);
    }
    if let Some(cert) = &viewer.user.inspector_cert_no {
        page.mine = wf::inspections_of_inspector(store, cert)
            .await
            .map_err(|e| err(&e))?
            .into_iter()
            .filter(|i| !matches!(i.status.as_str(), "published" | "withheld"))
            .collect();
    }
    if role == Role::Unit || allowed(role, Action::ManageTasks) {
        let latest = suiji_store::directory::latest_batches(store, 8).await.map_err(|e| err(&e))?;
        page.batches =
            latest.into_iter().filter_map(|b| ListKind::from_name(&b.list).map(|list| (list, b))).collect();
    }
    if allowed(role, Action::ViewAudit) {
        let start = chrono::Utc::now().with_timezone(&suiji_store::audit::china()).date_naive();
        page.today = suiji_store::audit::latest(store, None, DAY_ENTRIES)
            .await
            .map_err(|e| err(&e))?
            .into_iter()
            .filter(|e| e.at.with_timezone(&suiji_store::audit::china()).date_naive() == start)
            .collect();
        page.people = crate::people::People::load(store).await.map_err(|e| err(&e))?;
    }
    // The year so far, counted as the 统计 page counts it.
    let this_year = chrono::Datelike::year(&wf::china_today());
    let period = suiji_domain::stats::Period::year(this_year).expect("this year has its days");
    let department = match role {
        Role::Organizer | Role::Supervisor => Some(None),
        Role::Unit => own.map(Some),
        _ => None,
    };
    if let Some(department) = department {
        let s = suiji_store::stats::headline(store, &period, department).await.map_err(|e| err(&e))?;
        let query = serde_urlencoded::to_string([
            ("from", period.from.to_string()),
            ("to", period.to.to_string()),
            ("department", department.unwrap_or_default().to_owned()),
        ])
        .unwrap_or_default();
        page.year = Some((s, department.map(str::to_owned), query));
    } else if let Some(cert) = &viewer.user.inspector_cert_no {
        let done =
            suiji_store::stats::completed_by_inspector(store, &period, cert).await.map_err(|e| err(&e))?;
        page.mine_done = Some(done);
    }
    if allowed(role, Action::ManageUsers) {
        let users = suiji_store::accounts::users(store).await.map_err(|e| err(&e))?;
        let locked = suiji_store::accounts::locked_accounts(store).await.map_err(|e| err(&e))?;
        page.accounts = Some((users.iter().filter(|u| u.active).count(), locked.len()));
        page.settings = Some(suiji_store::settings::load(store).await.map_err(|e| err(&e))?);
        page.lapsing = suiji_store::training::lapsing_certificates(store, 30).await.map_err(|e| err(&e))?;
    }
    Ok(page)
}
