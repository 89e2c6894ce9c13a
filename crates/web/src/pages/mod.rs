//! The server-rendered pages: the public portal (一公开), signing in, and the staff's views of
//! the directories and the audit log.

pub mod account;
pub mod admin;
pub mod disclosure;
pub mod documents;
pub mod edit;
pub mod inspections;
pub mod portal;
pub mod staff;
pub mod tasks;
pub mod workbench;

use chrono::{DateTime, Utc};

/// A time as people in China read it.
pub fn china_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&suiji_store::audit::china()).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The paging and search parameters of a list page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    pub after: Option<i64>,
}

impl ListQuery {
    /// The link to the page after `next`, keeping the search.
    pub fn next_link(&self, path: &str, next: Option<i64>) -> Option<String> {
        next.map(|after| {
            let query = serde_urlencoded::to_string([
                ("q", self.q.as_str()),
                ("status", self.status.as_str()),
                ("after", &after.to_string()),
            ])
            .unwrap_or_default();
            format!("{path}?{query}")
        })
    }

    pub fn filter(&self, limit: u64) -> suiji_store::directory::Filter {
        suiji_store::directory::Filter {
            q: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            status: Some(self.status.clone()).filter(|s| !s.is_empty()),
            after: self.after,
            limit,
            certified_on: None,
        }
    }
}

/// One row of the table template: a link for its first cell, and its cells.
pub struct TableRow {
    pub href: Option<String>,
    pub cells: Vec<String>,
}

/// A record of a list by key, or the page saying there is none.
pub async fn find_row(
    state: &crate::state::AppState,
    lang: crate::lang::Lang,
    list: suiji_domain::directory::ListKind,
    key: &str,
) -> Result<crate::records::Row, crate::error::PageError> {
    use crate::error::PageError;
    crate::records::find(&state.store, list, key)
        .await
        .map_err(|e| PageError::internal(lang, e))?
        .ok_or_else(|| PageError::not_found(lang))
}

/// Rows per page.
pub const PAGE_ROWS: u64 = 50;
