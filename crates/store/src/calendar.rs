//! Official schedules an administrator imported, for years after the built-in ones (or to
//! correct one): they take the place of the built-in days of the same year.

use crate::audit::{self, Actor};
use crate::entity::calendar_day;
use crate::{Store, StoreError};
use chrono::Datelike;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeSet;
use suiji_domain::calendar::{DayKind, ScheduledDay, WorkCalendar};

/// The built-in schedule with the imported years laid over it.
pub async fn calendar(store: &Store) -> Result<WorkCalendar, StoreError> {
    calendar_in(store.connection()).await
}

/// [`calendar`], read through a connection or inside a transaction.
pub async fn calendar_in(db: &impl sea_orm::ConnectionTrait) -> Result<WorkCalendar, StoreError> {
    let mut calendar = WorkCalendar::builtin();
    let days = calendar_day::Entity::find().order_by_asc(calendar_day::Column::Date).all(db).await?;
    let days = days
        .into_iter()
        .map(|d| ScheduledDay {
            date: d.date,
            kind: if d.kind == "work" { DayKind::Work } else { DayKind::Off },
            name: d.name,
        })
        .collect();
    calendar.set_years(days);
    Ok(calendar)
}

/// Stores the days of whole years, replacing what was stored for those years. Returns the
/// years imported.
pub async fn import(
    store: &Store,
    days: &[ScheduledDay],
    source: &str,
    actor: &Actor,
) -> Result<Vec<i32>, StoreError> {
    let years: BTreeSet<i32> = days.iter().map(|d| d.date.year()).collect();
    let txn = audit::begin(store).await?;
    for &year in &years {
        let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("a year's first day");
        let last = chrono::NaiveDate::from_ymd_opt(year, 12, 31).expect("a year's last day");
        calendar_day::Entity::delete_many()
            .filter(calendar_day::Column::Date.between(first, last))
            .exec(&txn)
            .await?;
    }
    let now = crate::clock::now();
    let models = days.iter().map(|d| calendar_day::ActiveModel {
        date: Set(d.date),
        kind: Set(match d.kind {
            DayKind::Off => "off".into(),
            DayKind::Work => "work".into(),
        }),
        name: Set(d.name.clone()),
        source: Set(source.to_owned()),
        actor: Set(actor.name.clone()),
        imported_at: Set(now),
    });
    if !days.is_empty() {
        calendar_day::Entity::insert_many(models).exec(&txn).await?;
    }
    let change = serde_json::json!({ "years": years, "days": days.len(), "source": source });
    audit::append(&txn, actor, "import", "calendar", change).await?;
    txn.commit().await?;
    Ok(years.into_iter().collect())
}
