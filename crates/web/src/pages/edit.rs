//! Adding, editing, retiring, importing and exporting a list's records in the browser. Every
//! change goes through the same checked import as a file (see `crate::directory`).

use crate::auth::{Viewer, urlencode};
use crate::directory::{Outcome, retire as retire_record, save as save_record};
use crate::error::{PageError, render, render_status};
use crate::lang::Lang;
use crate::records;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use suiji_domain::directory::{ListKind, Problem};
use suiji_store::directory::ImportSummary;

pub struct Field {
    name: &'static str,
    label: String,
    value: String,
    note: String,
    required: bool,
    readonly: bool,
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    title: String,
    back: String,
    back_label: String,
    action: String,
    csrf: String,
    fields: Vec<Field>,
    problems: Vec<String>,
}

fn form_page<'a>(
    lang: Lang,
    viewer: &'a Viewer,
    list: ListKind,
    values: &[(String, String)],
    editing: bool,
    problems: Vec<String>,
) -> FormPage<'a> {
    let fields = list
        .columns()
        .iter()
        .map(|c| Field {
            name: c.name,
            label: lang.t(c.zh, c.name).to_owned(),
            value: values.iter().find(|(k, _)| k == c.name).map(|(_, v)| v.clone()).unwrap_or_default(),
            note: c.note.to_owned(),
            required: c.required,
            readonly: editing && list.key_columns().contains(&c.name),
        })
        .collect();
    let title = if editing { lang.t("编辑", "Edit") } else { lang.t("新增", "Add") };
    FormPage {
        lang,
        viewer: Some(viewer),
        title: format!("{title} · {}", lang.t(list.zh(), list.en())),
        back: format!("/staff/{}", list.name()),
        back_label: lang.t(list.zh(), list.en()).to_owned(),
        action: format!("/staff/{}/save", list.name()),
        csrf: viewer.csrf().to_owned(),
        fields,
        problems,
    }
}

pub async fn new_form(list: ListKind, lang: Lang, viewer: Viewer) -> Response {
    render(lang, &form_page(lang, &viewer, list, &[], false, Vec::new()))
}

pub async fn edit_form(
    list: ListKind,
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let row = super::find_row(&state, lang, list, &key).await?;
    let values: Vec<(String, String)> =
        list.columns().iter().map(|c| c.name.to_owned()).zip(row.cells).collect();
    Ok(render(lang, &form_page(lang, &viewer, list, &values, true, Vec::new())))
}

/// The form's fields that are columns of the list (the CSRF token and anything else dropped).
fn column_values(list: ListKind, form: Vec<(String, String)>) -> Vec<(String, String)> {
    form.into_iter().filter(|(k, _)| list.columns().iter().any(|c| c.name == k)).collect()
}

pub async fn save(
    list: ListKind,
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = column_values(list, form);
    let (outcome, key) =
        save_record(&state.store, list, &values, &crate::directory::Importer::of(&viewer.user))
            .await
            .map_err(|e| PageError::internal(lang, e))?;
    match outcome {
        Outcome::Done(_) => {
            Ok(Redirect::to(&format!("/staff/{}/{}", list.name(), urlencode(&key))).into_response())
        }
        Outcome::Rejected(problems) => {
            let editing = records::find(&state.store, list, &key_of(list, &values))
                .await
                .map_err(|e| PageError::internal(lang, e))?
                .is_some();
            let messages = problems.iter().map(|p| problem_text(lang, list, p)).collect();
            let page = form_page(lang, &viewer, list, &values, editing, messages);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, lang, &page))
        }
    }
}

/// The key the form's values give (as the list joins it), without checking them.
fn key_of(list: ListKind, values: &[(String, String)]) -> String {
    list.key_columns()
        .iter()
        .map(|k| values.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.trim()))
        .collect::<Vec<_>>()
        .join("|")
}

/// A problem of a one-row form, without the row number, with the column's name.
fn problem_text(lang: Lang, list: ListKind, p: &Problem) -> String {
    let column = list
        .columns()
        .iter()
        .find(|c| c.name == p.column)
        .map_or(p.column.clone(), |c| lang.t(c.zh, c.name).to_owned());
    let reason = lang.t(&p.zh, &p.en);
    if p.value.is_empty() {
        format!("{column}：{reason}")
    } else {
        format!("{column}“{}”：{reason}", p.value)
    }
}

