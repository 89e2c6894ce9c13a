//! Inspections: an inspector's own list, the organizer's list of what is due, and one
//! inspection's page — the form after 执法检查登记表 for its team, evidence, publication,
//! correction, the organizer's return; printable.

use crate::auth::Viewer;
use crate::error::{PageError, render, render_status};
use crate::files::{download, uploaded_file};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, done_or_error, inspection_form, page_error};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use suiji_domain::access::{Action, allowed};
use suiji_domain::workflow::{
    Conclusion, FollowUpOutcome, InspectionForm, Invalid, ItemVerdict, NonCooperation, PenaltyDecision,
    Procedure,
};
use suiji_store::workflow::{self as wf, DueItem, InspectionView};

#[derive(Template)]
#[template(path = "inspections.html")]
struct InspectionsPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    mine: Vec<InspectionView>,
    cert_no: Option<String>,
    due: Vec<DueItem>,
    /// How many are due under the filter (the list shows the first [`DUE_SHOWN`]).
    due_total: usize,
    filter: DueFilter,
    /// The tasks with something due, for the filter's choice: (id, code).
    tasks: Vec<(i64, String)>,
}

impl InspectionsPage<'_> {
    fn status(&self, s: &str) -> &'static str {
        self.lang.t(wf::status_zh(s), wf::status_en(s))
    }

    fn statuses(&self) -> [&'static str; 3] {
        DUE_STATUSES
    }
}

/// Inspections due shown at once: a province's task has tens of thousands; the filters
/// narrow the list.
const DUE_SHOWN: usize = 500;

/// The statuses of an inspection not yet published.
const DUE_STATUSES: [&str; 3] = ["assigned", "entered", "returned"];

/// The list's filters, as the workbench's counts link to them (`?task=3&when=overdue`). A
/// value that is not one of the choices is ignored, as if not given.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DueQuery {
    #[serde(default)]
    task: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    when: String,
}

/// The filters that apply.
#[derive(Debug, Default)]
struct DueFilter {
    task: Option<i64>,
    status: Option<&'static str>,
    /// `overdue`, or `week` (due within seven days).
    when: Option<&'static str>,
}

impl DueFilter {
    fn of(q: &DueQuery) -> DueFilter {
        DueFilter {
            task: q.task.parse().ok(),
            status: DUE_STATUSES.into_iter().find(|s| *s == q.status),
            when: ["overdue", "week"].into_iter().find(|w| *w == q.when),
        }
    }

    fn any(&self) -> bool {
        self.task.is_some() || self.status.is_some() || self.when.is_some()
    }

    fn keeps(&self, task_id: i64, status: &str, overdue: bool, due_soon: bool) -> bool {
        self.task.is_none_or(|t| t == task_id)
            && self.status.is_none_or(|s| s == status)
            && match self.when {
                Some("overdue") => overdue,
                Some("week") => due_soon,
                _ => true,
            }
    }

    fn is_task(&self, id: &i64) -> bool {
        self.task == Some(*id)
    }

    fn is_status(&self, s: &str) -> bool {
        self.status == Some(s)
    }

