//! What every request's text must be, before any handler sees it: the query string's values
//! and the fields of a URL-encoded form or a JSON body each within the longest text the domain
//! allows ([`Shape::Text`]) and free of control characters other than tab and line breaks. A
//! handler's own checks then apply each field's own limit (a title is shorter than findings);
//! this guard makes sure that nothing — a search for U+0000, a 60 MB plan title — reaches the
//! store on a path whose check was forgotten. Uploads (files) are the importers' business.

use crate::error::{ApiError, PageError};
use crate::lang::Lang;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use suiji_domain::text::Shape;

/// Refuses a request whose query or form/JSON body holds text no field may hold.
pub async fn text_guard(req: Request, next: Next) -> Response {
    let lang = Lang::of(req.uri(), req.headers());
    let api = req.uri().path().starts_with("/api/");
    if let Some(query) = req.uri().query() {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        if let Some(refusal) = first_problem(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            return refuse(api, lang, refusal);
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    let json = content_type.starts_with("application/json");
    // An upload's body is a file whatever type the client gives it (`curl --data-binary`
    // calls every body a form): the importers read it, within the upload's own limit.
    let upload = req.uri().path().ends_with("/import") || req.uri().path().ends_with("/evidence");
    if upload || (!form && !json) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // Forms and JSON documents are read within the limit of every body but an upload's; a
    // larger one is answered 413 here, as the handler would have.
    let bytes = match axum::body::to_bytes(body, crate::routes::BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            let message = lang.t("提交的内容过大。", "The request body is too large.");
            return if api {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
            } else {
                PageError::new(StatusCode::PAYLOAD_TOO_LARGE, lang, message).into_response()
            };
        }
    };
    let problem = if form {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        first_problem(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    } else {
        serde_json::from_slice::<serde_json::Value>(&bytes).ok().and_then(|v| json_problem("", &v))
    };
    if let Some(refusal) = problem {
        return refuse(api, lang, refusal);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// A field and why its text is refused.
struct Refusal {
    field: String,
    zh: String,
    en: String,
}

fn first_problem<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Option<Refusal> {
    pairs.into_iter().find_map(|(k, v)| {
        Shape::Text.problem(k).or_else(|| Shape::Text.problem(v)).map(|(zh, en)| Refusal {
            field: suiji_domain::text::shorten(k, 64),
            zh,
            en,
        })
    })
}

/// The first string (or key) in a JSON document that no field may hold, named by its path.
fn json_problem(path: &str, value: &serde_json::Value) -> Option<Refusal> {
    use serde_json::Value;
    match value {
        Value::String(s) => Shape::Text.problem(s).map(|(zh, en)| Refusal { field: path.to_owned(), zh, en }),
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| json_problem(&format!("{path}[{i}]"), v))
        }
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
            match Shape::Text.problem(k) {
                Some((zh, en)) => Some(Refusal { field: suiji_domain::text::shorten(&here, 64), zh, en }),
                None => json_problem(&here, v),
            }
        }),
        _ => None,
    }
}

fn refuse(api: bool, lang: Lang, r: Refusal) -> Response {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    if api {
        ApiError::field(status, &r.field, format!("{}: {} ({})", r.field, r.zh, r.en)).into_response()
    } else {
        let message = format!("{}：{}", r.field, lang.t(&r.zh, &r.en));
        PageError::new(status, lang, message).into_response()
    }
}