pub async fn retire(
    list: ListKind,
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    match retire_record(&state.store, list, &key, &crate::directory::Importer::of(&viewer.user))
        .await
        .map_err(|e| PageError::internal(lang, e))?
    {
        None => Err(PageError::not_found(lang)),
        Some(Outcome::Done(_)) => {
            Ok(Redirect::to(&format!("/staff/{}/{}", list.name(), urlencode(&key))).into_response())
        }
        Some(Outcome::Rejected(problems)) => {
            let text: Vec<String> = problems.iter().map(|p| problem_text(lang, list, p)).collect();
            Err(PageError::new(StatusCode::UNPROCESSABLE_ENTITY, lang, text.join("；")))
        }
    }
}

/// A problem as a page lists it: row, column, value, reason.
pub type ProblemRow = (String, String, String, String);

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    title: String,
    back: String,
    back_label: String,
    action: String,
    template: String,
    summary: Option<String>,
    problems: Vec<ProblemRow>,
}

fn import_page<'a>(lang: Lang, viewer: &'a Viewer, list: ListKind) -> ImportPage<'a> {
    let base = format!("/staff/{}", list.name());
    ImportPage {
        lang,
        viewer: Some(viewer),
        title: format!("{} · {}", lang.t("导入", "Import"), lang.t(list.zh(), list.en())),
        back: base.clone(),
        back_label: lang.t(list.zh(), list.en()).to_owned(),
        // A multipart form carries its CSRF token in the query: the guard does not read files.
        action: format!("{base}/import?csrf={}&once={}", urlencode(viewer.csrf()), crate::auth::once()),
        template: format!("{base}/template"),
        summary: None,
        problems: Vec::new(),
    }
}

pub async fn import_form(list: ListKind, lang: Lang, viewer: Viewer) -> Response {
    render(lang, &import_page(lang, &viewer, list))
}

fn summary_text(lang: Lang, name: &str, s: &ImportSummary) -> String {
    if lang.is_en() {
        format!(
            "{name}: {} rows — {} added, {} changed, {} unchanged, {} retired (batch {})",
            s.rows, s.added, s.changed, s.unchanged, s.retired, s.batch_id
        )
    } else {
        format!(
            "{name}：共 {} 行，新增 {}，变更 {}，未变 {}，退出 {}（批次 {}）",
            s.rows, s.added, s.changed, s.unchanged, s.retired, s.batch_id
        )
    }
}

pub async fn import_upload(
    list: ListKind,
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut page = import_page(lang, &viewer, list);
    let mut file: Option<(String, axum::body::Bytes)> = None;
    let mut sheet_name = String::new();
    let mut retire_missing = false;
    let bad = |message: &str| PageError::new(StatusCode::BAD_REQUEST, lang, message.to_owned());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| bad(lang.t("上传的表单不完整。", "The upload is incomplete.")))?
    {
        match field.name().unwrap_or("") {
            "file" => {
                // Only the file's name is used (its extension), never as a path on our disk.
                let name =
                    field.file_name().unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(|_| {
                    bad(lang.t("文件过大或上传中断。", "The file is too large or the upload broke off."))
                })?;
                file = Some((name, bytes));
            }
            "sheet" => sheet_name = field.text().await.unwrap_or_default().trim().to_owned(),
            "retire_missing" => retire_missing = field.text().await.unwrap_or_default() == "1",
            _ => {}
        }
    }
    let reject = |mut page: ImportPage<'_>, problems: Vec<Problem>| {
        page.problems = problems
            .iter()
            .map(|p| {
                (
                    p.row.map_or(String::new(), |r| r.to_string()),
                    p.column.clone(),
                    p.value.clone(),
                    lang.t(&p.zh, &p.en).to_owned(),
                )
            })
            .collect();
        render_status(StatusCode::UNPROCESSABLE_ENTITY, lang, &page)
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(reject(page, vec![Problem::file("请选择要导入的文件", "choose a file to import")]));
    };
    let kind_ok = match suiji_sheets::Kind::of(&name) {
        Some(suiji_sheets::Kind::Xlsx) => bytes.starts_with(b"PK"),
        Some(suiji_sheets::Kind::Csv) => !bytes.starts_with(b"PK"),
        None => false,
    };
    if !kind_ok {
        return Ok(reject(
            page,
            vec![Problem::file("只能导入 .csv 或 .xlsx 文件", "only .csv and .xlsx files can be imported")],
        ));
    }
    // The file is read, checked and imported as a job: a large one goes on in the background
    // with its progress on the job's page, and a small one is answered here as before.
    let sheet_name = Some(sheet_name).filter(|s| !s.is_empty());
    let (store, limits, who) =
        (state.store.clone(), state.upload_limits, crate::directory::Importer::of(&viewer.user));
    let file_name = name.clone();
    let started = crate::jobs::start(
        &state,
        &viewer,
        "import",
        &name,
        "读取文件 reading the file",
        Some(&page.back),
        move |reporter| async move {
            let outcome = crate::directory::import_file(
                &store,
                limits,
                list,
                file_name.clone(),
                bytes,
                sheet_name,
                retire_missing,
                &who,
                reporter,
            )
            .await;
            outcome_json(&file_name, outcome)
        },
    )
    .await
    .map_err(|e| PageError::internal(lang, e))?;
    let id = started.id;
    let Some(finished) = started.wait(state.job_wait).await else {
        return Ok(crate::jobs::page_of(id));
    };
    let (summary, problems) = import_outcome(lang, &finished.outcome);
    page.summary = summary;
    page.problems = problems;
    if finished.ok {
        Ok(render(lang, &page))
    } else if page.problems.is_empty() {
        Err(PageError::internal(lang, format!("import job {id} failed")))
    } else {
        Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, lang, &page))
    }
}

