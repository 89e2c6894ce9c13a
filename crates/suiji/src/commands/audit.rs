//! `suiji audit`: re-check the audit log (its chain, its checkpoints, the records under it),
//! sign a checkpoint, or read its latest entries.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::AuditCommand;
use crate::files::signing_key;
use std::io::Write;
use std::path::Path;
use suiji_domain::checkpoint::Checkpoint;
use suiji_store::audit;

/// A checkpoint saved from the portal: the JSON of `/public/audit/checkpoint`.
fn read_checkpoint(path: &Path) -> Result<Checkpoint, Failure> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::Input(format!("{}: not a suiji checkpoint ({e})", path.display())))
}

pub fn run(command: &AuditCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let store_error = |e: suiji_store::StoreError| Failure::Input(e.to_string());
    match command {
        AuditCommand::Verify { db, checkpoints, public_key, signing_key } => {
            let mut options = audit::VerifyOptions { public_key: public_key.clone(), given: Vec::new() };
            if options.public_key.is_none() && signing_key.path.exists() {
                let key = signing_key::load(&signing_key.path)?;
                options.public_key = Some(suiji_domain::checkpoint::public_key(&key));
            }
            for path in checkpoints {
                options.given.push((path.display().to_string(), read_checkpoint(path)?));
            }
            let report = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                audit::verify_log(&store, &options).await.map_err(store_error)
            })?;
            let summary = format!(
                "{} entries, root {}; {} stored and {} given checkpoints; {} records",
                report.entries,
                report.root,
                report.stored_checkpoints,
                report.given_checkpoints,
                report.records
            );
            if report.is_intact() {
                let key = match &options.public_key {
                    Some(k) => format!("checkpoints signed by {k}"),
                    None => "no public key given: checkpoints were checked against the keys they name".into(),
                };
                crate::output_line(stdout, format!("audit log intact: {summary}; {key}"))
            } else {
                let mut lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
                if report.more > 0 {
                    lines.push(format!("… and {} more", report.more));
                }
                lines.push(format!("audit log NOT intact: {summary}"));
                Err(Failure::Difference(lines.join("\n")))
            }
        }
        AuditCommand::Checkpoint { db, signing_key } => {
            let key = signing_key::load(&signing_key.path)?;
            let checkpoint = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                audit::checkpoints::sign(&store, &key).await.map_err(|e| Failure::Input(e.to_string()))
            })?;
            crate::output_line(stdout, serde_json::to_string(&checkpoint).expect("a checkpoint serialises"))
        }
        AuditCommand::Show { last, db } => {
            let entries = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                audit::latest(&store, None, *last).await.map_err(store_error)
            })?;
            for e in entries {
                let at = e.at.with_timezone(&audit::china()).format("%F %T");
                crate::output_line(
                    stdout,
                    format!(
                        "{}\t{at}\t{} ({})\t{}\t{}\t{}",
                        e.seq, e.actor, e.role, e.action, e.object, e.change
                    ),
                )?;
            }
            Ok(())
        }
    }
}
