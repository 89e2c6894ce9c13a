//! 检查台账: a firm's inspections in a year against the bureau's limits — a staff page and the
//! API (`GET /api/v1/targets/{uscc}/inspections?year=`).

use crate::api::ApiQuery;
use crate::auth::Viewer;
use crate::credit::dossier::{MAX_USCC, checked};
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::page_error;
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Datelike;
use schemars::JsonSchema;
use serde::Deserialize;
use suiji_store::workflow::{self as wf, Ledger, Visit};

/// The years a ledger is kept for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// `?year=2026` (this year when left out).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerQuery {
    #[schemars(range(min = 2000, max = 2100))]
    pub year: Option<i32>,
}

fn year_of(q: &LedgerQuery) -> Option<i32> {
    match q.year {
        None => Some(wf::china_today().year()),
        Some(y) if YEARS.contains(&y) => Some(y),
        Some(_) => None,
    }
}

/// `GET /api/v1/targets/{uscc}/inspections?year=`
pub async fn api(
    State(state): State<AppState>,
    Path(uscc): Path<String>,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> Result<Json<Ledger>, ApiError> {
    let uscc = checked(&uscc)?;
    let year = year_of(&q).ok_or_else(|| {
        ApiError::field(
            axum::http::StatusCode::BAD_REQUEST,
            "year",
            "年份应在 2000 至 2100 之间 / a year from 2000 to 2100",
        )
    })?;
    Ok(Json(wf::ledger(&state.store, uscc, year).await?))
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct Page<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    l: Ledger,
}

impl Page<'_> {
    fn kind(&self, v: &Visit) -> &'static str {
        self.lang.t(v.kind.zh(), v.kind.en())
    }

    fn method(&self, v: &Visit) -> &'static str {
        match suiji_domain::directory::Method::parse(&v.method) {
            Some(m) if !self.lang.is_en() => m.zh(),
            Some(m) => m.code(),
            None => "",
        }
    }

    fn status(&self, v: &Visit) -> &'static str {
        crate::workflow::stage(self.lang, &v.status)
    }

    fn exemption(&self, v: &Visit) -> &'static str {
        v.exemption.map_or("", |e| self.lang.t(e.zh(), e.en()))
    }

    fn over_random(&self) -> bool {
        self.l.count.random >= self.l.limits.random
    }

    fn over_visits(&self) -> bool {
        self.l.count.visits >= self.l.limits.visits
    }
}

/// The page's query, read leniently: it also carries `lang=` (the language switch), and a year
/// that is not one is answered with the page's own "not found", not a bare rejection.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    year: String,
}

/// `GET /staff/targets/{uscc}/inspections?year=`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(uscc): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let year = match q.year.trim() {
        "" => None,
        y => Some(y.parse::<i32>().map_err(|_| PageError::not_found(lang))?),
    };
    let year = year_of(&LedgerQuery { year })
        .filter(|_| uscc.len() <= MAX_USCC)
        .ok_or_else(|| PageError::not_found(lang))?;
    let l = wf::ledger(&state.store, &uscc, year).await.map_err(|e| page_error(lang, e))?;
    Ok(render(lang, &Page { lang, viewer: Some(&viewer), l }))
}
