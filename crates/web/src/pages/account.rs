//! Signing in and out, changing one's password, and the language switch.

use crate::auth::{self, MaybeViewer, Viewer};
use crate::error::{PageError, render, render_status};
use crate::lang::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use suiji_store::accounts::{self, AccountError};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    error: Option<String>,
    next: String,
    username: String,
    /// The sign-in form's own CSRF token, also in the `suiji_login` cookie (there is no
    /// session yet to hold it): a form posted from another site has no such cookie.
    csrf: String,
}

/// The cookie holding the sign-in form's CSRF token.
const LOGIN_COOKIE: &str = "suiji_login";

fn login_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((LOGIN_COOKIE, token))
        .path("/login")
        .http_only(true)
        .same_site(axum_extra::extract::cookie::SameSite::Strict)
        .secure(secure)
        .build()
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// The longest `next` kept (a page's path and query).
const MAX_NEXT_BYTES: usize = 2048;

/// Only a path on this site is a place to go after signing in (never another site): an
/// absolute path, no `//` or `\\` a browser would read as another host, no control character
/// or space (browsers drop a tab or line break and `/\t/host` becomes `//host`; a CR/LF
/// cannot go in a header), and one that parses back to itself as a path and query.
pub(crate) fn safe_next(next: &str) -> String {
    let ok = next.len() <= MAX_NEXT_BYTES
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && next.parse::<axum::http::uri::PathAndQuery>().is_ok_and(|p| p.as_str() == next);
    if ok { next.to_owned() } else { "/".into() }
}

/// Where signing in leads: the page asked for, else the workbench.
fn landing(next: &str) -> String {
    if next.is_empty() { "/staff".to_owned() } else { safe_next(next) }
}

