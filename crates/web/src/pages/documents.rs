//! 文书: the papers the work produces, each printed on A4 as the official document (the
//! bureau's full name, the document's number where one applies, its date, signature and seal
//! lines; no form controls, no navigation) and offered as a `.pdf` of the same HTML.
//!
//! - 执法检查登记表: blank, pre-filled for a task (its items and each item's legal basis), and
//!   for one inspection (its target and team; completed once the result is entered);
//! - 检查通知书: sent to a firm before the visit;
//! - 责令改正指令书: when a result orders rectification;
//! - 检查组选派通知: a task's teams, with the approval line;
//! - 抽取记录: a draw's commitment, witnesses, seed and drawn list, signed by the witnesses.
//!
//! The documents are Chinese legal papers and print in Chinese in either language mode; the
//! toolbar above them follows the viewer's language.

use crate::auth::Viewer;
use crate::error::PageError;
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::page_error;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use suiji_domain::directory::{Item, Target};
use suiji_domain::workflow::{FollowUpOutcome, InspectionForm, ItemVerdict};
use suiji_store::directory::find;
use suiji_store::workflow::{self as wf, DrawView, InspectionView, TaskView, WorkflowError};

/// The documents' style sheet: linked from the page, inline in the HTML printed to PDF.
pub const CSS: &str = include_str!("../../static/document.css");

/// What every document has around its body.
pub struct Frame {
    pub lang: Lang,
    /// The document's name (文书名称), its title.
    pub title: String,
    pub bureau: String,
    /// 文号, where one applies.
    pub number: Option<String>,
    /// The date the document bears, as written on paper.
    pub date: String,
    /// Printing to PDF: the style sheet inline, no toolbar.
    pub for_pdf: bool,
    /// Where the toolbar's "back" goes, and the `.pdf` of this document if the server prints.
    pub back: String,
    pub pdf: Option<String>,
}

impl Frame {
    pub fn css(&self) -> &'static str {
        CSS
    }
}

/// A date as written on a Chinese document: 2026年12月2日.
pub fn written(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The year and number of a task code `T-2026-007` (7), or the code whole.
fn task_number(task: &TaskView) -> (i32, String) {
    let year = task.definition.window_start.year();
    let code = &task.code;
    let n = code
        .strip_prefix(&format!("T-{year}-"))
        .and_then(|n| n.parse::<u32>().ok())
        .map_or_else(|| code.clone(), |n| n.to_string());
    (year, n)
}

/// A document number: `{prefix}{word}〔{year}〕{task}-{rank}号`, unique per task and target,
/// headed by the bureau's 机关代字 (the `document_prefix` setting) when it has one.
async fn number(
    state: &AppState,
    lang: Lang,
    word: &str,
    task: &TaskView,
    rank: Option<i64>,
) -> Result<String, PageError> {
    let settings =
        suiji_store::settings::load(&state.store).await.map_err(|e| PageError::internal(lang, e))?;
    Ok(numbered(&settings.document_prefix, word, task, rank))
}

fn numbered(prefix: &str, word: &str, task: &TaskView, rank: Option<i64>) -> String {
    let (year, n) = task_number(task);
    match rank {
        Some(r) => format!("{prefix}{word}〔{year}〕{n}-{r}号"),
        None => format!("{prefix}{word}〔{year}〕{n}号"),
    }
}

/// A document's answer: the page, or printed to PDF as `file_name`.
pub(crate) async fn deliver(
    state: &AppState,
    lang: Lang,
    html: Result<String, askama::Error>,
    pdf: bool,
    file_name: &str,
) -> Result<Response, PageError> {
    let html = html.map_err(|e| PageError::internal(lang, e))?;
    if !pdf {
        return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response());
    }
    match state.printer.pdf(&html).await {
        Ok(bytes) => {
            let disposition = format!(
                "attachment; filename=\"document.pdf\"; filename*=UTF-8''{}",
                crate::auth::urlencode(file_name)
            );
            let headers =
                [(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)];
            Ok((headers, bytes).into_response())
        }
        Err(crate::pdf::PrintError::Unavailable) => Err(PageError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            lang,
            lang.t(
                "本服务器未配置 PDF 生成（需安装 Chromium）。请打开文书页面，用浏览器“打印”并选择“另存为 PDF”。",
                "This server makes no PDFs (it needs Chromium). Open the document and use the browser's Print → Save as PDF.",
            ),
        )),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

/// What every document has around it. `path` is the document's own address (its PDF is
/// `{path}.pdf`), `back` the page it was opened from.
#[allow(clippy::too_many_arguments)]
pub(crate) fn frame(
    state: &AppState,
    lang: Lang,
    title: &str,
    number: Option<String>,
    date: NaiveDate,
    back: String,
    path: &str,
    for_pdf: bool,
) -> Frame {
    Frame {
        lang,
        title: title.to_owned(),
        bureau: crate::identity::bureau(),
        number,
        date: written(date),
        for_pdf,
        back,
        pdf: state.printer.available().then(|| format!("{path}.pdf")),
    }
}

/// A task's window as written on paper: from, to.
fn window(task: &TaskView) -> (String, String) {
    (written(task.definition.window_start), written(task.definition.window_end))
}

// ---- 执法检查登记表 ----

/// One row of the form's item table.
pub struct FormItem {
    pub code: String,
    pub name: String,
    pub basis: String,
    pub content: String,
    pub verdict: Option<ItemVerdict>,
    pub note: String,
}

impl FormItem {
    /// The verdict box: ☑ where it was ticked, ☐ otherwise.
    pub fn tick(&self, v: &ItemVerdict) -> &'static str {
        if self.verdict.as_ref() == Some(v) { "☑" } else { "☐" }
    }
}

