//! `suiji lead`: the lead register (线索) from the server's shell — registering a lead, the
//! list, one lead with its firms' risk scores, closing one without a task — the same steps as the pages and the API.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::LeadCommand;
use std::io::Write;
use suiji_domain::workflow::{LeadSource, LeadStatus, NewLead};
use suiji_store::workflow::{self as wf, LeadView};

fn failure(e: wf::WorkflowError) -> Failure {
    Failure::Input(e.to_string())
}

/// One line: number, received, source, status (task), department, firms.
fn line(l: &LeadView) -> String {
    let status = match &l.task_code {
        Some(code) => format!("{}({code})", l.status.code()),
        None => l.status.code().to_owned(),
    };
    let firms: Vec<String> = l.targets.iter().map(|t| format!("{} {}", t.uscc, t.name)).collect();
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        l.id,
        l.received_on,
        l.source.code(),
        status,
        l.department,
        firms.join("; ")
    )
}

pub fn run(command: &LeadCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    match command {
        LeadCommand::Add { source, received, targets, summary, reference, department, db, actor } => {
            let source = LeadSource::parse(source).ok_or_else(|| {
                Failure::Input(format!("unknown source {source:?}: complaint, referral, monitoring or risk"))
            })?;
            let new = NewLead {
                source,
                received_on: *received,
                targets: targets.iter().map(|t| t.trim().to_uppercase()).collect(),
                reference: reference.clone(),
                summary: summary.clone(),
            };
            let l = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                wf::register_lead(&store, &new, department.as_deref(), &actor.actor()).await.map_err(failure)
            })?;
            crate::output_line(stdout, l.id.to_string())
        }
        LeadCommand::List { status, db } => {
            let status = match status.as_deref() {
                None => None,
                Some(s) => Some(LeadStatus::parse(s).ok_or_else(|| {
                    Failure::Input(format!("unknown status {s:?}: open, tasked or closed"))
                })?),
            };
            let rows = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                wf::leads(&store, None, status).await.map_err(failure)
            })?;
            for l in &rows {
                crate::output_line(stdout, line(l))?;
            }
            Ok(())
        }
        LeadCommand::Show { id, db } => {
            let l = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                wf::lead(&store, *id, None).await.map_err(failure)
            })?;
            crate::output_line(stdout, line(&l))?;
            crate::output_line(stdout, format!("reference\t{}", l.reference))?;
            crate::output_line(stdout, format!("summary\t{}", l.summary.replace('\n', " ")))?;
            for t in &l.targets {
                let parts: Vec<String> =
                    t.risk.parts.iter().map(|p| format!("{}={}", p.code, p.points)).collect();
                crate::output_line(
                    stdout,
                    format!(
                        "risk\t{}\t{}\t{}\t{}\t{}{}",
                        t.uscc,
                        t.name,
                        t.risk.score,
                        t.risk.level.en(),
                        parts.join(" "),
                        if t.risk.multi_point { "\tmulti-point" } else { "" }
                    ),
                )?;
            }
            for f in &l.files {
                crate::output_line(
                    stdout,
                    format!("file\t{}\t{}\t{}\t{}", f.id, f.file_name, f.size, f.sha256),
                )?;
            }
            if let Some(reason) = &l.closed_reason {
                crate::output_line(
                    stdout,
                    format!("closed\t{}\t{}", l.closed_by.as_deref().unwrap_or(""), reason),
                )?;
            }
            Ok(())
        }
        LeadCommand::Close { id, reason, db, actor } => {
            let l = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                wf::close_lead(&store, *id, reason, None, &actor.actor()).await.map_err(failure)
            })?;
            crate::output_line(stdout, line(&l))
        }
    }
}
