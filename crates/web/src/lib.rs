//! suiji's web service: the staff pages, the public portal (一公开) and the JSON API, on one
//! store. Nothing lives in the process that another `suiji serve` on the same PostgreSQL would
//! need: sessions, sign-in throttling and the audit log are in the database.
//!
//! Who may do what is decided where the routes are declared ([`routes`]): each staff route
//! carries the [`Action`](suiji_domain::access::Action) it performs, and one guard checks it
//! before the handler runs.

mod api;
mod api_workflow;
mod audit;
mod auth;
mod credit;
mod departments;
mod directory;
mod error;
mod files;
mod identity;
mod input;
mod jobs;
mod lang;
mod leads;
mod ledger;
mod merges;
mod openapi;
mod pages;
mod pdf;
mod penalties;
mod people;
mod plans;
pub mod push;
mod records;
mod rectifications;
pub mod reports;
mod routes;
mod rules;
mod state;
mod statistics;
mod trainings;
mod workflow;

pub use error::ErrorBody;
pub use openapi::{Body, Contract, document as openapi_document};
pub use routes::{ROUTES, RouteInfo, router};
pub use state::AppState;

use std::net::SocketAddr;

/// Serves on `addr` until the process is stopped.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    serve_on(tokio::net::TcpListener::bind(addr).await?, state).await
}

/// Serves on a bound listener (a test binds port 0 and reads the port back).
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).await
}
