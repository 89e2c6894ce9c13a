//! The staff's views: each list with search, status filter and paging (every column, private
//! ones included), a record with its history, and the audit log.

use super::portal::{Table, headers, record_page};
use super::{ListQuery, PAGE_ROWS, TableRow};
use crate::auth::{Viewer, urlencode};
use crate::error::{PageError, render};
use crate::lang::Lang;
use crate::records;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use suiji_domain::access::{Action, allowed};
use suiji_domain::directory::ListKind;

/// The lists the viewer may see, as tabs.
fn tabs(lang: Lang, viewer: &Viewer) -> Vec<(String, String)> {
    let mut tabs: Vec<(String, String)> = ListKind::ALL
        .into_iter()
        .filter(|l| allowed(viewer.user.role, Action::ViewList(*l)))
        .map(|l| (format!("/staff/{}", l.name()), lang.t(l.zh(), l.en()).to_owned()))
        .collect();
    if allowed(viewer.user.role, Action::ViewAudit) {
        tabs.push(("/staff/audit".into(), lang.t("操作日志", "Audit log").into()));
    }
    if allowed(viewer.user.role, Action::ManageUsers) {
        tabs.push(("/staff/users".into(), lang.t("账户", "Accounts").into()));
    }
    if allowed(viewer.user.role, Action::ManageTokens) {
        tabs.push(("/staff/tokens".into(), lang.t("接口令牌", "API tokens").into()));
    }
    if allowed(viewer.user.role, Action::ManageSettings) {
        tabs.push(("/staff/settings".into(), lang.t("设置", "Settings").into()));
    }
    tabs
}

/// The list's actions the viewer may take: export always, add and import if they may edit.
fn list_links(lang: Lang, viewer: &Viewer, list: ListKind) -> Vec<(String, String)> {
    let base = format!("/staff/{}", list.name());
    let mut links = vec![
        (format!("{base}/export?format=xlsx"), lang.t("导出 Excel", "Export Excel").to_owned()),
        (format!("{base}/export?format=csv"), lang.t("导出 CSV", "Export CSV").to_owned()),
    ];
    if allowed(viewer.user.role, Action::EditList(list)) {
        links.insert(0, (format!("{base}/import"), lang.t("导入", "Import").to_owned()));
        links.insert(0, (format!("{base}/new"), lang.t("新增", "Add").to_owned()));
    }
    links
}

pub async fn list(
    list: ListKind,
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let path = format!("/staff/{}", list.name());
    let all: Vec<usize> = (0..list.columns().len()).collect();
    let (rows, next) = records::page(&state.store, list, &query.filter(PAGE_ROWS))
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    // The total of the status shown (from the list's kept counts: no table scan).
    let total = match query.status.as_str() {
        "" => suiji_store::directory::count(&state.store, list).await,
        status => suiji_store::directory::count_with_status(&state.store, list, status).await,
    }
    .map_err(|e| PageError::internal(lang, e))?;
    let columns = records::columns_at(list, &all);
    let page = Table {
        lang,
        viewer: Some(&viewer),
        title: lang.t(list.zh(), list.en()).to_owned(),
        path: path.clone(),
        tabs: tabs(lang, &viewer),
        total: Some(total),
        q: query.q.clone(),
        status: query.status.clone(),
        statuses: records::statuses(list),
        exports: list_links(lang, &viewer, list),
        columns: headers(lang, &columns),
        rows: rows
            .into_iter()
            .map(|r| TableRow {
                href: Some(format!("{path}/{}", urlencode(&r.key))),
                cells: records::readable(&columns, r.cells),
            })
            .collect(),
        next: query.next_link(&path, next),
    };
    Ok(render(lang, &page))
}

pub async fn record(
    list: ListKind,
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let row = super::find_row(&state, lang, list, &key).await?;
    let path = format!("/staff/{}/{}", list.name(), urlencode(&key));
    let mut page =
        record_page(&state, lang, Some(&viewer), list, row, format!("/staff/{}", list.name())).await?;
    if list == ListKind::Targets && allowed(viewer.user.role, Action::ViewWorkflow) {
        page.dossier = Some(format!("{path}/dossier"));
    }
    if list == ListKind::Inspectors {
        let trainings = suiji_store::training::of_inspector(&state.store, &key)
            .await
            .map_err(|e| crate::workflow::page_error(lang, e))?;
        page.trainings = Some(trainings);
        if allowed(viewer.user.role, Action::EditList(list)) {
            page.add_training = Some(format!("{path}/trainings"));
        }
    }
    if allowed(viewer.user.role, Action::EditList(list)) {
        page.edit = Some(format!("{path}/edit"));
        page.retire = Some(format!("{path}/retire"));
        page.csrf = viewer.csrf().to_owned();
    }
    Ok(render(lang, &page))
}
