//! The administrator's pages: accounts, API tokens and the bureau's settings. Every change goes to the audit log
//! (through the store's accounts module).

use super::china_time;
use crate::auth::Viewer;
use crate::error::{PageError, form_status, render_status};
use crate::lang::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use suiji_domain::access::Role;
use suiji_domain::settings::Settings;
use suiji_store::accounts::{self, AccountError, NewUser, User};
use suiji_store::settings::SetError;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    users: Vec<User>,
    /// Accounts locked by failed sign-ins: until when (China time).
    locked: std::collections::HashMap<i64, String>,
    roles: [Role; 5],
    /// The departments in use, for the new account's 单位.
    departments: Vec<String>,
    message: Option<String>,
    error: Option<String>,
}

async fn users_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    message: Option<String>,
    error: Option<String>,
) -> Response {
    let found = match accounts::users(&state.store).await {
        Ok(users) => accounts::locked_accounts(&state.store).await.map(|locked| (users, locked)),
        Err(e) => Err(e),
    };
    let departments = match suiji_store::org::active_names(state.store.connection()).await {
        Ok(d) => d,
        Err(e) => return crate::workflow::page_error(lang, e).into_response(),
    };
    match found {
        Ok((users, locked)) => {
            let locked = locked.into_iter().map(|(id, until)| (id, china_time(until))).collect();
            let failed = error.is_some();
            let page = UsersPage {
                lang,
                viewer: Some(viewer),
                csrf: viewer.csrf().to_owned(),
                users,
                locked,
                roles: Role::ALL,
                departments,
                message,
                error,
            };
            let status = form_status(failed);
            render_status(status, lang, &page)
        }
        Err(e) => PageError::internal(lang, e).into_response(),
    }
}

pub async fn users(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    users_page(&state, lang, &viewer, None, None).await
}

#[derive(Debug, serde::Deserialize)]
pub struct NewUserForm {
    username: String,
    display_name: String,
    role: String,
    #[serde(default)]
    department: String,
    password: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(form): Form<NewUserForm>,
) -> Response {
    let Some(role) = Role::from_name(&form.role) else {
        return users_page(&state, lang, &viewer, None, Some(format!("unknown role {}", form.role))).await;
    };
    let new = NewUser {
        username: form.username.trim().to_owned(),
        display_name: form.display_name.trim().to_owned(),
        role,
        department: Some(form.department.trim().to_owned()).filter(|d| !d.is_empty()),
        password: form.password,
    };
    match accounts::add_user(&state.store, &new, &viewer.user.actor()).await {
        Ok(user) => {
            let message = format!("{} {}", lang.t("已新增", "Added"), user.username);
            users_page(&state, lang, &viewer, Some(message), None).await
        }
        Err(AccountError::Store(e)) => PageError::internal(lang, e).into_response(),
        Err(e) => users_page(&state, lang, &viewer, None, Some(e.to_string())).await,
    }
}

