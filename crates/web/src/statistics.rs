//! 统计: a period's figures (docs/statistics.md) — for now the API (`GET /api/v1/stats`); the
//! staff page with its charts, the workbench's numbers and the portal's 抽查情况 come here too.

use crate::api::ApiQuery;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::Deserialize;
use suiji_domain::stats::{Period, Stats};

/// `?from=&to=&department=`: a period (this year when neither day is given) and one
/// department's tasks (the whole bureau's when absent).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// The period's first day (1 January of `to`'s year when only `to` is given).
    #[serde(default)]
    from: Option<NaiveDate>,
    /// The period's last day (31 December of `from`'s year when only `from` is given).
    #[serde(default)]
    to: Option<NaiveDate>,
    /// The department running the tasks (主办部门).
    #[serde(default)]
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    department: Option<String>,
}

/// The longest period asked for at once: ten years.
const MAX_DAYS: i64 = 3_660;

impl StatsQuery {
    /// The period asked for, or why it cannot be.
    pub fn period(&self) -> Result<Period, ApiError> {
        let invalid =
            |field: &str, why: &str| Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, field, why));
        let this_year = suiji_store::workflow::china_today().year();
        let year_of = |d: Option<NaiveDate>| d.map_or(this_year, |d| d.year());
        let from = self.from.or_else(|| NaiveDate::from_ymd_opt(year_of(self.to), 1, 1));
        let to = self.to.or_else(|| NaiveDate::from_ymd_opt(year_of(self.from), 12, 31));
        let (Some(from), Some(to)) = (from, to) else { return invalid("from", "no such day") };
        for (field, day) in [("from", from), ("to", to)] {
            if !(2000..=2100).contains(&day.year()) {
                return invalid(field, "a day from 2000 to 2100");
            }
        }
        if from > to {
            return invalid("to", "the period ends before it starts");
        }
        if (to - from).num_days() > MAX_DAYS {
            return invalid("to", "a period of ten years at most");
        }
        if let Some(d) = &self.department
            && (d.trim().is_empty() || d.chars().count() > suiji_domain::text::MAX_NAME)
        {
            return invalid("department", "a department's name, 1 to 200 characters");
        }
        Ok(Period { from, to })
    }
}

/// `GET /api/v1/stats?from=&to=&department=`
pub async fn api_stats(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Json<Stats>, ApiError> {
    let period = q.period()?;
    Ok(Json(suiji_store::stats::stats(&state.store, &period, q.department.as_deref().map(str::trim)).await?))
}
