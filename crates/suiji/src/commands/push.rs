//! `suiji push`: receivers of the public events, their delivery log, and the events as files.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::PushCommand;
use std::io::Write;
use suiji_store::push;

pub fn run(command: &PushCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rt = runtime()?;
    match command {
        PushCommand::Add { name, url, secret_file, events, db, actor } => {
            let secret = match (url, secret_file) {
                // A secret file's line ends are not part of the secret.
                (Some(_), Some(file)) => std::fs::read_to_string(file)
                    .map_err(|e| Failure::Input(format!("{}: {e}", file.display())))?
                    .trim()
                    .to_owned(),
                (Some(_), None) => {
                    return Err(Failure::Input("a webhook needs --secret-file / 须提供密钥文件".into()));
                }
                (None, _) => String::new(),
            };
            let r = rt.block_on(async {
                let store = open_store(&db.db).await?;
                push::add_receiver(&store, name, url.as_deref(), &secret, events, &actor.actor())
                    .await
                    .map_err(|e| Failure::Input(e.to_string()))
            })?;
            crate::output_line(
                stdout,
                format!("{}\t{}\t{}", r.id, r.name, r.url.as_deref().unwrap_or("file")),
            )
        }
        PushCommand::Log { receiver, limit, db } => {
            let (receivers, deliveries) = rt.block_on(async {
                let store = open_store(&db.db).await?;
                let receivers = push::receivers(&store).await.map_err(|e| Failure::Input(e.to_string()))?;
                let deliveries = push::deliveries(&store, receiver.as_deref(), (*limit).min(10_000))
                    .await
                    .map_err(|e| Failure::Input(e.to_string()))?;
                Ok::<_, Failure>((receivers, deliveries))
            })?;
            for r in &receivers {
                let events = if r.events.is_empty() { "all".to_owned() } else { r.events.join(",") };
                crate::output_line(
                    stdout,
                    format!(
                        "receiver {}\t{}\t{}\t{events}",
                        r.id,
                        r.name,
                        r.url.as_deref().unwrap_or("file")
                    ),
                )?;
            }
            for d in &deliveries {
                let reply = d.last_reply.as_deref().unwrap_or("").replace(['\t', '\n'], " ");
                let status = d.last_status.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
                crate::output_line(
                    stdout,
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{status}\t{reply}",
                        d.id, d.event_kind, d.subject, d.receiver, d.status, d.attempts
                    ),
                )?;
            }
            Ok(())
        }
        PushCommand::Export { since, out, db } => {
            let events = rt.block_on(async {
                let store = open_store(&db.db).await?;
                push::events_since(&store, *since).await.map_err(|e| Failure::Input(e.to_string()))
            })?;
            std::fs::create_dir_all(out).map_err(|e| Failure::Input(format!("{}: {e}", out.display())))?;
            let json = serde_json::to_vec_pretty(&events).expect("events serialise");
            let json_path = out.join(format!("events-{since}.json"));
            std::fs::write(&json_path, json)
                .map_err(|e| Failure::Input(format!("{}: {e}", json_path.display())))?;
            let rows: Vec<Vec<String>> = events
                .iter()
                .map(|e| {
                    vec![
                        e.id.clone(),
                        e.kind.clone(),
                        e.subject.clone(),
                        e.occurred_at.to_rfc3339(),
                        e.bureau.clone(),
                        e.data.to_string(),
                    ]
                })
                .collect();
            let headers = ["事件编号", "类型", "对象", "发生时间", "单位", "内容（JSON）"];
            let bytes = suiji_sheets::write(suiji_sheets::Format::Xlsx, &headers, &[false; 6], None, &rows)
                .map_err(|e| Failure::Input(e.to_string()))?;
            let xlsx_path = out.join(format!("events-{since}.xlsx"));
            std::fs::write(&xlsx_path, bytes)
                .map_err(|e| Failure::Input(format!("{}: {e}", xlsx_path.display())))?;
            crate::output_line(
                stdout,
                format!("{} events: {} {}", events.len(), json_path.display(), xlsx_path.display()),
            )
        }
    }
}