    fn is_when(&self, w: &str) -> bool {
        self.when == Some(w)
    }
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<DueQuery>,
) -> Response {
    let filter = DueFilter::of(&q);
    let today = wf::china_today();
    let cert_no = viewer.user.inspector_cert_no.clone();
    let mine = match &cert_no {
        Some(c) => match wf::inspections_of_inspector(&state.store, c).await {
            Ok(m) => m,
            Err(e) => return page_error(lang, e).into_response(),
        },
        None => Vec::new(),
    };
    let mine = mine
        .into_iter()
        .filter(|i| match i.due(today) {
            Some(d) => filter.keeps(d.task_id, &d.status, d.overdue, d.due_soon),
            // Published or annulled: kept unless the list is filtered to a stage or a deadline.
            None => {
                filter.status.is_none() && filter.when.is_none() && filter.task.is_none_or(|t| t == i.task_id)
            }
        })
        .collect();
    let all = match wf::due_list(&state.store).await {
        Ok(d) => d,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let mut tasks: Vec<(i64, String)> = all.iter().map(|d| (d.task_id, d.task_code.clone())).collect();
    tasks.sort();
    tasks.dedup();
    let mut due: Vec<DueItem> =
        all.into_iter().filter(|d| filter.keeps(d.task_id, &d.status, d.overdue, d.due_soon)).collect();
    let due_total = due.len();
    due.truncate(DUE_SHOWN);
    render(
        lang,
        &InspectionsPage { lang, viewer: Some(&viewer), mine, cert_no, due, due_total, filter, tasks },
    )
}

#[derive(Template)]
#[template(path = "inspection.html")]
struct InspectionPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    i: InspectionView,
    /// The task's items: code and name.
    items: Vec<(String, String)>,
    /// The task's window (实施期限), which the form's dates must lie in.
    window: (chrono::NaiveDate, chrono::NaiveDate),
    f: Fields,
    member: bool,
    review: bool,
    problems: Vec<Invalid>,
    /// The bureau requires the organizer's approval before publication.
    approval_required: bool,
    people: crate::people::People,
    /// The penalty decisions recorded against it.
    penalties: Vec<wf::PenaltyView>,
    /// The other task's inspection of a joint visit (合并检查): its items are on this form too.
    joint: Option<wf::JointPartner>,
}

impl InspectionPage<'_> {
    fn person(&self, username: &str) -> String {
        self.people.of(username)
    }

    fn value(&self, name: impl AsRef<str>) -> String {
        self.f.get(name.as_ref()).to_owned()
    }

    fn is(&self, name: impl AsRef<str>, value: &str) -> bool {
        self.f.get(name.as_ref()) == value
    }

    fn conclusions(&self) -> [Conclusion; 7] {
        Conclusion::ALL
    }

    fn verdicts(&self) -> [ItemVerdict; 3] {
        ItemVerdict::ALL
    }

    fn kinds(&self) -> [NonCooperation; 4] {
        NonCooperation::ALL
    }

    fn procedures(&self) -> [Procedure; 2] {
        Procedure::ALL
    }

    fn procedure(&self, p: &Procedure) -> &'static str {
        self.lang.t(p.zh(), p.en())
    }

    fn withholding_bases(&self) -> [&'static str; 4] {
        suiji_domain::workflow::WITHHOLDING_BASES
    }

    /// A decision the form's handling names (行政处罚决定书文号) and nobody has recorded yet.
    fn unrecorded_penalty(&self) -> Option<&str> {
        let no = self.i.form.as_ref().map(|f| f.handling.penalty_decision_no.trim())?;
        (!no.is_empty() && !self.penalties.iter().any(|p| p.decision.decision_no == no)).then_some(no)
    }

    /// Whether the entered result can carry a penalty (it found a violation or a refusal).
    fn grounds_penalty(&self) -> bool {
        self.i.form.as_ref().is_some_and(|f| f.grounds_penalty())
    }

    /// The decision form's first values: the number and date the result names, else today.
    fn new_decision(&self) -> PenaltyDecision {
        let handling = self.i.form.as_ref().map(|f| &f.handling);
        PenaltyDecision {
            procedure: Procedure::General,
            decision_no: self.unrecorded_penalty().unwrap_or_default().to_owned(),
            decided_on: handling.and_then(|h| h.penalty_date).unwrap_or_else(wf::china_today),
            facts: String::new(),
            basis: String::new(),
            penalty: String::new(),
        }
    }

    fn outcomes(&self) -> [FollowUpOutcome; 3] {
        [FollowUpOutcome::Rectified, FollowUpOutcome::Partly, FollowUpOutcome::NotRectified]
    }

    fn outcome_name(&self, o: &FollowUpOutcome) -> &'static str {
        self.lang.t(o.zh(), o.en())
    }

    fn status(&self) -> &'static str {
        self.lang.t(wf::status_zh(&self.i.status), wf::status_en(&self.i.status))
    }

    fn editable(&self) -> bool {
        self.member && matches!(self.i.status.as_str(), "assigned" | "entered" | "returned")
    }

    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::china_time(*at)
    }

    /// An item's result in the page's language.
    fn verdict(&self, code: &str) -> &'static str {
        self.i
            .form
            .as_ref()
            .and_then(|f| f.items.iter().find(|r| r.item == code))
            .map_or("", |r| self.lang.t(r.verdict.zh(), r.verdict.en()))
    }
}

