//! sea-orm entities for the tables queried as rows of their own. The directories' tables are
//! read and written through [`crate::directory::Stored`], which maps them to the domain's
//! records; the audit log through [`crate::audit`]; the schema of every table is in
//! `migration/`. Times are UTC.

pub mod api_token;
pub mod calendar_day;
pub mod import_batch;
pub mod login_attempt;
pub mod record_change;
pub mod session;
pub mod user;
