//! The bureau's identity on every page and document: its full name (the `bureau_name`
//! setting). Each server keeps the name it last read for at most [`KEEP`], so a page costs no
//! query for it, a change on this server shows at once, and several servers on one database
//! agree within that time. The name is handed to the templates through a task-local value set
//! around each request (templates call [`bureau`]).

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use suiji_domain::settings::UNNAMED_BUREAU;
use suiji_store::Store;

/// How long a server trusts the name it last read.
pub const KEEP: Duration = Duration::from_secs(30);

tokio::task_local! {
    static BUREAU: Arc<str>;
}

/// The bureau's full name, for the request being answered.
pub fn bureau() -> String {
    BUREAU.try_with(|name| name.to_string()).unwrap_or_else(|_| UNNAMED_BUREAU.to_owned())
}

/// Runs `work` (a request) with `name` as the bureau's name.
pub async fn with_bureau<F: std::future::Future>(name: Arc<str>, work: F) -> F::Output {
    BUREAU.scope(name, work).await
}

/// The name as last read, and when.
type Kept = Option<(Arc<str>, Instant)>;

/// The name as one server last read it.
#[derive(Debug, Clone, Default)]
pub struct Identity(Arc<RwLock<Kept>>);

impl Identity {
    /// The bureau's name: as kept if read less than [`KEEP`] ago, else read again.
    pub async fn name(&self, store: &Store) -> Arc<str> {
        let kept = self.0.read().unwrap_or_else(|e| e.into_inner()).clone();
        match kept {
            Some((name, at)) if at.elapsed() < KEEP => name,
            _ => match suiji_store::settings::load(store).await {
                Ok(settings) => {
                    let name: Arc<str> = settings.bureau_name.into();
                    *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some((name.clone(), Instant::now()));
                    name
                }
                // The page still renders, with the name last read; the error is for the log.
                Err(e) => {
                    tracing::warn!("reading the bureau's name: {e}");
                    kept.map_or_else(|| UNNAMED_BUREAU.into(), |(name, _)| name)
                }
            },
        }
    }

    /// Forgets the name, so the next request reads it again (after a change of settings).
    pub fn forget(&self) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
