//! `suiji lists`: the public lists from the server's shell — the same steps as the pages and
//! the API, each an audit entry.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::ListsCommand;
use std::io::Write;
use suiji_domain::lists::{EntryStatus, Kind, ListName, Removal};
use suiji_store::credit::lists as store;
use suiji_store::credit::{EntryView, NewEntry};
use suiji_store::workflow::WorkflowError;

fn failure(e: WorkflowError) -> Failure {
    Failure::Input(e.to_string())
}

/// One line: number, list, firm (USCC), status (and its dates).
fn line(e: &EntryView) -> String {
    let mut status = e.status.zh(e.list).to_owned();
    if let Some(due) = e.statement_due.filter(|_| e.status == EntryStatus::Notified) {
        status.push_str(&format!("（陈述申辩期至 {due}）"));
    }
    if let (Some(on), EntryStatus::Listed) = (e.listed_on, e.status) {
        status
            .push_str(&format!("（{on} 起{}）", e.term_end.map(|t| format!("，至 {t}")).unwrap_or_default()));
    }
    if e.overdue {
        status.push_str("（逾期未公布）");
    }
    format!("{}\t{}\t{}\t{}\t{}", e.id, e.list.code(), e.uscc, e.target_name, status)
}

pub fn run(command: &ListsCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rows = runtime()?.block_on(async {
        match command {
            ListsCommand::Show { list, status, db } => {
                let store = open_store(&db.db).await?;
                let list = list.as_deref().and_then(ListName::parse);
                let status = status.as_deref().and_then(EntryStatus::parse);
                store::entries(&store, list, status).await.map_err(failure)
            }
            ListsCommand::Propose { penalty, list, kinds, facts, db, actor } => {
                let store = open_store(&db.db).await?;
                let list =
                    ListName::parse(list).ok_or_else(|| Failure::Input(format!("no such list: {list}")))?;
                let kinds = kinds
                    .iter()
                    .map(|k| Kind::parse(k).ok_or_else(|| Failure::Input(format!("no such kind: {k}"))))
                    .collect::<Result<Vec<_>, _>>()?;
                let new = NewEntry { kinds, facts: facts.clone(), handling: String::new() };
                Ok(vec![store::propose(&store, *penalty, list, &new, &actor.actor()).await.map_err(failure)?])
            }
            ListsCommand::Publish { id, db, actor } => {
                let store = open_store(&db.db).await?;
                Ok(vec![store::publish(&store, *id, &actor.actor()).await.map_err(failure)?])
            }
            ListsCommand::Notify { id, notified_on, db, actor } => {
                let store = open_store(&db.db).await?;
                Ok(vec![store::notify(&store, *id, *notified_on, &actor.actor()).await.map_err(failure)?])
            }
            ListsCommand::Decide { id, statement, years, db, actor } => {
                let store = open_store(&db.db).await?;
                Ok(vec![
                    store::decide(&store, *id, statement, *years, &actor.actor()).await.map_err(failure)?,
                ])
            }
            ListsCommand::Repair { id, reason, db, actor } => {
                let store = open_store(&db.db).await?;
                let e = store::remove(&store, *id, Removal::Repaired, reason, &actor.actor()).await;
                Ok(vec![e.map_err(failure)?])
            }
            ListsCommand::Remove { id, db, actor } => {
                let store = open_store(&db.db).await?;
                Ok(vec![
                    store::remove(&store, *id, Removal::Expired, "", &actor.actor())
                        .await
                        .map_err(failure)?,
                ])
            }
        }
    })?;
    for e in &rows {
        crate::output_line(stdout, line(e))?;
    }
    Ok(())
}
