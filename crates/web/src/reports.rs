//! 报告: the task's 任务总结报告 and the year's 工作总结 ([suiji_report]) as documents — a page
//! printed on A4 with its charts, its `.pdf`, and the `.docx` the bureau edits and signs (the
//! year's tables also as `.xlsx`).
//!
//! - `/staff/tasks/{id}/report` (`.pdf`, `.docx`)
//! - `/staff/stats/{year}/summary` (`.pdf`, `.docx`, `.xlsx`)

use crate::auth::Viewer;
use crate::error::PageError;
use crate::lang::Lang;
use crate::pages::documents::{Frame, deliver, frame};
use crate::pages::edit::download;
use crate::state::AppState;
use crate::workflow::page_error;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use suiji_domain::stats::Share;
use suiji_report::{Block, Report, ReportError};

#[derive(Template)]
#[template(path = "documents/report.html")]
struct ReportPage<'a> {
    f: Frame,
    r: &'a Report,
}

impl ReportPage<'_> {
    fn bar(&self, share: &Share) -> String {
        crate::statistics::share_bar(share)
    }

    fn basis(&self) -> String {
        self.r.basis.sentence()
    }
}

/// The report as HTML to print (the style sheet inline, no toolbar): what `suiji report … --out
/// F.pdf` prints.
pub fn printable(report: &Report) -> Result<String, askama::Error> {
    let f = Frame {
        lang: Lang::Zh,
        title: report.title.clone(),
        bureau: report.bureau.clone(),
        number: None,
        date: crate::pages::documents::written(report.made_on),
        for_pdf: true,
        back: String::new(),
        pdf: None,
    };
    ReportPage { f, r: report }.render()
}

/// Prints `html` to PDF with the Chromium named, else the first on the PATH.
pub async fn print(html: &str, chromium: Option<std::path::PathBuf>) -> Result<Vec<u8>, String> {
    crate::pdf::Printer::find(chromium).pdf(html).await.map_err(|e| e.to_string())
}

fn failed(lang: Lang, e: ReportError) -> PageError {
    match e {
        ReportError::Workflow(e) => page_error(lang, e),
        ReportError::Year(_) => PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            lang.t("年度应为 2000 至 2100 之间的整数。", "The year is a whole number from 2000 to 2100."),
        ),
        e => PageError::internal(lang, e),
    }
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn of_task(state: &AppState, lang: Lang, id: i64) -> Result<Report, PageError> {
    let task = suiji_store::workflow::task(&state.store, id).await.map_err(|e| page_error(lang, e))?;
    let today = suiji_store::workflow::china_today();
    suiji_report::task_report(&state.store, &task.code, today).await.map_err(|e| failed(lang, e))
}

async fn of_year(state: &AppState, lang: Lang, year: i32) -> Result<Report, PageError> {
    if !(2000..=2100).contains(&year) {
        return Err(failed(lang, ReportError::Year(year)));
    }
    let today = suiji_store::workflow::china_today();
    suiji_report::annual_report(&state.store, year, today).await.map_err(|e| failed(lang, e))
}

/// The document page (or its `.pdf`) of `report`, opened from `back`.
async fn document(
    state: &AppState,
    lang: Lang,
    report: &Report,
    path: &str,
    back: String,
    pdf: bool,
    file: &str,
) -> Result<Response, PageError> {
    let f = frame(state, lang, &report.title, None, report.made_on, back, path, pdf);
    deliver(state, lang, ReportPage { f, r: report }.render(), pdf, &format!("{file}.pdf")).await
}

/// `GET /staff/tasks/{id}/report` and `.pdf`: 任务总结报告.
pub async fn task<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = of_task(&state, lang, id).await?;
    let file = task_file(&r);
    document(&state, lang, &r, &format!("/staff/tasks/{id}/report"), format!("/staff/tasks/{id}"), PDF, &file)
        .await
}

/// `GET /staff/tasks/{id}/report.docx`
pub async fn task_docx(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = of_task(&state, lang, id).await?;
    let bytes = suiji_report::docx::write(&r).map_err(|e| failed(lang, e))?;
    Ok(download(bytes, &task_file(&r), "docx", DOCX))
}

/// A task report's file name, without its extension: 任务总结报告-T-2026-001.
fn task_file(r: &Report) -> String {
    format!("任务总结报告-{}", r.subject.split('　').next().unwrap_or_default())
}

/// `GET /staff/stats/{year}/summary` and `.pdf`: the year's 工作总结.
pub async fn annual<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(year): Path<i32>,
) -> Result<Response, PageError> {
    let r = of_year(&state, lang, year).await?;
    let back = format!("/staff/stats?from={year}-01-01&to={year}-12-31");
    document(
        &state,
        lang,
        &r,
        &format!("/staff/stats/{year}/summary"),
        back,
        PDF,
        &format!("{year}年度工作总结"),
    )
    .await
}

/// `GET /staff/stats/{year}/summary.docx`
pub async fn annual_docx(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(year): Path<i32>,
) -> Result<Response, PageError> {
    let r = of_year(&state, lang, year).await?;
    let bytes = suiji_report::docx::write(&r).map_err(|e| failed(lang, e))?;
    Ok(download(bytes, &format!("{year}年度工作总结"), "docx", DOCX))
}

/// `GET /staff/stats/{year}/summary.xlsx`: the summary's tables.
pub async fn annual_xlsx(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(year): Path<i32>,
) -> Result<Response, PageError> {
    let r = of_year(&state, lang, year).await?;
    let bytes = suiji_report::xlsx::write(&r).map_err(|e| failed(lang, e))?;
    Ok(download(bytes, &format!("{year}年度工作总结"), "xlsx", XLSX))
}
