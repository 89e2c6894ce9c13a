//! 抽查工作细则: the bureau's rules of random inspection, public, page and API side by side. Each
//! rule is a setting the administrator changes within the seeds' limits (on the settings page,
//! through the settings API or `suiji setting set`); here the public reads what is in force and
//! since when.

use crate::auth::MaybeViewer;
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;
use suiji_store::settings::{self, RuleInForce};

#[derive(Serialize, JsonSchema)]
pub struct Rules {
    /// The bureau's full name.
    pub bureau: String,
    pub rules: Vec<RuleInForce>,
}

async fn load(state: &AppState) -> Result<Rules, suiji_store::StoreError> {
    let bureau = settings::load(&state.store).await?.bureau_name;
    Ok(Rules { bureau, rules: settings::rules_in_force(&state.store).await? })
}

/// `GET /api/v1/public/rules`
pub async fn api(State(state): State<AppState>) -> Result<Json<Rules>, ApiError> {
    Ok(Json(load(&state).await?))
}

#[derive(Template)]
#[template(path = "public_rules.html")]
struct RulesPage<'a> {
    lang: Lang,
    viewer: Option<&'a crate::auth::Viewer>,
    r: Rules,
}

impl RulesPage<'_> {
    fn since(&self, rule: &RuleInForce) -> String {
        match rule.since {
            Some(at) => crate::pages::china_time(at).chars().take(10).collect(),
            None => self.lang.t("默认", "default").to_owned(),
        }
    }

    /// A value as read: the key items' floor of 0 is no floor at all.
    fn shown(&self, rule: &RuleInForce, value: &str) -> String {
        if rule.setting == "key_item_floor" && value == "0%" {
            self.lang.t("不设（以各事项的最低比例为准）", "none (each item's own minimum)").to_owned()
        } else {
            value.to_owned()
        }
    }

    fn name<'r>(&self, rule: &'r RuleInForce) -> &'r str {
        if self.lang.is_en() { &rule.en } else { &rule.zh }
    }
}

/// `GET /public/rules`
pub async fn page(State(state): State<AppState>, lang: Lang, viewer: MaybeViewer) -> Response {
    match load(&state).await {
        Ok(r) => render(lang, &RulesPage { lang, viewer: viewer.0.as_ref(), r }),
        Err(e) => PageError::internal(lang, e).into_response(),
    }
}
