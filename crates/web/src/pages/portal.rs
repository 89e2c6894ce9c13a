//! The public portal: no sign-in, and only what is public — the item list with its history,
//! the inspector directory's public columns, the audit chain's heads, as pages and open data.

use super::{ListQuery, PAGE_ROWS, TableRow, china_time};
use crate::auth::{MaybeViewer, Viewer, urlencode};
use crate::error::{PageError, render};
use crate::lang::Lang;
use crate::records::{self, Row};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use suiji_domain::directory::{Column, ListKind};
use suiji_store::directory::Filter;

#[derive(Template)]
#[template(path = "home.html")]
struct Home<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    items: u64,
    inspectors: u64,
    head_seq: i64,
    head_hash: String,
    /// The latest published tasks and results.
    tasks: Vec<suiji_store::workflow::TaskView>,
    results: Vec<suiji_store::workflow::PublicationView>,
}

impl Home<'_> {
    fn date(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.with_timezone(&suiji_store::audit::china()).format("%Y-%m-%d").to_string()
    }
}

pub async fn home(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
) -> Result<Response, PageError> {
    let store = &state.store;
    let items = suiji_store::directory::count(store, ListKind::Items)
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let inspectors = public_inspectors_count(&state).await.map_err(|e| PageError::internal(lang, e))?;
    let (head_seq, head_hash) =
        suiji_store::audit::head(store).await.map_err(|e| PageError::internal(lang, e))?;
    let mut tasks =
        suiji_store::workflow::tasks(store, true, None).await.map_err(|e| PageError::internal(lang, e))?;
    tasks.truncate(5);
    let results = suiji_store::workflow::public_results(store, None, None, 5)
        .await
        .map_err(|e| PageError::internal(lang, e))?
        .results;
    let page =
        Home { lang, viewer: viewer.0.as_ref(), items, inspectors, head_seq, head_hash, tasks, results };
    Ok(render(lang, &page))
}

async fn public_inspectors_count(state: &AppState) -> Result<u64, suiji_store::StoreError> {
    suiji_store::directory::count_certified(&state.store, suiji_store::workflow::china_today()).await
}

#[derive(Template)]
#[template(path = "table.html")]
pub struct Table<'a> {
    pub lang: Lang,
    pub viewer: Option<&'a Viewer>,
    pub title: String,
    pub path: String,
    pub tabs: Vec<(String, String)>,
    pub total: Option<u64>,
    pub q: String,
    pub status: String,
    pub statuses: Vec<(&'static str, &'static str)>,
    pub exports: Vec<(String, String)>,
    pub columns: Vec<String>,
    pub rows: Vec<TableRow>,
    pub next: Option<String>,
}

/// Column headers in the reader's language.
pub fn headers(lang: Lang, columns: &[&Column]) -> Vec<String> {
    columns.iter().map(|c| lang.t(c.zh, c.name).to_owned()).collect()
}

pub async fn items(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let list = ListKind::Items;
    let found = records::public_page(&state.store, list, &query.filter(PAGE_ROWS))
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let page = Table {
        lang,
        viewer: viewer.0.as_ref(),
        title: lang.t("抽查事项清单", "Random-inspection item list").to_owned(),
        path: "/public/items".into(),
        tabs: Vec::new(),
        total: None,
        q: query.q.clone(),
        status: query.status.clone(),
        statuses: records::statuses(list),
        exports: vec![
            ("/public/items.csv".into(), "CSV".into()),
            ("/public/items.json".into(), "JSON".into()),
        ],
        columns: headers(lang, &found.columns),
        rows: found
            .rows
            .into_iter()
            .map(|r| TableRow { href: Some(format!("/public/items/{}", urlencode(&r.key))), cells: r.cells })
            .collect(),
        next: query.next_link("/public/items", found.next),
    };
    Ok(render(lang, &page))
}

#[derive(Template)]
#[template(path = "record.html")]
pub struct RecordPage<'a> {
    pub lang: Lang,
    pub viewer: Option<&'a Viewer>,
    pub title: String,
    pub back: String,
    pub back_label: String,
    pub fields: Vec<(String, String)>,
    /// (when, field, old, new, who)
    pub history: Vec<(String, String, String, String, String)>,
    /// For staff who may change the list: the edit form and the retire action.
    pub edit: Option<String>,
    pub retire: Option<String>,
    pub csrf: String,
    /// A target's dossier (诚信档案).
    pub dossier: Option<String>,
    /// An inspector's training (staff only), and where to add a course (those who keep the
    /// inspector directory).
    pub trainings: Option<Vec<suiji_store::training::TrainingView>>,
    pub add_training: Option<String>,
}

