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
    runtime()?.block_on(async {
        let store = open_store(&args.db.db).await?;
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
        crate::output_line(stdout, format!("suiji is serving on http://{}/", args.addr))?;
        stdout.flush().map_err(|e| Failure::Input(e.to_string()))?;
        let limits = suiji_sheets::Limits {
            max_rows: usize::try_from(args.upload_max_rows).unwrap_or(usize::MAX),
            max_unpacked: args.upload_max_unpacked_mib << 20,
        };
        let state = suiji_web::AppState::new(store)
            .with_trusted_proxies(args.trusted_proxies.clone())
            .with_upload_limits(limits);
        suiji_web::serve(state, args.addr)
            .await
            .map_err(|e| Failure::Input(format!("cannot serve on {}: {e}", args.addr)))
    })
}
