//! What every request can reach.

use ipnet::IpNet;
use std::sync::Arc;
use suiji_store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The proxies whose `X-Forwarded-For` is believed (`suiji serve --trusted-proxy`): from
    /// anyone else the header is ignored, or a client could name any address it likes.
    pub trusted_proxies: Arc<Vec<IpNet>>,
    /// How much of an uploaded directory file is read (`suiji serve --upload-max-rows`,
    /// `--upload-max-unpacked-mib`).
    pub upload_limits: suiji_sheets::Limits,
    /// The portal's overdue list as last read, and when (see `pages::disclosure::overdue`).
    pub overdue: Arc<std::sync::Mutex<Option<KeptOverdue>>>,
    /// The bureau's name as last read (see `identity`).
    pub identity: crate::identity::Identity,
    /// Prints documents to PDF, when the server has a Chromium (see `pdf`).
    pub printer: crate::pdf::Printer,
    /// The long work this server is doing, and how far it has got (see `jobs`).
    pub jobs: crate::jobs::Running,
    /// How long a request that starts long work waits for it before sending the browser to
    /// the job's page instead of answering with the result.
    pub job_wait: std::time::Duration,
}

/// How long a request waits for its long work by default: most imports of a few hundred rows
/// are done by then and answered on the spot.
pub const JOB_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// The overdue list, with the audit head and China's date it was read at.
pub struct KeptOverdue {
    pub head: i64,
    pub today: chrono::NaiveDate,
    pub overdue: Arc<suiji_store::workflow::Overdue>,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState {
            store,
            trusted_proxies: Arc::new(Vec::new()),
            upload_limits: suiji_sheets::Limits::UPLOAD,
            overdue: Default::default(),
            identity: Default::default(),
            printer: Default::default(),
            jobs: Default::default(),
            job_wait: JOB_WAIT,
        }
    }

    /// The same state, answering long work's request within `wait` (see `job_wait`); with
    /// zero, every such request is answered with its job's page.
    pub fn with_job_wait(mut self, wait: std::time::Duration) -> AppState {
        self.job_wait = wait;
        self
    }

    /// The same state, printing PDFs with this Chromium (or the first on the PATH).
    pub fn with_chromium(mut self, chromium: Option<std::path::PathBuf>) -> AppState {
        self.printer = crate::pdf::Printer::find(chromium);
        self
    }

    /// The same state, reading uploads within these limits.
    pub fn with_upload_limits(mut self, limits: suiji_sheets::Limits) -> AppState {
        self.upload_limits = limits;
        self
    }

    /// The same state, believing `X-Forwarded-For` from these networks.
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpNet>) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }
}