/// The inspected party, as far as the form knows it.
#[derive(Default)]
pub struct Party {
    pub name: String,
    pub uscc: String,
    pub address: String,
    pub legal_rep: String,
}

/// An inspector on a document: name and certificate number.
pub struct Member {
    pub name: String,
    pub cert_no: String,
}

#[derive(Template)]
#[template(path = "documents/registration_form.html")]
struct RegistrationForm {
    f: Frame,
    /// Task code and title, or empty on the blank form.
    task: String,
    method: String,
    window: String,
    party: Party,
    members: Vec<Member>,
    items: Vec<FormItem>,
    /// Blank rows after the items, so the paper has room to write.
    spare_rows: Vec<usize>,
    form: Option<InspectionForm>,
}

impl RegistrationForm {
    fn verdicts(&self) -> [ItemVerdict; 3] {
        ItemVerdict::ALL
    }

    fn dates(&self) -> String {
        self.form
            .as_ref()
            .map(|f| format!("{} 至 {}", written(f.started_on), written(f.ended_on)))
            .unwrap_or_default()
    }

    fn conclusion(&self) -> String {
        self.form
            .as_ref()
            .map(|f| match f.non_cooperation {
                Some(n) => format!("{}：{}", f.conclusion.zh(), n.zh()),
                None => f.conclusion.zh().to_owned(),
            })
            .unwrap_or_default()
    }

    fn handling(&self) -> String {
        self.form.as_ref().map(|f| f.handling.describe().join("；")).unwrap_or_default()
    }
}

/// The task's items with their legal basis and content from the item list.
async fn items_of(state: &AppState, codes: &[String]) -> Result<Vec<FormItem>, WorkflowError> {
    let mut out = Vec::with_capacity(codes.len());
    for code in codes {
        let item = find::<Item>(&state.store, code).await.map_err(WorkflowError::from)?;
        let (name, basis, content) = item.map(|(_, i)| (i.name, i.basis, i.content)).unwrap_or_default();
        out.push(FormItem { code: code.clone(), name, basis, content, verdict: None, note: String::new() });
    }
    Ok(out)
}

fn spare(items: usize) -> Vec<usize> {
    (0..5usize.saturating_sub(items)).collect()
}

fn method_zh(task: &TaskView) -> String {
    suiji_domain::directory::Method::parse(&task.definition.method)
        .map_or_else(|| task.definition.method.clone(), |m| m.zh().to_owned())
}

/// The blank 执法检查登记表.
pub async fn blank_form<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
) -> Result<Response, PageError> {
    let path = "/staff/documents/registration-form";
    let f = frame(&state, lang, "执法检查登记表", None, wf::china_today(), "/staff/tasks".into(), path, PDF);
    let doc = RegistrationForm {
        f,
        task: String::new(),
        method: String::new(),
        window: String::new(),
        party: Party::default(),
        members: Vec::new(),
        items: Vec::new(),
        spare_rows: spare(0),
        form: None,
    };
    deliver(&state, lang, doc.render(), PDF, "执法检查登记表.pdf").await
}

