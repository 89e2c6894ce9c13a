//! The time the store writes: the system's, unless a loader sets another for the task it runs
//! in. The demo ([`as_of`]) loads a bureau's previous year as it happened — its draws, results
//! and audit entries dated in that year — so the statistics and reports have a year to compare
//! with. Nothing else sets it: a server's requests always write the system's time.

use chrono::{DateTime, Utc};
use std::cell::Cell;

tokio::task_local! {
    static SET: Cell<Option<DateTime<Utc>>>;
}

/// Now: the time set for this task, else the system's.
pub fn now() -> DateTime<Utc> {
    SET.try_with(Cell::get).ok().flatten().unwrap_or_else(Utc::now)
}

/// Runs `f` with a clock that [`set`] can move (the system's until it is set).
pub async fn as_of<F: std::future::Future>(f: F) -> F::Output {
    SET.scope(Cell::new(None), f).await
}

/// Sets the time written from now on in the [`as_of`] task (none: the system's again). Outside
/// one it does nothing.
pub fn set(at: Option<DateTime<Utc>>) {
    let _ = SET.try_with(|c| c.set(at));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_set_time_holds_in_its_task_only() {
        let then = DateTime::parse_from_rfc3339("2025-03-10T02:00:00Z").unwrap().with_timezone(&Utc);
        set(Some(then));
        assert_ne!(now(), then, "outside as_of nothing is set");
        as_of(async {
            assert!(now() > then);
            set(Some(then));
            assert_eq!(now(), then);
            set(None);
            assert!(now() > then);
        })
        .await;
    }
}