/// A record and its history as the record page shows them.
pub async fn record_page<'a>(
    state: &AppState,
    lang: Lang,
    viewer: Option<&'a Viewer>,
    list: ListKind,
    row: Row,
    back: String,
) -> Result<RecordPage<'a>, PageError> {
    let columns = list.columns();
    let fields =
        columns.iter().zip(&row.cells).map(|(c, v)| (lang.t(c.zh, c.name).to_owned(), v.clone())).collect();
    let history = suiji_store::directory::history(&state.store, list, &row.key)
        .await
        .map_err(|e| PageError::internal(lang, e))?
        .into_iter()
        .rev()
        .map(|h| {
            let field = columns
                .iter()
                .find(|c| c.name == h.field)
                .map_or(h.field.clone(), |c| lang.t(c.zh, c.name).to_owned());
            (
                china_time(h.at),
                field,
                h.old_value.unwrap_or_default(),
                h.new_value.unwrap_or_default(),
                h.actor,
            )
        })
        .collect();
    let title = row.cells.get(1).cloned().unwrap_or_else(|| row.key.clone());
    Ok(RecordPage {
        lang,
        viewer,
        title,
        back,
        back_label: lang.t(list.zh(), list.en()).to_owned(),
        fields,
        history,
        edit: None,
        retire: None,
        csrf: String::new(),
        dossier: None,
        trainings: None,
        add_training: None,
    })
}

pub async fn item(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let list = ListKind::Items;
    let row = super::find_row(&state, lang, list, &code).await?;
    let page = record_page(&state, lang, viewer.0.as_ref(), list, row, "/public/items".into()).await?;
    Ok(render(lang, &page))
}

pub async fn inspectors(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let list = ListKind::Inspectors;
    // Only inspectors in post with a certificate in force, and only their public columns,
    // leave the store here.
    let found = records::public_page(&state.store, list, &query.filter(PAGE_ROWS))
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let page = Table {
        lang,
        viewer: viewer.0.as_ref(),
        title: lang.t("执法检查人员名录", "Inspector directory").to_owned(),
        path: "/public/inspectors".into(),
        tabs: Vec::new(),
        total: None,
        q: query.q.clone(),
        status: String::new(),
        statuses: Vec::new(),
        exports: vec![
            ("/public/inspectors.csv".into(), "CSV".into()),
            ("/public/inspectors.json".into(), "JSON".into()),
        ],
        columns: headers(lang, &found.columns),
        rows: found.rows.into_iter().map(|r| TableRow { href: None, cells: r.cells }).collect(),
        next: query.next_link("/public/inspectors", found.next),
    };
    Ok(render(lang, &page))
}

pub async fn targets(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let list = ListKind::Targets;
    let found = records::public_page(&state.store, list, &query.filter(PAGE_ROWS))
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let page = Table {
        lang,
        viewer: viewer.0.as_ref(),
        title: lang.t("检查对象查询", "Look up an inspection target").to_owned(),
        path: "/public/targets".into(),
        tabs: Vec::new(),
        total: None,
        q: query.q.clone(),
        status: query.status.clone(),
        statuses: records::statuses(list),
        exports: Vec::new(),
        columns: headers(lang, &found.columns),
        rows: found
            .rows
            .into_iter()
            .map(|r| TableRow {
                // A firm's public dossier: its draws, published results and penalties.
                href: Some(format!("/public/targets/{}/dossier", urlencode(&r.key))),
                cells: records::readable(&found.columns, r.cells),
            })
            .collect(),
        next: query.next_link("/public/targets", found.next),
    };
    Ok(render(lang, &page))
}