/// The 登记表 pre-filled for a task: its items and their legal basis.
pub async fn task_form<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let failed = |e| page_error(lang, e);
    let task = wf::task(&state.store, id).await.map_err(failed)?;
    let items = items_of(&state, &task.definition.items).await.map_err(failed)?;
    let path = format!("/staff/tasks/{id}/registration-form");
    let back = format!("/staff/tasks/{id}");
    let f = frame(&state, lang, "执法检查登记表", None, wf::china_today(), back, &path, PDF);
    let (from, to) = window(&task);
    let doc = RegistrationForm {
        f,
        task: format!("{} {}", task.code, task.definition.title),
        method: method_zh(&task),
        window: format!("{from} 至 {to}"),
        party: Party::default(),
        members: Vec::new(),
        spare_rows: spare(items.len()),
        items,
        form: None,
    };
    deliver(&state, lang, doc.render(), PDF, &format!("执法检查登记表-{}.pdf", task.code)).await
}

/// An inspection with its task, target, members and items as documents need them.
struct Case {
    i: InspectionView,
    task: TaskView,
    party: Party,
    members: Vec<Member>,
    /// The task's items, with the result entered for each (verdict, note, the legal basis
    /// the team wrote) once there is one.
    items: Vec<FormItem>,
    /// A joint visit's other task (合并检查): its code and title.
    joint: Option<(String, String)>,
    /// The days the visit may lie in, written out: a joint visit's are both tasks' common days.
    window: (String, String),
}

async fn case(state: &AppState, viewer: &Viewer, id: i64) -> Result<Case, WorkflowError> {
    let i = wf::inspection_for(&state.store, id, &viewer.user.reader()).await?;
    let task = wf::task(&state.store, i.task_id).await?;
    let target = find::<Target>(&state.store, &i.uscc).await.map_err(WorkflowError::from)?;
    let (address, legal_rep) = target.map(|(_, t)| (t.address, t.legal_rep)).unwrap_or_default();
    let party = Party { name: i.target_name.clone(), uscc: i.uscc.clone(), address, legal_rep };
    let members = members(&i.members);
    // A joint visit's one form holds the other task's items too, with their results.
    let scope = wf::form_scope(&state.store, id).await?;
    let mut items = items_of(state, &scope.items).await?;
    fill(&mut items, i.form.as_ref());
    let mut joint = None;
    if let Some(p) = &scope.partner {
        fill(&mut items, wf::inspection(&state.store, p.inspection_id).await?.form.as_ref());
        joint = Some((p.task_code.clone(), p.task_title.clone()));
    }
    let window = (written(scope.window.0), written(scope.window.1));
    Ok(Case { i, task, party, members, items, joint, window })
}

/// The results a form entered, beside its items.
fn fill(items: &mut [FormItem], form: Option<&suiji_domain::workflow::InspectionForm>) {
    let Some(form) = form else { return };
    for item in items {
        if let Some(r) = form.items.iter().find(|r| r.item == item.code) {
            item.verdict = Some(r.verdict);
            item.note = r.note.clone();
            if !r.basis.trim().is_empty() {
                item.basis = r.basis.clone();
            }
        }
    }
}

/// A team's (certificate, name) pairs as the documents list them.
fn members(pairs: &[(String, String)]) -> Vec<Member> {
    pairs.iter().map(|(cert_no, name)| Member { name: name.clone(), cert_no: cert_no.clone() }).collect()
}

/// One inspection's 登记表: its target and team, and its result once entered.
pub async fn inspection_form<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let c = case(&state, &viewer, id).await.map_err(|e| page_error(lang, e))?;
    let date = c.i.form.as_ref().map_or_else(wf::china_today, |f| f.ended_on);
    let number = Some(number(&state, lang, "登记", &c.task, Some(c.i.rank)).await?);
    let path = format!("/staff/inspections/{id}/print");
    let back = format!("/staff/inspections/{id}");
    let f = frame(&state, lang, "执法检查登记表", number, date, back, &path, PDF);
    let (from, to) = c.window.clone();
    let doc = RegistrationForm {
        f,
        task: match &c.joint {
            Some((code, title)) => {
                format!("{} {}；{code} {title}（合并检查）", c.task.code, c.task.definition.title)
            }
            None => format!("{} {}", c.task.code, c.task.definition.title),
        },
        method: method_zh(&c.task),
        window: format!("{from} 至 {to}"),
        party: c.party,
        members: c.members,
        spare_rows: spare(c.items.len()),
        items: c.items,
        form: c.i.form,
    };
    deliver(&state, lang, doc.render(), PDF, &format!("执法检查登记表-{}.pdf", c.i.target_name)).await
}

// ---- 检查通知书 ----

#[derive(Template)]
#[template(path = "documents/inspection_notice.html")]
struct InspectionNotice {
    f: Frame,
    task: TaskView,
    party: Party,
    members: Vec<Member>,
    items: Vec<FormItem>,
    window: (String, String),
    method: String,
}

