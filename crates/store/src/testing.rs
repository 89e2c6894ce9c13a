//! Databases for tests: every store test runs on SQLite and, when `SUIJI_TEST_PG` names a
//! PostgreSQL server, on PostgreSQL too — each test in a database of its own, dropped after.

use crate::{Store, redact};
use sea_orm::{ConnectionTrait, Database};
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the PostgreSQL server for tests, e.g. `postgres://postgres@127.0.0.1/test`.
pub const PG_VAR: &str = "SUIJI_TEST_PG";

/// A database made for one test.
pub struct TestDb {
    /// `sqlite` or `postgres`, for assertion messages.
    pub backend: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The server URL and the database to drop.
    drop: Option<(String, String)>,
}

impl TestDb {
    pub async fn open(&self) -> Store {
        Store::open(&self.url).await.unwrap_or_else(|e| panic!("{}: {e}", self.backend))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.drop.take() else { return };
        // Dropping runs outside any async context the test may still be in.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            rt.block_on(async {
                let db = Database::connect(&server).await?;
                db.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .map(|_| ())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop a test database: {e}");
        }
    }
}

/// A fresh SQLite file, and a fresh PostgreSQL database when `SUIJI_TEST_PG` is set. An
/// unreachable server fails the test: a run that asks for PostgreSQL must get it.
pub async fn databases() -> Vec<TestDb> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("suiji.db").display());
    let mut out = vec![TestDb { backend: "sqlite", url, _dir: Some(dir), drop: None }];
    match std::env::var(PG_VAR) {
        Ok(server) if !server.is_empty() => out.push(postgres(&server).await),
        _ => {
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                eprintln!("PostgreSQL skipped: set {PG_VAR}=postgres://… to run the store tests on it too")
            });
        }
    }
    out
}

async fn postgres(server: &str) -> TestDb {
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "suiji_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    );
    let admin = Database::connect(server)
        .await
        .unwrap_or_else(|e| panic!("{PG_VAR}={}: cannot connect: {e}", redact(server)));
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap_or_else(|e| panic!("cannot create a test database on {}: {e}", redact(server)));
    let url = with_database(server, &name);
    TestDb { backend: "postgres", url, _dir: None, drop: Some((server.to_owned(), name)) }
}

/// The server URL with another database name.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = server.split_once('?').map_or((server, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_replace_the_path() {
        assert_eq!(super::with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
        assert_eq!(
            super::with_database("postgres://h/t?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
    }
}
