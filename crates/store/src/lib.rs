//! suiji's store: the schema and the queries, one code path for SQLite (the default: a file,
//! created and migrated on first use) and PostgreSQL (for scale: many `suiji serve` side by
//! side). Everything goes through sea-orm, whose query builder writes each backend's dialect.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod clock;
pub mod credit;
pub mod directory;
pub mod entity;
pub mod forms;
pub mod jobs;
mod migration;
pub mod org;
pub mod push;
pub mod settings;
pub mod stats;
pub mod testing;
pub mod training;
pub mod workflow;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;
use thiserror::Error;

pub use sea_orm::DbErr;

/// Tells how far long work has got: what it is doing (in both languages, "检查 checking"),
/// so many done, out of so many (0 when not counted). A job's page shows it as a progress bar,
/// the CLI as its own.
pub type Report<'a> = &'a (dyn Fn(&'static str, u64, u64) + Sync);

/// For work that nobody follows.
pub fn unreported(_phase: &'static str, _done: u64, _total: u64) {}

/// Where the store is when none is named: a SQLite file in the working directory.
pub const DEFAULT_URL: &str = "sqlite://suiji.db";

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database URL {0:?} is neither sqlite://FILE nor postgres://…")]
    UnknownUrl(String),
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: DbErr },
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

/// An open, migrated store.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// The key that signs the audit log's checkpoints after each publication (the server's;
    /// kept outside the database). None: publications are checkpointed by whoever has it.
    signing_key: Option<std::sync::Arc<suiji_domain::checkpoint::Key>>,
    /// The Merkle tree of the newest checkpoint, kept for the inclusion proofs the portal
    /// answers (see [`audit::inclusion_proof`]); shared by the store's clones.
    pub(crate) proof_tree: audit::TreeCache,
}

impl Store {
    /// Opens the store at `url` (`sqlite://FILE` or `postgres://…`), creating a SQLite file
    /// when it does not exist, and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let mut options = ConnectOptions::new(connect_url(url)?);
        options.sqlx_logging(false).acquire_timeout(Duration::from_secs(30));
        let sqlite = sqlite_file(url).is_some();
        if sqlite {
            // SQLite's work is CPU-bound and each connection has a thread of its own: more
            // connections than cores only add thread switches (measured on 2 cores: 10
            // connections 3,400 requests/s, 2 connections 4,750 on the public directory).
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
            options.max_connections(cores.max(2));
            // WAL lets readers work while an import writes; the busy timeout lets several
            // processes share the file; foreign keys are off by default in SQLite.
            options.map_sqlx_sqlite_opts(|o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(BUSY_TIMEOUT)
                    .foreign_keys(true)
                    // A large page cache and in-memory temporary files: an import of a million
                    // rows otherwise spends much of its time spilling pages to disk.
                    .pragma("cache_size", "-1048576")
                    .pragma("temp_store", "memory")
            });
        } else {
            // The pool retries a refused connection until its timeout and then reports only
            // the timeout; one direct attempt first gives the real reason at once.
            use sea_orm::sqlx::Connection;
            let probe = sea_orm::sqlx::PgConnection::connect(url).await.map_err(|e| StoreError::Open {
                url: redact(url),
                source: DbErr::Conn(sea_orm::RuntimeErr::Internal(e.to_string())),
            })?;
            let _ = probe.close().await;
        }
        let db =
            connect(options, sqlite).await.map_err(|source| StoreError::Open { url: redact(url), source })?;
        let applied = migrate(&db).await?;
        let store = Store { db, signing_key: None, proof_tree: Default::default() };
        // A database made before the log covered records gets them covered once, now.
        audit::baseline(&store).await?;
        if applied.iter().any(|m| m == migration::m20261206_000017_departments::NAME) {
            audit::cover_migration(
                &store,
                migration::m20261206_000017_departments::NAME,
                &[&audit::records::DEPARTMENTS],
                "departments made from the labels in use, under the bureau",
            )
            .await?;
        }
        Ok(store)
    }

    /// This store, signing a checkpoint of the audit log after each publication with `key`.
    pub fn with_signing_key(mut self, key: suiji_domain::checkpoint::Key) -> Store {
        self.signing_key = Some(std::sync::Arc::new(key));
        self
    }

    pub fn signing_key(&self) -> Option<&suiji_domain::checkpoint::Key> {
        self.signing_key.as_deref()
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Whether this is a SQLite file (one writer at a time, a connection or two).
    pub fn is_sqlite(&self) -> bool {
        self.backend() == DbBackend::Sqlite
    }
}

/// How long a SQLite connection waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Connects. A new SQLite file is switched to WAL when first opened, which takes a lock that
/// SQLite's busy timeout does not wait for: two processes opening a new file at once saw
/// `database is locked` (43 pairs in 300), so that one error is retried for as long as the
/// busy timeout.
async fn connect(options: ConnectOptions, sqlite: bool) -> Result<DatabaseConnection, DbErr> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match Database::connect(options.clone()).await {
            Err(e) if sqlite && is_locked(&e) && std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await
            }
            connected => return connected,
        }
    }
}

/// SQLite's SQLITE_BUSY ("database is locked").
fn is_locked(e: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx::Error};
    matches!(e, DbErr::Conn(RuntimeErr::SqlxError(Error::Database(d))) if d.code().as_deref() == Some("5"))
}

/// Brings the schema up to date in one transaction, on both databases. sea-orm-migration
/// wraps PostgreSQL's migrations in a transaction itself but sends SQLite's statements to
/// whichever pooled connection is free, and a connection whose in-memory schema predates
/// the last statement can refuse the next one: `index users_username already exists` once
/// in ~2,000 fresh files under load (migration 2 remakes `users`). One transaction holds one
/// connection, and a migration that fails leaves nothing half-made. Stores opened at once
/// (servers started together after an upgrade) take turns: SQLite's write lock does that,
/// PostgreSQL needs an advisory lock, or both would create `seaql_migrations`.
async fn migrate(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    use sea_orm::TransactionTrait;
    /// "suiji" in ASCII: the advisory lock's key.
    const MIGRATION_LOCK: i64 = 0x73_75_69_6a_69;
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")).await?;
    }
    let pending: Vec<String> = migration::Migrator::get_pending_migrations(&txn)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    migration::Migrator::up(&txn, None).await?;
    txn.commit().await?;
    Ok(pending)
}

/// The file of a `sqlite:` URL (without its `?options`); `None` for any other URL.
pub fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest))
}

/// The URL sea-orm is given: SQLite files are created when missing.
fn connect_url(url: &str) -> Result<String, StoreError> {
    if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let sep = if rest.contains('?') { '&' } else { '?' };
        return Ok(if rest.contains("mode=") {
            format!("sqlite://{rest}")
        } else {
            format!("sqlite://{rest}{sep}mode=rwc")
        });
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(url.to_owned());
    }
    Err(StoreError::UnknownUrl(redact(url)))
}

/// A URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(connect_url("sqlite://suiji.db").unwrap(), "sqlite://suiji.db?mode=rwc");
        assert_eq!(connect_url("sqlite:/tmp/x.db?mode=ro").unwrap(), "sqlite:///tmp/x.db?mode=ro");
        assert!(connect_url("mysql://x").is_err());
        assert_eq!(sqlite_file("sqlite:///tmp/x.db?mode=ro"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("postgres://h/db"), None);
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}
