//! `suiji penalty`: 行政处罚 decisions and their notices, and 不予公开 of a result, from the
//! server's shell — the same steps as the pages and the API, each an audit entry.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::{DecisionArgs, PenaltyCommand};
use std::io::Write;
use suiji_domain::workflow::{PenaltyDecision, PenaltyStanding, Procedure};
use suiji_store::workflow::{self as wf, PenaltyView, WorkflowError};

fn failure(e: WorkflowError) -> Failure {
    Failure::Input(e.to_string())
}

fn decision(a: &DecisionArgs) -> PenaltyDecision {
    PenaltyDecision {
        procedure: Procedure::parse(&a.procedure).unwrap_or(Procedure::General),
        decision_no: a.decision_no.clone(),
        decided_on: a.decided_on,
        facts: a.facts.clone(),
        basis: a.basis.clone(),
        penalty: a.penalty.clone(),
    }
}

/// One line: number, firm (USCC), decision number and date, penalty, standing (deadline).
fn line(p: &PenaltyView) -> String {
    let mut standing = p.standing.zh().to_owned();
    if let Some(due) = p.due_on.filter(|_| p.standing != PenaltyStanding::Published) {
        standing.push_str(&format!("（应于 {due} 前公示）"));
    }
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
        p.id,
        p.uscc,
        p.target_name,
        p.decision.decision_no,
        p.decision.decided_on,
        p.decision.penalty,
        standing
    )
}

pub fn run(command: &PenaltyCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rows = runtime()?.block_on(async {
        match command {
            PenaltyCommand::List { status, db } => {
                let store = open_store(&db.db).await?;
                let standing = status.as_deref().and_then(PenaltyStanding::parse);
                wf::penalties(&store, standing).await.map_err(failure)
            }
            PenaltyCommand::Record { inspection, decision: d, db, actor } => {
                let store = open_store(&db.db).await?;
                let p = wf::record_penalty(&store, *inspection, &decision(d), &actor.actor()).await;
                Ok(vec![p.map_err(failure)?])
            }
            PenaltyCommand::Publish { id, db, actor } => {
                let store = open_store(&db.db).await?;
                Ok(vec![wf::publish_penalty(&store, *id, &actor.actor()).await.map_err(failure)?])
            }
            PenaltyCommand::Correct { id, decision: d, reason, db, actor } => {
                let store = open_store(&db.db).await?;
                let p = wf::correct_penalty(&store, *id, &decision(d), reason, &actor.actor()).await;
                Ok(vec![p.map_err(failure)?])
            }
            PenaltyCommand::Withhold { inspection, basis, db, actor } => {
                let store = open_store(&db.db).await?;
                let i =
                    wf::withhold_result(&store, *inspection, basis, &actor.actor()).await.map_err(failure)?;
                crate::output_line(stdout, format!("{}\t{}\t{}\t不予公开", i.id, i.uscc, i.target_name))?;
                Ok(Vec::new())
            }
        }
    })?;
    for p in &rows {
        crate::output_line(stdout, line(p))?;
    }
    Ok(())
}
