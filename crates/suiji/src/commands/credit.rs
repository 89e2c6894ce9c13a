//! `suiji credit`: 守法诚信等级评价 from the server's shell — the same steps as the pages and
//! the API, each an audit entry.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::CreditCommand;
use std::io::Write;
use suiji_domain::credit::Grade;
use suiji_store::credit::{self, EvaluationView};
use suiji_store::workflow::WorkflowError;

fn failure(e: WorkflowError) -> Failure {
    Failure::Input(e.to_string())
}

/// A heading line (number, year, status, counts), then a line a firm: USCC, name, was, grade,
/// why.
fn print(e: &EvaluationView, stdout: &mut dyn Write) -> Result<(), Failure> {
    let counts: Vec<String> = e.counts.iter().map(|(g, n)| format!("{g}={n}")).collect();
    crate::output_line(
        stdout,
        format!("evaluation {}\t{}\t{}\t{}", e.id, e.year, e.status, counts.join(" ")),
    )?;
    for p in &e.proposals {
        let was = p.previous_grade.map_or("-", Grade::code);
        crate::output_line(
            stdout,
            format!("{}\t{}\t{}\t{}\t{}", p.uscc, p.target_name, was, p.grade.code(), p.reason()),
        )?;
    }
    Ok(())
}

pub fn run(command: &CreditCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let e = runtime()?.block_on(async {
        match command {
            CreditCommand::Evaluate { year, db, actor } => {
                let store = open_store(&db.db).await?;
                credit::evaluate(&store, *year, &actor.actor()).await.map_err(failure)
            }
            CreditCommand::Show { id, db } => {
                let store = open_store(&db.db).await?;
                let id = match id {
                    Some(id) => *id,
                    None => credit::evaluations(&store)
                        .await
                        .map_err(failure)?
                        .first()
                        .map(|e| e.id)
                        .ok_or_else(|| Failure::Input("no evaluation yet / 尚未进行评价".into()))?,
                };
                credit::evaluation(&store, id).await.map_err(failure)
            }
            CreditCommand::Adjust { id, uscc, grade, reason, db, actor } => {
                let store = open_store(&db.db).await?;
                let grade =
                    Grade::parse(grade).ok_or_else(|| Failure::Input(format!("no such grade: {grade}")))?;
                credit::adjust(&store, *id, uscc, grade, reason, &actor.actor()).await.map_err(failure)
            }
            CreditCommand::Confirm { id, db, actor } => {
                let store = open_store(&db.db).await?;
                credit::confirm(&store, *id, &actor.actor()).await.map_err(failure)
            }
        }
    })?;
    print(&e, stdout)
}