/// The 检查通知书 a firm receives before the visit.
pub async fn notice<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let c = case(&state, &viewer, id).await.map_err(|e| page_error(lang, e))?;
    let number = Some(number(&state, lang, "检通", &c.task, Some(c.i.rank)).await?);
    let path = format!("/staff/inspections/{id}/notice");
    let back = format!("/staff/inspections/{id}");
    let f = frame(&state, lang, "检查通知书", number, wf::china_today(), back, &path, PDF);
    let file = format!("检查通知书-{}.pdf", c.party.name);
    let doc = InspectionNotice {
        f,
        method: method_zh(&c.task),
        window: c.window.clone(),
        task: c.task,
        party: c.party,
        members: c.members,
        items: c.items,
    };
    deliver(&state, lang, doc.render(), PDF, &file).await
}

// ---- 责令改正指令书 ----

#[derive(Template)]
#[template(path = "documents/rectification_order.html")]
struct RectificationOrder {
    f: Frame,
    task: TaskView,
    party: Party,
    members: Vec<Member>,
    /// The items found not to comply, with their legal basis.
    breaches: Vec<FormItem>,
    findings: String,
    by: String,
    inspected_on: String,
}

/// The 责令改正（整改）指令书 of a result that orders rectification.
pub async fn rectification_order<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let c = case(&state, &viewer, id).await.map_err(|e| page_error(lang, e))?;
    let Some((form, by)) = c.i.form.as_ref().and_then(|f| f.handling.rectify_by.map(|by| (f, by))) else {
        return Err(PageError::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t(
                "该检查结果未责令改正，没有责令改正指令书。",
                "This result orders no rectification: there is no order.",
            ),
        ));
    };
    let number = Some(number(&state, lang, "责改", &c.task, Some(c.i.rank)).await?);
    let path = format!("/staff/inspections/{id}/rectification-order");
    let back = format!("/staff/inspections/{id}");
    let f = frame(&state, lang, "责令改正指令书", number, form.ended_on, back, &path, PDF);
    let file = format!("责令改正指令书-{}.pdf", c.party.name);
    let doc = RectificationOrder {
        f,
        findings: form.findings.clone(),
        by: written(by),
        inspected_on: written(form.started_on),
        breaches: c.items.into_iter().filter(|i| i.verdict == Some(ItemVerdict::NonCompliant)).collect(),
        task: c.task,
        party: c.party,
        members: c.members,
    };
    deliver(&state, lang, doc.render(), PDF, &file).await
}

// ---- 复查意见书 ----

#[derive(Template)]
#[template(path = "documents/follow_up_opinion.html")]
struct FollowUpOpinion {
    f: Frame,
    task: TaskView,
    party: Party,
    members: Vec<Member>,
    ordered_on: String,
    deadline: String,
    checked_on: String,
    outcome: FollowUpOutcome,
    findings: String,
}

/// The 复查意见书 of a follow-up (复查) whose result is entered: what the follow-up found of
/// the rectification it checks.
pub async fn follow_up_opinion<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let c = case(&state, &viewer, id).await.map_err(|e| page_error(lang, e))?;
    let found = c.i.follow_up_of.zip(c.i.form.as_ref().and_then(|f| f.follow_up.map(|o| (f, o))));
    let Some((of, (form, outcome))) = found else {
        return Err(PageError::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t(
                "该检查不是已录入结论的整改复查，没有复查意见书。",
                "This is not a follow-up with its finding entered: there is no opinion.",
            ),
        ));
    };
    let r = wf::rectification(&state.store, of).await.map_err(|e| page_error(lang, e))?;
    let number = Some(number(&state, lang, "复查", &c.task, Some(c.i.rank)).await?);
    let path = format!("/staff/inspections/{id}/follow-up-opinion");
    let back = format!("/staff/inspections/{id}");
    let f = frame(&state, lang, "复查意见书", number, form.ended_on, back, &path, PDF);
    let file = format!("复查意见书-{}.pdf", c.party.name);
    let doc = FollowUpOpinion {
        f,
        ordered_on: written(r.ordered_on),
        deadline: written(r.deadline_in_force),
        checked_on: written(form.ended_on),
        outcome,
        findings: form.findings.clone(),
        task: c.task,
        party: c.party,
        members: c.members,
    };
    deliver(&state, lang, doc.render(), PDF, &file).await
}

// ---- 检查组选派通知 ----

