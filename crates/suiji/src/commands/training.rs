//! `suiji training`: inspectors' training, from the server's shell.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::TrainingCommand;
use std::io::Write;
use suiji_domain::training::Training;
use suiji_store::training::{self, TrainingView};

fn line(t: &TrainingView) -> String {
    format!("{}\t{}\t{}\t{}", t.training.held_on, t.training.hours, t.training.course, t.training.provider)
}

pub fn run(command: &TrainingCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rt = runtime()?;
    let failure = |e: suiji_store::workflow::WorkflowError| Failure::Input(e.to_string());
    match command {
        TrainingCommand::List { cert_no, db } => {
            let all = rt.block_on(async {
                training::of_inspector(&open_store(&db.db).await?, cert_no).await.map_err(failure)
            })?;
            for t in &all {
                crate::output_line(stdout, line(t))?;
            }
            Ok(())
        }
        TrainingCommand::Add { cert_no, course, date, hours, provider, db, actor } => {
            let t = Training {
                course: course.clone(),
                held_on: *date,
                hours: *hours,
                provider: provider.clone(),
            };
            let added = rt.block_on(async {
                training::add(&open_store(&db.db).await?, cert_no, &t, &actor.actor()).await.map_err(failure)
            })?;
            crate::output_line(stdout, line(&added))
        }
    }
}
