//! Sign-in throttling, counted in place: one row per account and one per address, each holding
//! its failures, the last one's time and how long it is locked. A try is *reserved* — counted
//! as a failure and checked against the lock in one transaction — before the password is
//! checked, so parallel guesses cannot all slip through between a count and its update. A
//! try refused because of a lock is not counted, so nobody extends a lock by knocking on it;
//! the lock grows with each failure past the limit (2 s, 4 s, 8 s … 15 minutes) instead of a
//! fixed lock anyone can hold for ever, and an administrator can lift it.

use crate::entity::login_throttle;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
};
use std::net::IpAddr;

/// Failed sign-ins to one account before each further failure locks it for a while.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins from one address (any account) before each further failure locks it.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Failures are forgotten this long after the last one.
pub const FORGET_AFTER_MINUTES: i64 = 60;
/// The longest lock one failure brings.
pub const MAX_LOCK_SECONDS: i64 = 15 * 60;

/// What a sign-in is counted against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: String,
    pub limit: i64,
}

impl Counter {
    pub fn account(id: i64) -> Counter {
        Counter { key: account_key(id), limit: MAX_FAILURES_PER_ACCOUNT }
    }

    /// An address; an IPv6 address by its /64, which one client usually holds whole.
    pub fn address(address: &str) -> Counter {
        Counter { key: format!("address:{}", address_bucket(address)), limit: MAX_FAILURES_PER_ADDRESS }
    }
}

pub(super) fn account_key(id: i64) -> String {
    format!("account:{id}")
}

/// The address as counted: an IPv4 address whole, an IPv6 address's /64.
pub fn address_bucket(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => v6.to_ipv4_mapped().expect("checked").to_string(),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => "unknown".to_owned(),
    }
}

/// How long the `failures`-th failure locks a counter whose limit is `limit`.
pub fn lock_for(failures: i64, limit: i64) -> Option<Duration> {
    let past = failures - limit;
    (past >= 0).then(|| Duration::seconds((2i64 << past.min(20)).min(MAX_LOCK_SECONDS)))
}

/// A reserved try: each counter's failures once this one is counted.
#[derive(Debug)]
pub(super) struct Reserved {
    pub counts: Vec<(Counter, i64)>,
}

/// Reserves a try against `counters`, in a transaction that holds the write lock: `Err(until)`
/// if one of them is locked (nothing counted), else each counted as a failure.
pub(super) async fn reserve(
    txn: &DatabaseTransaction,
    counters: &[Counter],
    now: DateTime<Utc>,
) -> Result<Result<Reserved, DateTime<Utc>>, DbErr> {
    let forget_before = now - Duration::minutes(FORGET_AFTER_MINUTES);
    // Rows nobody needs any more go, so the table holds only the last hour's failures.
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::LastFailureAt.lt(forget_before))
        .filter(
            Condition::any()
                .add(login_throttle::Column::LockedUntil.is_null())
                .add(login_throttle::Column::LockedUntil.lt(now)),
        )
        .exec(txn)
        .await?;
    let keys: Vec<&str> = counters.iter().map(|c| c.key.as_str()).collect();
    let rows =
        login_throttle::Entity::find().filter(login_throttle::Column::Key.is_in(keys)).all(txn).await?;
    if let Some(until) = rows.iter().filter_map(|r| r.locked_until).filter(|u| *u > now).max() {
        return Ok(Err(until));
    }
    let mut counts = Vec::new();
    for counter in counters {
        let row = rows.iter().find(|r| r.key == counter.key);
        let failures = match row {
            Some(r) if r.last_failure_at >= forget_before => r.failures + 1,
            _ => 1,
        };
        let model = login_throttle::ActiveModel {
            key: Set(counter.key.clone()),
            failures: Set(failures),
            last_failure_at: Set(now),
            locked_until: Set(lock_for(failures, counter.limit).map(|d| now + d)),
        };
        if row.is_some() {
            model.update(txn).await?
        } else {
            model.insert(txn).await?
        };
        counts.push((counter.clone(), failures));
    }
    Ok(Ok(Reserved { counts }))
}

/// A reserved try whose password was right: the account's failures are forgotten and the
/// address's reservation given back.
pub(super) async fn settle_success(txn: &DatabaseTransaction, reserved: &Reserved) -> Result<(), DbErr> {
    for (counter, failures) in &reserved.counts {
        let remaining = if counter.key.starts_with("account:") { 0 } else { failures - 1 };
        let found = login_throttle::Entity::find_by_id(counter.key.clone()).one(txn).await?;
        let Some(found) = found else { continue };
        if remaining <= 0 {
            login_throttle::Entity::delete_by_id(counter.key.clone()).exec(txn).await?;
        } else {
            let mut m: login_throttle::ActiveModel = found.into();
            m.failures = Set(remaining);
            if lock_for(remaining, counter.limit).is_none() {
                m.locked_until = Set(None);
            }
            m.update(txn).await?;
        }
    }
    Ok(())
}

/// Lifts an account's lock and forgets its failures.
pub(super) async fn clear(txn: &DatabaseTransaction, key: String) -> Result<bool, DbErr> {
    Ok(login_throttle::Entity::delete_by_id(key).exec(txn).await?.rows_affected > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_grow_from_the_limit_and_stop_at_fifteen_minutes() {
        assert_eq!(lock_for(4, 5), None);
        assert_eq!(lock_for(5, 5), Some(Duration::seconds(2)));
        assert_eq!(lock_for(6, 5), Some(Duration::seconds(4)));
        assert_eq!(lock_for(13, 5), Some(Duration::seconds(512)));
        assert_eq!(lock_for(14, 5), Some(Duration::seconds(MAX_LOCK_SECONDS)));
        assert_eq!(lock_for(1_000_000, 5), Some(Duration::seconds(MAX_LOCK_SECONDS)));
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        assert_eq!(address_bucket("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(address_bucket("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
        assert_eq!(address_bucket("::ffff:10.0.0.1"), "10.0.0.1");
        assert_eq!(address_bucket("10.0.0.1"), "10.0.0.1");
        assert_eq!(address_bucket("not an address"), "unknown");
    }
}
