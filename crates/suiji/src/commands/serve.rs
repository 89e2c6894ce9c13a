//! `suiji serve`: the web service, with the demo bureau on request.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::ServeArgs;
use std::io::Write;

pub fn run(args: &ServeArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SUIJI_LOG")
                .unwrap_or_else(|_| "suiji_web=info".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let (key, made) = crate::files::signing_key::load_or_create(&args.signing_key.path)?;
    let public_key = suiji_domain::checkpoint::public_key(&key);
    runtime()?.block_on(async {
        let store = open_store(&args.db.db).await?.with_signing_key(key.clone());
        let err = |e: anyhow::Error| Failure::Input(e.to_string());
        if args.demo {
            if crate::demo::is_empty(&store).await.map_err(err)? {
                crate::output_line(stdout, "loading the demo bureau (洛阳市偃师区人社局, made-up data)…".into())?;
                crate::demo::load(&store).await.map_err(err)?;
            } else {
                crate::output_line(stdout, "the database is not empty: the demo is not loaded again".into())?;
            }
            crate::output_line(stdout, "demo sign-ins (user name / password):".into())?;
            for (username, role, name, _) in crate::demo::ACCOUNTS {
                crate::output_line(
                    stdout,
                    format!("  {username:<11} {:<22} {}（{}）", crate::demo::password(username), role.zh(), name),
                )?;
            }
        } else {
            let users = suiji_store::accounts::user_count(&store).await.map_err(|e| Failure::Input(e.to_string()))?;
            if users == 0 {
                crate::output_line(
                    stdout,
                    "no accounts yet: create the first administrator with\n  suiji user add admin --role admin".into(),
                )?;
            }
        }
        crate::output_line(
            stdout,
            format!(
                "audit checkpoints are signed with {} key {public_key} ({}); keep that file apart from the database",
                if made { "a new" } else { "the" },
                args.signing_key.path.display()
            ),
        )?;
        // A checkpoint now (the first, or the day's), then whenever one is a day old.
        tokio::spawn(daily_checkpoints(store.clone(), key));
        // The outbox's webhook deliveries, sent and retried while the server runs.
        suiji_web::push::spawn_worker(store.clone());
        crate::output_line(stdout, format!("suiji is serving on http://{}/", args.addr))?;
        stdout.flush().map_err(|e| Failure::Input(e.to_string()))?;
        let limits = suiji_sheets::Limits {
            max_rows: usize::try_from(args.upload_max_rows).unwrap_or(usize::MAX),
            max_unpacked: args.upload_max_unpacked_mib << 20,
        };
        let state = suiji_web::AppState::new(store)
            .with_trusted_proxies(args.trusted_proxies.clone())
            .with_upload_limits(limits)
            .with_chromium(args.chromium.clone());
        suiji_web::serve(state, args.addr)
            .await
            .map_err(|e| Failure::Input(format!("cannot serve on {}: {e}", args.addr)))
    })
}

/// Signs a checkpoint when the last is a day old (or a publication has not been signed), checking
/// every ten minutes.
async fn daily_checkpoints(store: suiji_store::Store, key: suiji_domain::checkpoint::Key) {
    loop {
        if let Err(e) =
            suiji_store::audit::checkpoints::sign_if_due(&store, &key, chrono::Duration::days(1)).await
        {
            tracing::warn!("no checkpoint: {e}");
        }
        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
    }
}