/// Open data: a whole public list as CSV (UTF-8 with BOM, for Excel) or JSON, streamed a
/// page at a time from the store.
pub async fn open_data(state: &AppState, list: ListKind, json: bool) -> Result<Response, PageError> {
    if !matches!(list, ListKind::Items | ListKind::Inspectors) {
        return Err(PageError::not_found(Lang::Zh));
    }
    let mut filter = Filter { limit: 1000, ..Filter::default() };
    let mut columns;
    let mut out: Vec<Vec<String>> = Vec::new();
    loop {
        let found = records::public_page(&state.store, list, &filter)
            .await
            .map_err(|e| PageError::internal(Lang::Zh, e))?;
        columns = found.columns;
        out.extend(found.rows.into_iter().map(|r| r.cells));
        match found.next {
            Some(n) => filter.after = Some(n),
            None => break,
        }
    }
    if json {
        let objects: Vec<serde_json::Map<String, serde_json::Value>> = out
            .into_iter()
            .map(|cells| {
                columns.iter().map(|c| c.name.to_owned()).zip(cells.into_iter().map(Into::into)).collect()
            })
            .collect();
        let body = serde_json::to_string(&objects).unwrap_or_else(|_| "[]".into());
        return Ok(([(header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response());
    }
    let headers: Vec<&str> = columns.iter().map(|c| c.zh).collect();
    let required = vec![false; headers.len()];
    let body = suiji_sheets::write(suiji_sheets::Format::Csv, &headers, &required, None, &out)
        .map_err(|e| PageError::internal(Lang::Zh, e))?;
    let disposition = format!("attachment; filename=\"{}.csv\"", list.name());
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

pub async fn items_csv(State(state): State<AppState>) -> Result<Response, PageError> {
    open_data(&state, ListKind::Items, false).await
}
pub async fn items_json(State(state): State<AppState>) -> Result<Response, PageError> {
    open_data(&state, ListKind::Items, true).await
}
pub async fn inspectors_csv(State(state): State<AppState>) -> Result<Response, PageError> {
    open_data(&state, ListKind::Inspectors, false).await
}
pub async fn inspectors_json(State(state): State<AppState>) -> Result<Response, PageError> {
    open_data(&state, ListKind::Inspectors, true).await
}

pub struct FeedEntry {
    /// A URN that stays the same for the same event.
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) updated: String,
    pub(crate) link: String,
    pub(crate) content: String,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed {
    updated: String,
    entries: Vec<FeedEntry>,
}

/// The workflow's public events: plans and tasks published, draws made or annulled, results
/// published or corrected.
async fn workflow_entries(state: &AppState) -> Result<Vec<FeedEntry>, suiji_store::workflow::WorkflowError> {
    use suiji_domain::audit::timestamp;
    use suiji_store::workflow as wf;
    let mut out = Vec::new();
    for p in wf::plans(&state.store, true).await? {
        out.push(FeedEntry {
            id: format!("urn:suiji:plan:{}", p.id),
            title: format!("公布年度抽查计划：{} {}", p.year, p.title),
            updated: timestamp(p.published_at.unwrap_or(p.created_at)),
            link: "/public/plans".into(),
            content: format!("{}\n{}", p.department, p.description),
        });
    }
    for t in wf::tasks(&state.store, true, None).await?.into_iter().take(50) {
        let link = format!("/public/tasks/{}", t.code);
        out.push(FeedEntry {
            id: format!("urn:suiji:task:{}", t.code),
            title: format!("公布抽查任务 {}：{}", t.code, t.definition.title),
            updated: timestamp(t.published_at.unwrap_or(t.created_at)),
            link: link.clone(),
            content: format!(
                "总体 {} 户，population_sha256 {}",
                t.population_size.unwrap_or(0),
                t.population_sha256.clone().unwrap_or_default()
            ),
        });
        for d in wf::draws_of(&state.store, t.id).await? {
            out.push(FeedEntry {
                id: format!("urn:suiji:draw:{}", d.id),
                title: format!("抽查任务 {} 抽取结果（抽中 {} 户）", t.code, d.document.selected.len()),
                updated: timestamp(d.drawn_at),
                link: link.clone(),
                content: format!("种子 {}", d.seed),
            });
            if let (Some(at), Some(reason)) = (d.annulled_at, &d.annul_reason) {
                out.push(FeedEntry {
                    id: format!("urn:suiji:draw:{}:annulled", d.id),
                    title: format!("抽查任务 {} 的抽取 #{} 已作废", t.code, d.id),
                    updated: timestamp(at),
                    link: link.clone(),
                    content: format!("理由：{reason}"),
                });
            }
        }
    }
    for p in wf::public_results(&state.store, None, None, 100).await?.results {
        let corrected =
            if p.version > 1 { format!("（更正，第 {} 版）", p.version) } else { String::new() };
        out.push(FeedEntry {
            id: format!("urn:suiji:publication:{}", p.id),
            title: format!("检查结果公示{corrected}：{}", p.target_name),
            updated: timestamp(p.published_at),
            link: format!("/public/results?q={}", p.uscc),
            content: format!(
                "{} {}：{}{}",
                p.content.task_code,
                p.uscc,
                p.content.conclusion,
                if p.reason.is_empty() { String::new() } else { format!("；更正理由：{}", p.reason) }
            ),
        });
    }
    for n in wf::public_penalties(&state.store, None, None, 100).await?.notices {
        let corrected =
            if n.version > 1 { format!("（更正，第 {} 版）", n.version) } else { String::new() };
        out.push(FeedEntry {
            id: format!("urn:suiji:penalty-notice:{}", n.id),
            title: format!("行政处罚决定公示{corrected}：{}", n.target_name),
            updated: timestamp(n.published_at),
            link: format!("/public/penalties?q={}", n.uscc),
            content: format!("{} {}：{}", n.content.decision_no, n.uscc, n.content.penalty),
        });
    }
    // The public lists: who was put on them, and who left them. An entry's day is China's
    // date: its time in the feed is that day's start in China.
    let start_of = |d| timestamp(suiji_store::audit::china_midnight(d));
    for list in suiji_domain::lists::ListName::ALL {
        let link = format!("/public/lists/{}", list.slug());
        for e in suiji_store::credit::lists::entries(&state.store, Some(list), None).await? {
            if let Some(on) = e.listed_on {
                out.push(FeedEntry {
                    id: format!("urn:suiji:list-entry:{}", e.id),
                    title: format!("{}：{}", list.zh(), e.target_name),
                    updated: start_of(on),
                    link: link.clone(),
                    content: format!("{} {}：{}", e.uscc, e.facts, e.handling),
                });
            }
            if let (Some(on), Some(removal)) = (e.removed_on, e.removal) {
                out.push(FeedEntry {
                    id: format!("urn:suiji:list-entry:{}:removed", e.id),
                    title: format!("移出{}：{}（{}）", list.zh(), e.target_name, removal.zh()),
                    updated: start_of(on),
                    link: link.clone(),
                    content: e.removal_reason.clone().unwrap_or_default(),
                });
            }
        }
    }
    Ok(out)
}

/// The Atom feed of what the portal publishes: the item list's changes (each import or edit,
/// with the fields it changed) and the workflow's public events, newest first.
pub async fn feed(State(state): State<AppState>) -> Result<Response, PageError> {
    let lang = Lang::Zh;
    let batches = suiji_store::directory::recent_batches(&state.store, ListKind::Items, 50)
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let columns = ListKind::Items.columns();
    let entries: Vec<FeedEntry> = batches
        .into_iter()
        .map(|(b, changes)| {
            let mut content: Vec<String> = changes
                .iter()
                .map(|c| {
                    let field =
                        columns.iter().find(|col| col.name == c.field).map_or(c.field.as_str(), |col| col.zh);
                    format!(
                        "{} {field}：{} → {}",
                        c.record_key,
                        c.old_value.as_deref().unwrap_or(""),
                        c.new_value.as_deref().unwrap_or("")
                    )
                })
                .collect();
            if b.added > 0 {
                content.insert(0, format!("新增 {} 项", b.added));
            }
            FeedEntry {
                id: format!("urn:suiji:import-batch:{}", b.id),
                title: format!("抽查事项清单更新：新增 {}，变更 {}，废止 {}", b.added, b.changed, b.retired),
                updated: suiji_domain::audit::timestamp(b.at),
                link: "/public/items".into(),
                content: content.join("\n"),
            }
        })
        .collect();
    let mut entries = entries;
    entries.extend(workflow_entries(&state).await.map_err(|e| crate::workflow::page_error(lang, e))?);
    entries.extend(crate::audit::feed_entries(&state).await.map_err(|e| PageError::internal(lang, e))?);
    // Timestamps in one format sort as text.
    entries.sort_by(|a, b| b.updated.cmp(&a.updated));
    entries.truncate(200);
    let updated = entries
        .first()
        .map_or_else(|| suiji_domain::audit::timestamp(chrono::Utc::now()), |e| e.updated.clone());
    let xml = Feed { updated, entries }.render().map_err(|e| PageError::internal(lang, e))?;
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}