/// Lifts an account's sign-in lock (its failed tries forgotten).
pub async fn unlock_user(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(username): Path<String>,
) -> Response {
    match accounts::unlock(&state.store, &username, &viewer.user.actor()).await {
        Ok(_) => {
            let message = format!("{} {username}", lang.t("已解除登录锁定：", "Sign-in lock lifted:"));
            users_page(&state, lang, &viewer, Some(message), None).await
        }
        Err(AccountError::Store(e)) => PageError::internal(lang, e).into_response(),
        Err(e) => users_page(&state, lang, &viewer, None, Some(e.to_string())).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct UpdateUserForm {
    role: String,
    status: String,
    /// An inspector's 执法证号 (blank: none); absent leaves the link as it is.
    #[serde(default)]
    cert_no: Option<String>,
    /// The account's department (blank: none); absent leaves it as it is.
    #[serde(default)]
    department: Option<String>,
}

pub async fn update_user(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(username): Path<String>,
    Form(form): Form<UpdateUserForm>,
) -> Response {
    let Some(role) = Role::from_name(&form.role) else {
        return users_page(&state, lang, &viewer, None, Some(format!("unknown role {}", form.role))).await;
    };
    let active = form.status == "active";
    // The account as it is, read once: only what the form changes is written.
    let current = match accounts::user(&state.store, &username).await {
        Ok(found) => found,
        Err(e) => return PageError::internal(lang, e).into_response(),
    };
    if let Some(cert) = form.cert_no.as_deref().map(str::trim) {
        let unchanged =
            current.as_ref().is_some_and(|u| u.inspector_cert_no.as_deref().unwrap_or("") == cert);
        if !unchanged {
            if !cert.is_empty() {
                match suiji_store::directory::find::<suiji_domain::directory::Inspector>(&state.store, cert)
                    .await
                {
                    Ok(Some(_)) => {}
                    Ok(None) => {
                        let e = format!(
                            "{}{cert}",
                            lang.t("执法检查人员名录库中没有证号 ", "no inspector with certificate ")
                        );
                        return users_page(&state, lang, &viewer, None, Some(e)).await;
                    }
                    Err(e) => return PageError::internal(lang, e).into_response(),
                }
            }
            let cert = Some(cert).filter(|c| !c.is_empty());
            if let Err(e) =
                accounts::link_inspector(&state.store, &username, cert, &viewer.user.actor()).await
            {
                return match e {
                    AccountError::NoSuchUser(_) => PageError::not_found(lang).into_response(),
                    e => users_page(&state, lang, &viewer, None, Some(e.to_string())).await,
                };
            }
        }
    }
    if let Some(department) = form.department.as_deref().map(str::trim) {
        let unchanged = current.as_ref().is_some_and(|u| u.department.as_deref().unwrap_or("") == department);
        if !unchanged {
            let department = Some(department).filter(|d| !d.is_empty());
            if let Err(e) =
                accounts::set_department(&state.store, &username, department, &viewer.user.actor()).await
            {
                return match e {
                    AccountError::NoSuchUser(_) => PageError::not_found(lang).into_response(),
                    AccountError::Store(e) => PageError::internal(lang, e).into_response(),
                    e => users_page(&state, lang, &viewer, None, Some(e.to_string())).await,
                };
            }
        }
    }
    match accounts::update_user(&state.store, &username, role, active, &viewer.user.actor()).await {
        Ok(user) => {
            let message = format!("{} {}", lang.t("已保存", "Saved"), user.username);
            users_page(&state, lang, &viewer, Some(message), None).await
        }
        Err(AccountError::NoSuchUser(_)) => PageError::not_found(lang).into_response(),
        Err(AccountError::Store(e)) => PageError::internal(lang, e).into_response(),
        Err(e) => users_page(&state, lang, &viewer, None, Some(e.to_string())).await,
    }
}

/// A token as the table shows it: (id, account, for, issued by, issued at, revoked at).
type TokenRow = (i64, String, String, String, String, Option<String>);

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    tokens: Vec<TokenRow>,
    usernames: Vec<String>,
    issued: Option<String>,
    error: Option<String>,
}

async fn tokens_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    issued: Option<String>,
    error: Option<String>,
) -> Response {
    let listed = async {
        let tokens = accounts::tokens(&state.store).await?;
        let users = accounts::users(&state.store).await?;
        Ok::<_, suiji_store::StoreError>((tokens, users))
    };
    match listed.await {
        Ok((tokens, users)) => {
            let tokens = tokens
                .into_iter()
                .map(|t| {
                    (
                        t.id,
                        t.username,
                        t.name,
                        t.created_by,
                        china_time(t.created_at),
                        t.revoked_at.map(china_time),
                    )
                })
                .collect();
            let usernames = users.into_iter().filter(|u| u.active).map(|u| u.username).collect();
            let failed = error.is_some();
            let page = TokensPage {
                lang,
                viewer: Some(viewer),
                csrf: viewer.csrf().to_owned(),
                tokens,
                usernames,
                issued,
                error,
            };
            let status = form_status(failed);
            render_status(status, lang, &page)
        }
        Err(e) => PageError::internal(lang, e).into_response(),
    }
}

pub async fn tokens(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    tokens_page(&state, lang, &viewer, None, None).await
}

#[derive(Debug, serde::Deserialize)]
pub struct IssueForm {
    username: String,
    name: String,
}