/// A team on the notice.
pub struct NoticeTeam {
    pub rank: i64,
    pub target_name: String,
    pub uscc: String,
    pub members: Vec<Member>,
}

#[derive(Template)]
#[template(path = "documents/team_notice.html")]
struct TeamNotice {
    f: Frame,
    task: TaskView,
    /// 随机选派 (suiji-assign/1) or 直接选派 with its reason.
    how: String,
    teams: Vec<NoticeTeam>,
    window: (String, String),
    /// Who made the assignment, by name.
    made_by: String,
}

/// The teams of a task as a 选派通知 with its approval line.
pub async fn team_notice<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let failed = |e| page_error(lang, e);
    let task = wf::task(&state.store, id).await.map_err(failed)?;
    let Some(assignment) = wf::assignment_of_task(&state.store, id).await.map_err(failed)? else {
        return Err(PageError::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("该任务尚未选派检查组。", "No teams yet."),
        ));
    };
    let how = if assignment.mode == "direct" {
        format!("直接选派（理由：{}）", assignment.reason)
    } else {
        "随机选派（按 suiji-assign/1 规则，以本次抽取的种子公开可复核）".to_owned()
    };
    let teams = assignment
        .teams
        .iter()
        .map(|t| NoticeTeam {
            rank: t.rank,
            target_name: t.target_name.clone(),
            uscc: t.uscc.clone(),
            members: members(&t.members),
        })
        .collect();
    let made_by = crate::people::display_name(&state.store, &assignment.created_by).await;
    let date = assignment.created_at.with_timezone(&suiji_store::audit::china()).date_naive();
    let number = Some(number(&state, lang, "选派", &task, None).await?);
    let path = format!("/staff/tasks/{id}/team-notice");
    let f = frame(&state, lang, "检查组选派通知", number, date, format!("/staff/tasks/{id}"), &path, PDF);
    let file = format!("检查组选派通知-{}.pdf", task.code);
    let doc = TeamNotice { f, window: window(&task), task, how, teams, made_by };
    deliver(&state, lang, doc.render(), PDF, &file).await
}

// ---- 抽取记录 ----

/// A drawn or reserve entity with its name.
pub struct Drawn {
    pub rank: u64,
    pub name: String,
    pub uscc: String,
    pub stratum: String,
}

#[derive(Template)]
#[template(path = "documents/draw_record.html")]
struct DrawRecord {
    f: Frame,
    task: TaskView,
    draw: DrawView,
    drawn: Vec<Drawn>,
    reserve: Vec<Drawn>,
    /// The control sample's firms (对照样本), if the task asked for one.
    control: Vec<Drawn>,
    drawn_at: String,
    drawn_by: String,
    verify_url: String,
}

/// The record of a draw, for the witnesses to sign.
pub async fn draw_record<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let failed = |e| page_error(lang, e);
    let draw = wf::draw_by_id(&state.store, id).await.map_err(failed)?;
    let task = wf::task(&state.store, draw.task_id).await.map_err(failed)?;
    let names = wf::names_in_draws(&state.store, std::slice::from_ref(&draw)).await.map_err(failed)?;
    let named = |rank: u64, id: &str, stratum: &str| Drawn {
        rank,
        name: names.get(id).cloned().unwrap_or_default(),
        uscc: id.to_owned(),
        stratum: stratum.to_owned(),
    };
    let drawn = draw.document.selected.iter().map(|s| named(s.rank, &s.id, &s.stratum)).collect();
    let reserve = draw.document.reserve.iter().map(|s| named(s.rank, &s.id, &s.stratum)).collect();
    let control =
        draw.control.iter().flat_map(|c| &c.selected).map(|s| named(s.rank, &s.id, &s.stratum)).collect();
    let drawn_by = crate::people::display_name(&state.store, &draw.drawn_by).await;
    let date = draw.drawn_at.with_timezone(&suiji_store::audit::china()).date_naive();
    let back = format!("/staff/tasks/{}", draw.task_id);
    let f =
        frame(&state, lang, "“双随机”抽取记录", None, date, back, &format!("/staff/draws/{id}/record"), PDF);
    let file = format!("抽取记录-{}.pdf", task.code);
    let doc = DrawRecord {
        f,
        drawn_at: super::china_time(draw.drawn_at),
        verify_url: format!("/public/draws/{id}/verify"),
        task,
        draw,
        drawn,
        reserve,
        control,
        drawn_by,
    };
    deliver(&state, lang, doc.render(), PDF, &file).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_on_paper() {
        assert_eq!(written(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()), "2026年12月2日");
    }
}
