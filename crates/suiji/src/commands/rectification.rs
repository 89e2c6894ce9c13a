//! `suiji rectification`: the rectifications (整改) a bureau follows, from the server's shell —
//! the same steps as the pages and the API, each an audit entry.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::RectificationCommand;
use std::io::Write;
use suiji_domain::workflow::{Escalation, Standing};
use suiji_store::workflow::{self as wf, RectificationView, WorkflowError};

fn failure(e: WorkflowError) -> Failure {
    Failure::Input(e.to_string())
}

/// One line: number, firm (USCC), task, deadline in force, standing.
fn line(r: &RectificationView) -> String {
    let mut standing = r.state(false);
    if r.overdue {
        standing.push_str("（已逾期）");
    }
    format!("{}\t{}\t{}\t{}\t{}\t{}", r.id, r.uscc, r.target_name, r.task_code, r.deadline_in_force, standing)
}

pub fn run(command: &RectificationCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rows = runtime()?.block_on(async {
        match command {
            RectificationCommand::List { status, db } => {
                let store = open_store(&db.db).await?;
                let standing = status.as_deref().and_then(Standing::parse);
                wf::rectifications(&store, standing).await.map_err(failure)
            }
            RectificationCommand::FollowUp { id, draw_team, db, actor } => {
                let store = open_store(&db.db).await?;
                let r =
                    wf::schedule_follow_up(&store, *id, *draw_team, &actor.actor()).await.map_err(failure)?;
                Ok(vec![r])
            }
            RectificationCommand::Extend { id, until, reason, db, actor } => {
                let store = open_store(&db.db).await?;
                Ok(vec![wf::extend(&store, *id, *until, reason, &actor.actor()).await.map_err(failure)?])
            }
            RectificationCommand::Escalate { id, kind, note, db, actor } => {
                let store = open_store(&db.db).await?;
                let kind =
                    Escalation::parse(kind).ok_or_else(|| Failure::Input(format!("no such kind: {kind}")))?;
                Ok(vec![wf::escalate(&store, *id, kind, note, &actor.actor()).await.map_err(failure)?])
            }
        }
    })?;
    for r in &rows {
        crate::output_line(stdout, line(r))?;
        if let (RectificationCommand::FollowUp { .. }, Some(f)) = (command, r.pending_follow_up()) {
            let team: Vec<String> = f.members.iter().map(|(c, n)| format!("{n}（{c}）")).collect();
            crate::output_line(
                stdout,
                format!("follow-up inspection {}: {}", f.inspection_id, team.join("、")),
            )?;
        }
    }
    Ok(())
}
