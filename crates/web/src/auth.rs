//! Who is asking: a browser session (cookie) or an API client (bearer token), and the one
//! guard that lets a request through to its handler only when the viewer's role may take the
//! route's action — with a CSRF check on every state-changing request a cookie authenticates.

use crate::error::ApiError;
use crate::lang::Lang;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use suiji_domain::access::{Action, Reach, allowed, confined_to_department};
use suiji_store::accounts::{self, User};
use suiji_store::{Store, forms};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "suiji_session";
/// The form field (or `X-CSRF-Token` header, or `csrf` query parameter for uploads) carrying
/// the session's CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The form field (or query parameter, for uploads) carrying a form's one-time token.
pub const ONCE_FIELD: &str = "once";

/// A fresh one-time token for a form the page is about to show (see `suiji_store::forms`).
pub fn once() -> String {
    forms::fresh()
}
/// Largest form body the guard reads for its CSRF token.
const FORM_LIMIT: usize = 1 << 20;

/// A signed-in viewer.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    /// The signed-in browser's session (its CSRF token, its cookie's hash to sign out);
    /// `None` for a bearer token (no cookie, so no CSRF).
    pub session: Option<suiji_store::accounts::Session>,
}

impl Viewer {
    /// The session's CSRF token; `None` for a bearer token.
    pub fn csrf_token(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.csrf_token.as_str())
    }

    /// The CSRF token for the forms a page carries ("" for a bearer token).
    /// Whether the viewer's role may read the audit log (its menu entry shows).
    pub fn reads_audit(&self) -> bool {
        allowed(self.user.role, Action::ViewAudit)
    }

    pub fn csrf(&self) -> &str {
        self.csrf_token().unwrap_or("")
    }
}

/// The address a request came from (for throttling and the audit log): the peer's, or —
/// when the peer is a trusted proxy — the nearest address in `X-Forwarded-For` that is not
/// one of the trusted proxies (each proxy appends the address it was reached from, so the
/// entries to the left of the last untrusted one could have been written by the client).
pub fn address(state: &AppState, req_extensions: &axum::http::Extensions, headers: &HeaderMap) -> String {
    let Some(peer) = req_extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) else {
        return "unknown".to_owned();
    };
    client_address(peer, headers, &state.trusted_proxies).to_string()
}

/// See [`address`].
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
    let hops: Vec<&str> = forwarded.flat_map(|v| v.split(',')).map(str::trim).collect();
    for hop in hops.iter().rev() {
        // A hop that is not an address (garbage, or a port we do not expect) ends the walk:
        // what is left of it is not trustworthy.
        let Ok(ip) = hop.parse::<IpAddr>() else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// Whether the client reached us over TLS (directly or through a proxy that says so).
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// The session cookie for a new session.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

/// The viewer of a request, if signed in: a bearer token first, then the session cookie.
pub async fn viewer(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, suiji_store::StoreError> {
    if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        let user = accounts::token_user(&state.store, token.trim()).await?;
        return Ok(user.map(|user| Viewer { user, session: None }));
    }
    let jar = CookieJar::from_headers(headers);
    let Some(token) = jar.get(SESSION_COOKIE) else { return Ok(None) };
    let session = accounts::session(&state.store, token.value()).await?;
    Ok(session.map(|s| Viewer { user: s.user.clone(), session: Some(s) }))
}

/// Puts the viewer (if any) in the request's extensions, for every route.
pub async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    match viewer(&state, req.headers()).await {
        Ok(v) => {
            req.extensions_mut().insert(MaybeViewer(v));
            // For the guard's one-time form tokens.
            req.extensions_mut().insert(state.store.clone());
            let bureau = state.identity.name(&state.store).await;
            crate::identity::with_bureau(bureau, next.run(req)).await
        }
        Err(e) => {
            tracing::error!("reading the session: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The viewer found by [`identify`], or `None` on a public page read anonymously.
#[derive(Debug, Clone)]
pub struct MaybeViewer(pub Option<Viewer>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for MaybeViewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<MaybeViewer>().cloned().unwrap_or(MaybeViewer(None)))
    }
}

/// The viewer a guarded route was let through for.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<MaybeViewer>()
            .and_then(|m| m.0.clone())
            .ok_or_else(|| StatusCode::UNAUTHORIZED.into_response())
    }
}

/// The guard of a route performing `action`: signed in, allowed, and for a state-changing
/// request made with the session cookie, carrying the session's CSRF token.
pub async fn guard(action: Action, reach: Option<Reach>, api: bool, req: Request, next: Next) -> Response {
    let lang = Lang::of(req.uri(), req.headers());
    let viewer = req.extensions().get::<MaybeViewer>().and_then(|m| m.0.clone());
    let Some(viewer) = viewer else {
        if api {
            return ApiError::new(StatusCode::UNAUTHORIZED, "sign in or send Authorization: Bearer <token>")
                .into_response();
        }
        let next_path = req.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let target = format!("/login?next={}", urlencode(&next_path));
        return Redirect::to(&target).into_response();
    };
    if !allowed(viewer.user.role, action) {
        let message = format!("role {} may not {}", viewer.user.role, action.describe());
        return if api {
            ApiError::new(StatusCode::FORBIDDEN, message).into_response()
        } else {
            let text = if lang.is_en() {
                message
            } else {
                format!("您的角色（{}）无权{}。", viewer.user.role.zh(), action.describe_zh())
            };
            crate::error::PageError::new(StatusCode::FORBIDDEN, lang, text).into_response()
        };
    }
    let req = match (reach, viewer.user.own_department()) {
        (Some(reach), Some(own)) if confined_to_department(viewer.user.role) => {
            match in_reach(reach, own, req).await {
                Ok(req) => req,
                Err(e) if api => return ApiError::from(e).into_response(),
                Err(e) => return crate::workflow::page_error(lang, e).into_response(),
            }
        }
        _ => req,
    };
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let (req, once) = match (viewer.csrf_token(), changes_state) {
        (Some(expected), true) => match csrf_checked(req, expected).await {
            Ok(checked) => checked,
            Err(()) => {
                let message = lang.t(
                    "表单已过期或来源不明（CSRF），请刷新页面后重试。",
                    "The form is stale or not ours (CSRF); reload and try again.",
                );
                return if api {
                    ApiError::field(StatusCode::FORBIDDEN, CSRF_FIELD, message).into_response()
                } else {
                    crate::error::PageError::new(StatusCode::FORBIDDEN, lang, message).into_response()
                };
            }
        },
        _ => (req, None),
    };
    match (once, req.extensions().get::<Store>().cloned()) {
        (Some(token), Some(store)) if !api => once_only(&store, &token, &viewer, lang, req, next).await,
        _ => next.run(req).await,
    }
}

