//! 诚信档案: a firm's dossier as a staff page (every record, linked), a public page (what the
//! portal publishes), a printed document, an `.xlsx` and JSON for the API.

use crate::auth::{MaybeViewer, Viewer};
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::page_error;
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use suiji_store::credit::{self, Dossier};

/// The longest USCC accepted in a path (eighteen characters, with room for a mistyped one to be
/// answered "not found" rather than "too long").
pub(crate) const MAX_USCC: usize = 64;

pub(crate) fn checked(uscc: &str) -> Result<&str, ApiError> {
    crate::api::within("uscc", Some(uscc), MAX_USCC)?;
    Ok(uscc)
}

/// `GET /api/v1/targets/{uscc}/dossier`: everything, for staff.
pub async fn api_staff(
    State(state): State<AppState>,
    Path(uscc): Path<String>,
) -> Result<Json<Dossier>, ApiError> {
    Ok(Json(credit::dossier(&state.store, checked(&uscc)?, false).await?))
}

/// `GET /api/v1/public/targets/{uscc}/dossier`: what the portal publishes.
pub async fn api_public(
    State(state): State<AppState>,
    Path(uscc): Path<String>,
) -> Result<Json<Dossier>, ApiError> {
    Ok(Json(credit::dossier(&state.store, checked(&uscc)?, true).await?))
}

#[derive(Template)]
#[template(path = "dossier.html")]
struct Page<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    d: Dossier,
    public: bool,
}

impl Page<'_> {
    fn kind_name(&self, kind: &str) -> &'static str {
        kind_name(self.lang, kind)
    }
}

/// An event's kind in the page's words.
fn kind_name(lang: Lang, kind: &str) -> &'static str {
    let (zh, en) = match kind {
        "drawn" => ("抽取", "draw"),
        "inspected" => ("检查", "inspection"),
        "follow_up" => ("复查", "follow-up"),
        "result_published" => ("结果公示", "published"),
        "result_corrected" => ("结果更正", "corrected"),
        "result_withheld" => ("不予公开", "withheld"),
        "non_cooperation" => ("不配合检查", "non-cooperation"),
        "rectification_ordered" => ("责令整改", "rectification"),
        "rectification_extended" => ("整改延期", "extension"),
        "rectification_closed" => ("整改办结", "closed"),
        "penalty_decided" => ("行政处罚", "penalty"),
        "penalty_published" => ("处罚公示", "penalty notice"),
        "penalty_corrected" => ("处罚更正", "notice corrected"),
        "grade" => ("诚信等级", "grade"),
        "notified" => ("告知拟列入", "told"),
        "listed" => ("列入名单", "listed"),
        "delisted" => ("移出名单", "delisted"),
        _ => ("其他", "other"),
    };
    lang.t(zh, en)
}

async fn load(state: &AppState, lang: Lang, uscc: &str, public: bool) -> Result<Dossier, PageError> {
    if uscc.len() > MAX_USCC {
        return Err(PageError::not_found(lang));
    }
    credit::dossier(&state.store, uscc, public).await.map_err(|e| page_error(lang, e))
}

/// `GET /staff/targets/{uscc}/dossier`
pub async fn staff(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(uscc): Path<String>,
) -> Result<Response, PageError> {
    let d = load(&state, lang, &uscc, false).await?;
    Ok(render(lang, &Page { lang, viewer: Some(&viewer), d, public: false }))
}

/// `GET /public/targets/{uscc}/dossier`
pub async fn public(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Path(uscc): Path<String>,
) -> Result<Response, PageError> {
    let d = load(&state, lang, &uscc, true).await?;
    Ok(render(lang, &Page { lang, viewer: viewer.0.as_ref(), d, public: true }))
}

#[derive(Template)]
#[template(path = "documents/dossier.html")]
struct Document {
    f: crate::pages::documents::Frame,
    d: Dossier,
}

impl Document {
    fn kind_name(&self, kind: &str) -> &'static str {
        kind_name(Lang::Zh, kind)
    }
}

/// `GET /staff/targets/{uscc}/dossier/print` (and `.pdf`): the dossier on A4.
pub async fn print<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(uscc): Path<String>,
) -> Result<Response, PageError> {
    use crate::pages::documents::{deliver, frame};
    let d = load(&state, lang, &uscc, false).await?;
    let path = format!("/staff/targets/{}/dossier/print", d.target.uscc);
    let back = format!("/staff/targets/{}/dossier", d.target.uscc);
    let f = frame(&state, lang, "诚信档案", None, suiji_store::workflow::china_today(), back, &path, PDF);
    let file = format!("诚信档案-{}.pdf", d.target.name);
    deliver(&state, lang, Document { f, d }.render(), PDF, &file).await
}

/// `GET /staff/targets/{uscc}/dossier.xlsx`: the firm's facts, then its events one a row.
pub async fn xlsx(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(uscc): Path<String>,
) -> Result<Response, PageError> {
    let d = load(&state, lang, &uscc, false).await?;
    let t = &d.target;
    let mut table: Vec<Vec<String>> = vec![
        vec![String::new(), "统一社会信用代码".into(), t.uscc.clone(), String::new()],
        vec![String::new(), "名称".into(), t.name.clone(), String::new()],
        vec![String::new(), "法定代表人".into(), t.legal_rep.clone(), String::new()],
        vec![String::new(), "地址".into(), t.address.clone(), String::new()],
        vec![
            String::new(),
            "诚信等级".into(),
            t.credit_grade.clone().unwrap_or_else(|| "未评级".into()),
            String::new(),
        ],
    ];
    for e in &d.events {
        table.push(vec![
            e.on.to_string(),
            kind_name(Lang::Zh, &e.kind).to_owned(),
            e.zh.clone(),
            if e.public { "公开" } else { "不公开" }.to_owned(),
        ]);
    }
    let headers = ["日期", "事项", "内容", "是否公开"];
    let bytes = suiji_sheets::write(suiji_sheets::Format::Xlsx, &headers, &[false; 4], None, &table)
        .map_err(|e| PageError::internal(lang, e))?;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(crate::pages::edit::download(bytes, &format!("诚信档案-{}", t.name), "xlsx", xlsx))
}