pub async fn issue_token(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(form): Form<IssueForm>,
) -> Response {
    if form.name.trim().is_empty() {
        return tokens_page(
            &state,
            lang,
            &viewer,
            None,
            Some(lang.t("请填写用途。", "Say what the token is for.").into()),
        )
        .await;
    }
    match accounts::issue_token(&state.store, &form.username, form.name.trim(), &viewer.user.actor()).await {
        Ok((_, token)) => tokens_page(&state, lang, &viewer, Some(token), None).await,
        Err(AccountError::Store(e)) => PageError::internal(lang, e).into_response(),
        Err(e) => tokens_page(&state, lang, &viewer, None, Some(e.to_string())).await,
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    match accounts::revoke_token(&state.store, id, &viewer.user.actor()).await {
        Ok(true) => Redirect::to("/staff/tokens").into_response(),
        Ok(false) => PageError::not_found(lang).into_response(),
        Err(e) => PageError::internal(lang, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    settings: Settings,
    message: Option<String>,
    error: Option<String>,
}

/// One of the bureau's rules as its form shows it.
struct RuleField {
    setting: suiji_domain::settings::Setting,
    value: String,
    default: String,
    /// The input's bounds as typed: percentages for ratios.
    min: String,
    max: String,
    ratio: bool,
}

impl SettingsPage<'_> {
    /// The bureau's rules (抽查工作细则), each with its value, default and range.
    fn rules(&self) -> Vec<RuleField> {
        use suiji_domain::settings::Setting;
        let defaults = Settings::default();
        Setting::RULES
            .iter()
            .map(|&setting| {
                let (min, max) = setting.range().unwrap_or((0, 0));
                let ratio = setting.is_ratio();
                let bound = |n: u32| {
                    if ratio {
                        suiji_domain::directory::percent(n).trim_end_matches('%').to_owned()
                    } else {
                        n.to_string()
                    }
                };
                let value = self.settings.value(setting);
                RuleField {
                    setting,
                    value: value.trim_end_matches('%').to_owned(),
                    default: defaults.value(setting),
                    min: bound(min),
                    max: bound(max),
                    ratio,
                }
            })
            .collect()
    }

    /// The grades' yes-or-no rules: setting, value, what it does (zh, en).
    fn credit_switches(&self) -> [(&'static str, bool, &'static str, &'static str); 2] {
        let rules = &self.settings.credit_rules;
        [
            (
                "credit_c_non_cooperation",
                rules.c_non_cooperation,
                "无理抗拒、阻挠检查（不配合检查情节严重）的评为C级",
                "Serious non-cooperation with an inspection makes C",
            ),
            (
                "credit_c_refused_rectification",
                rules.c_refused_rectification,
                "拒不履行限期整改指令（复查未整改并立案或移送）的评为C级",
                "A rectification order not carried out (not rectified, then taken further) makes C",
            ),
        ]
    }
}

async fn settings_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    message: Option<String>,
    error: Option<String>,
) -> Response {
    match suiji_store::settings::load(&state.store).await {
        Ok(settings) => {
            let status = form_status(error.is_some());
            let csrf = viewer.csrf().to_owned();
            render_status(
                status,
                lang,
                &SettingsPage { lang, viewer: Some(viewer), csrf, settings, message, error },
            )
        }
        Err(e) => PageError::internal(lang, e).into_response(),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct SettingsQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn settings(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    axum::extract::Query(q): axum::extract::Query<SettingsQuery>,
) -> Response {
    let message = q.saved.map(|_| lang.t("已保存，并记入操作日志。", "Saved, and logged.").to_owned());
    settings_page(&state, lang, &viewer, message, None).await
}

#[derive(Debug, serde::Deserialize)]
pub struct SettingForm {
    name: String,
    #[serde(default)]
    value: String,
}

pub async fn save_setting(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(form): Form<SettingForm>,
) -> Response {
    let change = [(form.name, form.value)];
    match suiji_store::settings::set(&state.store, &change, &viewer.user.actor()).await {
        Ok(_) => {
            state.identity.forget();
            axum::response::Redirect::to("/staff/settings?saved=1").into_response()
        }
        Err(SetError::Invalid(e)) => {
            let message = if lang.is_en() { e.to_string() } else { e.zh() };
            settings_page(&state, lang, &viewer, None, Some(message)).await
        }
        Err(SetError::Store(e)) => PageError::internal(lang, e).into_response(),
    }
}
