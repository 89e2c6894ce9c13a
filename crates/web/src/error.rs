//! Errors as the client needs them: JSON `{"error": …, "field": …}` for the API, a page in
//! the reader's language for the browser.

use crate::lang::Lang;
use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// An API error: a 4xx for the client's mistakes, 500 for ours (details only in the log).
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub field: Option<String>,
    /// For a refused import or save: every problem (row, column, value, zh, en).
    pub problems: Vec<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> ApiError {
        ApiError { status, error: error.into(), field: None, problems: Vec::new() }
    }

    pub fn field(status: StatusCode, field: &str, error: impl Into<String>) -> ApiError {
        ApiError { status, error: error.into(), field: Some(field.to_owned()), problems: Vec::new() }
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not found")
    }
}

/// Every API error's body, whatever its status (the OpenAPI document's `Error` answer).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ErrorBody {
    /// What went wrong, in English (the pages say it in Chinese).
    pub error: String,
    /// The field, column or parameter at fault, where there is one.
    pub field: Option<String>,
    /// For a refused change, every problem: `{row, column, value, zh, en}` for a directory's
    /// record or file, `{field, zh, en}` for a task's definition or an inspection form.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<serde_json::Map<String, serde_json::Value>>")]
    pub problems: Vec<serde_json::Value>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.error, field: self.field, problems: self.problems };
        (self.status, Json(body)).into_response()
    }
}

impl From<suiji_store::StoreError> for ApiError {
    fn from(e: suiji_store::StoreError) -> Self {
        tracing::error!("store: {e}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

/// A page saying what went wrong.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub lang: Lang,
    pub message: String,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    lang: Lang,
    viewer: Option<&'a crate::auth::Viewer>,
    title: &'a str,
    message: &'a str,
}

impl PageError {
    pub fn new(status: StatusCode, lang: Lang, message: impl Into<String>) -> PageError {
        PageError { status, lang, message: message.into() }
    }

    pub fn not_found(lang: Lang) -> PageError {
        PageError::new(
            StatusCode::NOT_FOUND,
            lang,
            lang.t("没有找到这一页或这一条记录。", "No such page or record."),
        )
    }

    pub fn internal(lang: Lang, e: impl std::fmt::Display) -> PageError {
        tracing::error!("{e}");
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, lang, lang.t("服务器内部错误。", "Internal error."))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = status_title(self.lang, self.status);
        let page = MessagePage { lang: self.lang, viewer: None, title, message: &self.message };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, self.message).into_response(),
        }
    }
}

/// Renders a template, or a 500 page if it cannot be.
pub fn render(lang: Lang, page: &impl Template) -> Response {
    render_status(StatusCode::OK, lang, page)
}

/// The status of a page that carries a form: 422 when it is sent back with a problem.
pub fn form_status(failed: bool) -> StatusCode {
    if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }
}

/// Renders a template with a status other than 200 (a form sent back with its problems).
pub fn render_status(status: StatusCode, lang: Lang, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError::internal(lang, e).into_response(),
    }
}

/// The longest text of a framework rejection carried into the JSON error.
const REJECTION_TEXT_LIMIT: usize = 4 << 10;

/// Every answer under `/api/` that is not a success is the JSON error, whatever made it. A
/// handler's [`ApiError`] already is; axum's own rejections — an unparsable path parameter,
/// invalid UTF-8 in a path, a missing query field, a body over the limit — and a 405 are plain
/// text or empty, and are made JSON here, keeping their status and their words.
pub async fn api_errors_as_json(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !api || status.is_success() || is_json {
        return response;
    }
    let bytes = axum::body::to_bytes(response.into_body(), REJECTION_TEXT_LIMIT).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).trim().to_owned();
    let error = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_owned() } else { text };
    // serde's "missing field `name`" names the field the client left out.
    let field = error
        .split_once("field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| name.to_owned());
    ApiError { status, error, field, problems: Vec::new() }.into_response()
}

/// What an error page is headed, in the reader's language.
fn status_title(lang: Lang, status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => lang.t("请求有误", "Bad request"),
        401 => lang.t("请先登录", "Please sign in"),
        403 => lang.t("没有权限", "Not allowed"),
        404 => lang.t("未找到", "Not found"),
        409 => lang.t("当前状态不允许此操作", "Not in this state"),
        413 => lang.t("文件过大", "Too large"),
        422 => lang.t("内容有误", "Not valid"),
        429 => lang.t("操作过于频繁", "Too many requests"),
        503 => lang.t("暂不可用", "Unavailable"),
        _ => lang.t("出错了", "Something went wrong"),
    }
}