/// What an import job came to, as its row keeps it: the file's name with the import's
/// summary, or with its problems (the API's shapes).
fn outcome_json(file: &str, outcome: Result<Outcome, suiji_store::StoreError>) -> crate::jobs::Finished {
    let (ok, outcome) = match outcome {
        Ok(Outcome::Done(s)) => (true, json!({ "file": file, "summary": crate::api::summary(None, &s) })),
        Ok(Outcome::Rejected(problems)) => {
            (false, json!({ "file": file, "problems": crate::api::problem_values(&problems) }))
        }
        Err(e) => {
            tracing::error!("import of {file}: {e}");
            (false, json!({ "file": file, "error": "internal" }))
        }
    };
    crate::jobs::Finished { ok, outcome }
}

/// An import job's outcome as the import page shows it: the summary line, or the problems
/// (row, column, value, reason).
pub fn import_outcome(lang: Lang, outcome: &serde_json::Value) -> (Option<String>, Vec<ProblemRow>) {
    let file = outcome["file"].as_str().unwrap_or("");
    let s = &outcome["summary"];
    if s.is_object() {
        let n = |field: &str| s[field].as_u64().unwrap_or(0);
        let summary = ImportSummary {
            batch_id: s["batch"].as_i64().unwrap_or(0),
            rows: n("rows"),
            added: n("added"),
            changed: n("changed"),
            unchanged: n("unchanged"),
            retired: n("retired"),
        };
        return (Some(summary_text(lang, file, &summary)), Vec::new());
    }
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    };
    let problems = outcome["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let reason = if lang.is_en() { &p["en"] } else { &p["zh"] };
            (text(&p["row"]), text(&p["column"]), text(&p["value"]), text(reason))
        })
        .collect();
    (None, problems)
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct FormatQuery {
    #[serde(default)]
    format: String,
}

fn sheet_format(q: &FormatQuery) -> (suiji_sheets::Format, &'static str, &'static str) {
    if q.format == "csv" {
        (suiji_sheets::Format::Csv, "csv", "text/csv; charset=utf-8")
    } else {
        (
            suiji_sheets::Format::Xlsx,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    }
}

pub(crate) fn download(bytes: Vec<u8>, file: &str, ext: &str, mime: &'static str) -> Response {
    // The file name in RFC 5987 form, so that Chinese names survive.
    let disposition =
        format!("attachment; filename=\"{ext}.{ext}\"; filename*=UTF-8''{}.{ext}", urlencode(file));
    ([(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

pub async fn export(
    list: ListKind,
    State(state): State<AppState>,
    lang: Lang,
    Query(q): Query<FormatQuery>,
) -> Result<Response, PageError> {
    let (format, ext, mime) = sheet_format(&q);
    let rows =
        suiji_store::directory::cells(&state.store, list).await.map_err(|e| PageError::internal(lang, e))?;
    let (headers, required): (Vec<&str>, Vec<bool>) =
        list.columns().iter().map(|c| (c.zh, c.required)).unzip();
    let bytes = suiji_sheets::write(format, &headers, &required, None, &rows)
        .map_err(|e| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, lang, e.to_string()))?;
    Ok(download(bytes, list.zh(), ext, mime))
}

pub async fn template(
    list: ListKind,
    Query(q): Query<FormatQuery>,
    lang: Lang,
) -> Result<Response, PageError> {
    let (format, ext, mime) = sheet_format(&q);
    let (headers, required): (Vec<&str>, Vec<bool>) =
        list.columns().iter().map(|c| (c.zh, c.required)).unzip();
    let notes = suiji_domain::directory::template_notes(list);
    let bytes = suiji_sheets::write(format, &headers, &required, Some(&notes), &[])
        .map_err(|e| PageError::internal(lang, e))?;
    Ok(download(bytes, &format!("{}模板", list.zh()), ext, mime))
}