pub async fn login_form(
    lang: Lang,
    viewer: MaybeViewer,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> Response {
    let csrf = accounts::random_token();
    let page = LoginPage {
        lang,
        viewer: viewer.0.as_ref(),
        error: None,
        next: landing(&q.next),
        username: String::new(),
        csrf: csrf.clone(),
    };
    (jar.add(login_cookie(csrf, auth::over_tls(&headers))), render(lang, &page)).into_response()
}

#[derive(Debug, serde::Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

pub async fn login(State(state): State<AppState>, lang: Lang, jar: CookieJar, req: Request) -> Response {
    let address = auth::address(&state, req.extensions(), req.headers());
    let secure = auth::over_tls(req.headers());
    let form = match Form::<LoginForm>::from_request(req, &()).await {
        Ok(Form(form)) => form,
        Err(rejection) => {
            // A body over the limit keeps its 413: refused before it was read.
            let status = rejection.status();
            let message = if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                lang.t("表单过大。", "The form is too large.")
            } else {
                lang.t("表单不完整。", "Incomplete form.")
            };
            return PageError::new(status, lang, message).into_response();
        }
    };
    let expected = jar.get(LOGIN_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if expected.is_empty() || !auth::same_token(&expected, &form.csrf) {
        let message = lang.t(
            "登录表单已过期或来源不明，请刷新页面后重试。",
            "The sign-in form is stale or not ours; reload and try again.",
        );
        return PageError::new(axum::http::StatusCode::FORBIDDEN, lang, message).into_response();
    }
    let jar = jar.remove(Cookie::build(LOGIN_COOKIE).path("/login"));
    let username = form.username.trim().chars().take(accounts::MAX_USERNAME_CHARS + 1).collect::<String>();
    match accounts::sign_in(&state.store, &username, &form.password, &address).await {
        Ok(user) => match accounts::open_session(&state.store, &user, &address).await {
            Ok(session) => {
                let jar = jar.add(auth::session_cookie(session.token, secure));
                (jar, Redirect::to(&landing(&form.next))).into_response()
            }
            Err(e) => PageError::internal(lang, e).into_response(),
        },
        Err(AccountError::Store(e)) => PageError::internal(lang, e).into_response(),
        Err(e) => {
            let (status, message) = match e {
                AccountError::Throttled { seconds } => (
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    match lang {
                        Lang::Zh => format!("尝试次数过多，请 {} 后再试。", wait(lang, seconds)),
                        Lang::En => {
                            format!("Too many failed attempts; try again in {}.", wait(lang, seconds))
                        }
                    },
                ),
                AccountError::BadUsername => (
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    lang.t(
                        "用户名由字母、数字、点、横线和下划线组成，长 2 到 64 个字符。",
                        "A user name is 2 to 64 letters, digits, '.', '-' or '_'.",
                    )
                    .to_owned(),
                ),
                _ => (
                    axum::http::StatusCode::UNAUTHORIZED,
                    lang.t("用户名或密码错误。", "Wrong user name or password.").to_owned(),
                ),
            };
            // A new form, with a new token, for the next try.
            let csrf = accounts::random_token();
            let page = LoginPage {
                lang,
                viewer: None,
                error: Some(message),
                next: landing(&form.next),
                username,
                csrf: csrf.clone(),
            };
            let page = render_status(status, lang, &page);
            (jar.add(login_cookie(csrf, secure)), page).into_response()
        }
    }
}

use axum::extract::FromRequest;

/// A wait as a person reads it: seconds under two minutes, else minutes (rounded up).
fn wait(lang: Lang, seconds: i64) -> String {
    let minutes = (seconds + 59) / 60;
    match (lang, seconds < 120) {
        (Lang::Zh, true) => format!("{seconds} 秒"),
        (Lang::Zh, false) => format!("{minutes} 分钟"),
        (Lang::En, true) => format!("{seconds} seconds"),
        (Lang::En, false) => format!("{minutes} minutes"),
    }
}

pub async fn logout(State(state): State<AppState>, lang: Lang, viewer: Viewer, jar: CookieJar) -> Response {
    if let Some(session) = &viewer.session {
        if let Err(e) = accounts::close_session(&state.store, session).await {
            return PageError::internal(lang, e).into_response();
        }
    }
    (jar.remove(Cookie::build(auth::SESSION_COOKIE).path("/")), Redirect::to("/")).into_response()
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    error: Option<String>,
    done: bool,
}

pub async fn password_form(lang: Lang, viewer: Viewer) -> Response {
    let csrf = viewer.csrf().to_owned();
    render(lang, &PasswordPage { lang, viewer: Some(&viewer), csrf, error: None, done: false })
}

#[derive(Debug, serde::Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(form): Form<PasswordForm>,
) -> Response {
    let csrf = viewer.csrf().to_owned();
    match accounts::change_password(&state.store, &viewer.user, &form.current, &form.new).await {
        Ok(()) => render(lang, &PasswordPage { lang, viewer: None, csrf, error: None, done: true }),
        Err(AccountError::Store(e)) => PageError::internal(lang, e).into_response(),
        Err(e) => {
            let message = match e {
                AccountError::WrongPassword => {
                    lang.t("当前密码不对。", "The current password is wrong.").to_owned()
                }
                other => other.to_string(),
            };
            let page = PasswordPage { lang, viewer: Some(&viewer), csrf, error: Some(message), done: false };
            render_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, lang, &page)
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct LangQuery {
    to: String,
}

/// Switches the language (a cookie) and goes back where the reader was.
pub async fn switch_lang(headers: HeaderMap, jar: CookieJar, Query(q): Query<LangQuery>) -> Response {
    let value = if q.to == "en" { "en" } else { "zh" };
    let back = headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_owned())))
        .map_or_else(|| "/".to_owned(), |p| safe_next(&p));
    let cookie = Cookie::build(("lang", value))
        .path("/")
        .same_site(axum_extra::extract::cookie::SameSite::Lax)
        .build();
    (jar.add(cookie), Redirect::to(&back)).into_response()
}