/// Lets the request through when the record its path's `{id}` names (`reach`) is the
/// department `own`'s — a 业务科室 acts on its own department's plans and tasks only.
async fn in_reach(
    reach: Reach,
    own: &str,
    req: Request,
) -> Result<Request, suiji_store::workflow::WorkflowError> {
    use axum::extract::{FromRequestParts, RawPathParams};
    use suiji_store::workflow as wf;
    let (mut parts, body) = req.into_parts();
    let id = RawPathParams::from_request_parts(&mut parts, &())
        .await
        .ok()
        .and_then(|p| p.iter().find(|(k, _)| *k == "id").and_then(|(_, v)| v.parse::<i64>().ok()));
    let req = Request::from_parts(parts, body);
    let (Some(id), Some(store)) = (id, req.extensions().get::<Store>().cloned()) else {
        // No such record (the handler answers 404) or no store to ask: nothing to reach.
        return Ok(req);
    };
    match reach {
        Reach::Plan => wf::plan_in_reach(&store, id, Some(own)).await?,
        Reach::Task => wf::task_in_reach(&store, id, Some(own)).await?,
        Reach::Draw => wf::draw_in_reach(&store, id, Some(own)).await?,
        Reach::Inspection => wf::inspection_in_reach(&store, id, Some(own)).await?,
        Reach::Lead => wf::lead_in_reach(&store, id, Some(own)).await?,
    }
    Ok(req)
}

/// Runs a form's submit only if its one-time token (the `once` field) has not been used: a
/// second submit of the same form is sent where the first one's answer went.
async fn once_only(
    store: &Store,
    token: &str,
    viewer: &Viewer,
    lang: Lang,
    req: Request,
    next: Next,
) -> Response {
    let failed = |e: suiji_store::DbErr| {
        tracing::error!("a form token: {e}");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    };
    match forms::claim(store, token, &viewer.user.username).await {
        Ok(forms::Claim::First) => {}
        Ok(forms::Claim::Done(Some(location))) => return Redirect::to(&location).into_response(),
        Ok(forms::Claim::Done(None) | forms::Claim::Running) => {
            let message = lang.t(
                "该表单已经提交过，未重复办理。请返回查看结果，或刷新页面后重新填写。",
                "This form was already sent and was not done twice: go back to see the result, or reload the page to fill it in again.",
            );
            return crate::error::PageError::new(StatusCode::CONFLICT, lang, message).into_response();
        }
        Err(e) => return failed(e),
    }
    let response = next.run(req).await;
    let status = response.status();
    let recorded = if status.is_redirection() {
        let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok());
        forms::finish(store, token, location).await
    } else if status.is_success() {
        forms::finish(store, token, None).await
    } else {
        // Refused (the form is re-shown with its errors) and nothing changed: the same form,
        // corrected, may go again.
        forms::give_back(store, token).await
    };
    if let Err(e) = recorded {
        tracing::error!("recording a form token: {e}");
    }
    response
}

/// Passes the request on if it carries `expected` in the `X-CSRF-Token` header, the `csrf`
/// query parameter, or the `csrf` field of a URL-encoded form (the body is read and put back);
/// with the form's one-time token (`once`, in the query or the form) if it has a well-formed one.
async fn csrf_checked(req: Request, expected: &str) -> Result<(Request, Option<String>), ()> {
    let matches = |given: &str| constant_time_eq(given.as_bytes(), expected.as_bytes());
    let mut pairs: Vec<(String, String)> =
        req.uri().query().map(|q| serde_urlencoded::from_str(q).unwrap_or_default()).unwrap_or_default();
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let req = if is_form {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.map_err(|_| ())?;
        pairs.extend(serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).map_err(|_| ())?);
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    let in_header = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).is_some_and(matches);
    if !in_header && !pairs.iter().any(|(k, v)| k == CSRF_FIELD && matches(v)) {
        return Err(());
    }
    let once = pairs.into_iter().find(|(k, v)| k == ONCE_FIELD && forms::well_formed(v)).map(|(_, v)| v);
    Ok((req, once))
}

/// Whether a token given matches the one expected, in time that does not depend on where they
/// differ.
pub fn same_token(expected: &str, given: &str) -> bool {
    constant_time_eq(expected.as_bytes(), given.as_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|e| e[1..].to_owned()).unwrap_or_default()
}