/// The form's fields from a stored form.
fn fields_of(form: &InspectionForm) -> Fields {
    let mut f: Vec<(String, String)> = vec![
        ("started_on".into(), form.started_on.to_string()),
        ("ended_on".into(), form.ended_on.to_string()),
        ("findings".into(), form.findings.clone()),
        ("conclusion".into(), form.conclusion.code().into()),
        ("non_cooperation".into(), form.non_cooperation.map(|n| n.code().to_owned()).unwrap_or_default()),
        ("rectify_by".into(), form.handling.rectify_by.map(|d| d.to_string()).unwrap_or_default()),
        ("penalty_decision_no".into(), form.handling.penalty_decision_no.clone()),
        ("penalty_date".into(), form.handling.penalty_date.map(|d| d.to_string()).unwrap_or_default()),
        ("referred_to".into(), form.handling.referred_to.clone()),
        ("signed".into(), if form.signed { "yes".into() } else { "no".into() }),
        ("unsigned_reason".into(), form.unsigned_reason.clone()),
        ("summary".into(), form.summary.clone()),
        ("public_note".into(), form.public_note.clone()),
        ("extension_reason".into(), form.extension_reason.clone()),
        ("follow_up".into(), form.follow_up.map(|o| o.code().to_owned()).unwrap_or_default()),
    ];
    for r in &form.items {
        f.push((format!("verdict_{}", r.item), r.verdict.code().into()));
        f.push((format!("basis_{}", r.item), r.basis.clone()));
        f.push((format!("note_{}", r.item), r.note.clone()));
    }
    Fields(f)
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: i64,
    sent: Option<Fields>,
    problems: Vec<Invalid>,
) -> Response {
    let i = match wf::inspection_for(&state.store, id, &viewer.user.reader()).await {
        Ok(i) => i,
        Err(e) => return page_error(lang, e).into_response(),
    };
    // The form's items and days: a joint visit's hold both tasks' items, within both windows.
    let scope = match wf::form_scope(&state.store, id).await {
        Ok(s) => s,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let items: Vec<(String, String)> = match wf::task_items(&state.store, &scope.items).await {
        Ok(items) => items.into_iter().map(|i| (i.code, i.name)).collect(),
        Err(e) => return page_error(lang, e).into_response(),
    };
    let mut window = scope.window;
    let joint = scope.partner;
    let partner_form = match &joint {
        Some(j) => match wf::inspection(&state.store, j.inspection_id).await {
            Ok(other) => other.form,
            Err(e) => return page_error(lang, e).into_response(),
        },
        None => None,
    };
    // A follow-up (复查) lies between the result it follows up and today.
    if let Some(of) = i.follow_up_of {
        match wf::rectification(&state.store, of).await {
            Ok(r) => window = (r.ordered_on, wf::china_today()),
            Err(e) => return page_error(lang, e).into_response(),
        }
    }
    let f = sent.unwrap_or_else(|| {
        let mut f = i.form.as_ref().map(fields_of).unwrap_or(Fields(Vec::new()));
        // The other task's verdicts, from its half of the joint visit.
        if let Some(other) = &partner_form {
            f.0.extend(
                fields_of(other)
                    .0
                    .into_iter()
                    .filter(|(k, _)| ["verdict_", "basis_", "note_"].iter().any(|p| k.starts_with(p))),
            );
        }
        f
    });
    let member = allowed(viewer.user.role, Action::EnterResults)
        && i.is_member(viewer.user.inspector_cert_no.as_deref());
    let review = allowed(viewer.user.role, Action::ManageTasks);
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let approval_required = match suiji_store::settings::load(&state.store).await {
        Ok(s) => s.approve_results,
        Err(e) => return crate::error::PageError::internal(lang, e).into_response(),
    };
    let people = match crate::people::People::load(&state.store).await {
        Ok(p) => p,
        Err(e) => return crate::error::PageError::internal(lang, e).into_response(),
    };
    let penalties = match wf::penalties_of_inspection(&state.store, id).await {
        Ok(p) => p,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let page = InspectionPage {
        penalties,
        lang,
        viewer: Some(viewer),
        csrf: viewer.csrf().to_owned(),
        i,
        items,
        window,
        f,
        member,
        review,
        problems,
        approval_required,
        people,
        joint,
    };
    render_status(status, lang, &page)
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    page(&state, lang, &viewer, id, None, Vec::new()).await
}

async fn read_form(
    state: &AppState,
    id: i64,
    f: &Fields,
) -> Result<InspectionForm, Result<Vec<Invalid>, wf::WorkflowError>> {
    // One form for a joint visit: the other task's items too.
    let codes = wf::form_scope(&state.store, id).await.map_err(Err)?.items;
    inspection_form(f, &codes).map_err(Ok)
}

pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let form = match read_form(&state, id, &f).await {
        Ok(form) => form,
        Err(Ok(problems)) => return page(&state, lang, &viewer, id, Some(f), problems).await,
        Err(Err(e)) => return page_error(lang, e).into_response(),
    };
    let cert = viewer.user.inspector_cert_no.clone();
    match wf::save_form(&state.store, id, &form, cert.as_deref(), &viewer.user.actor()).await {
        Ok(_) => Redirect::to(&format!("/staff/inspections/{id}")).into_response(),
        Err(wf::WorkflowError::Invalid(p)) => page(&state, lang, &viewer, id, Some(f), p).await,
        Err(e) => page_error(lang, e).into_response(),
    }
}

pub async fn publish(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let cert = viewer.user.inspector_cert_no.clone();
    done_or_error(
        lang,
        wf::publish_result(&state.store, id, cert.as_deref(), &viewer.user.actor()).await,
        &format!("/staff/inspections/{id}"),
    )
}

pub async fn return_for_changes(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    done_or_error(
        lang,
        wf::return_inspection(&state.store, id, f.get("comment"), &viewer.user.actor()).await,
        &format!("/staff/inspections/{id}"),
    )
}

pub async fn approve(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    done_or_error(
        lang,
        wf::approve_result(&state.store, id, &viewer.user.actor()).await,
        &format!("/staff/inspections/{id}"),
    )
}

pub async fn correct(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let form = match read_form(&state, id, &f).await {
        Ok(form) => form,
        Err(Ok(problems)) => return page(&state, lang, &viewer, id, Some(f), problems).await,
        Err(Err(e)) => return page_error(lang, e).into_response(),
    };
    let cert = viewer.user.inspector_cert_no.clone();
    match wf::correct_result(&state.store, id, &form, f.get("reason"), cert.as_deref(), &viewer.user.actor())
        .await
    {
        Ok(_) => Redirect::to(&format!("/staff/inspections/{id}")).into_response(),
        Err(wf::WorkflowError::Invalid(p)) => page(&state, lang, &viewer, id, Some(f), p).await,
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// Evidence: photos and documents, kept by SHA-256. The client's file name is kept as a label
/// only, never used as a path.
pub async fn add_evidence(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Response {
    let (name, content_type, data) = match uploaded_file(lang, multipart).await {
        Ok(f) => f,
        Err(refused) => return refused,
    };
    let cert = viewer.user.inspector_cert_no.clone();
    done_or_error(
        lang,
        wf::add_evidence(&state.store, id, &name, &content_type, data, cert.as_deref(), &viewer.user.actor())
            .await,
        &format!("/staff/inspections/{id}"),
    )
}

/// An evidence file, downloaded (never shown inline: it may be anything).
pub async fn evidence(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((id, evidence_id)): Path<(i64, i64)>,
) -> Response {
    if let Err(e) = wf::inspection_for(&state.store, id, &viewer.user.reader()).await {
        return page_error(lang, e).into_response();
    }
    match wf::evidence_file(&state.store, evidence_id).await {
        Ok(e) if e.inspection_id == id => download("evidence", e.id, &e.file_name, e.data),
        Ok(_) => PageError::not_found(lang).into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}
