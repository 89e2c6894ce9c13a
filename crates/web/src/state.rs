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
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState { store, trusted_proxies: Arc::new(Vec::new()) }
    }

    /// The same state, believing `X-Forwarded-For` from these networks.
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpNet>) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }
}
