//! `suiji audit`: re-check the hash chain of the audit log, or read its latest entries.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::AuditCommand;
use std::io::Write;
use suiji_store::audit;

pub fn run(command: &AuditCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let store_error = |e: suiji_store::StoreError| Failure::Input(e.to_string());
    match command {
        AuditCommand::Verify { db } => {
            let result = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                audit::verify(&store).await.map_err(store_error)
            })?;
            match result {
                Ok(v) => crate::output_line(
                    stdout,
                    format!("audit log intact: {} entries, head {}", v.entries, v.head),
                ),
                Err(b) => Err(Failure::Difference(b.to_string())),
            }
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
