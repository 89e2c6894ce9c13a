//! Every API answer a test sees is held against the OpenAPI document: the route the request
//! reached, the status (or the document's `default`), and the body against that answer's JSON
//! Schema. A handler that answers something its route table entry does not say fails the test
//! that made the request, whatever that test was about.

use axum::http::{Method, StatusCode};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use suiji_web::ROUTES;

static DOCUMENT: LazyLock<Value> = LazyLock::new(suiji_web::openapi_document);

type Validators = Mutex<HashMap<(String, String, String), Arc<jsonschema::Validator>>>;
static VALIDATORS: LazyLock<Validators> = LazyLock::new(Default::default);

/// The route template (`/api/v1/tasks/{id}`) a request's path reached: literal segments win
/// over `{…}` ones, as in the router.
fn template(method: &Method, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    ROUTES
        .iter()
        .filter(|r| r.api && r.method == *method)
        .filter(|r| {
            let t: Vec<&str> = r.path.split('/').collect();
            t.len() == segments.len() && t.iter().zip(&segments).all(|(t, s)| t.starts_with('{') || t == s)
        })
        .min_by_key(|r| r.path.matches('{').count())
        .map(|r| r.path.clone())
}

/// The schema of the answer with `status` to `method` on `template`, as a root schema that
/// carries the document's components (its `$ref`s point there).
fn answer_schema(method: &Method, template: &str, status: StatusCode) -> Result<Value, String> {
    let path = template.trim_start_matches("/api/v1");
    let op = &DOCUMENT["paths"][path][method.as_str().to_ascii_lowercase()];
    let responses = &op["responses"];
    let mut response = responses
        .get(status.as_str())
        .or_else(|| responses.get("default"))
        .ok_or_else(|| format!("{method} {template} answered {status}, which its document does not list"))?;
    if let Some(r) = response.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/responses/");
        response = &DOCUMENT["components"]["responses"][name];
    }
    let mut schema = response["content"]["application/json"]["schema"].clone();
    if schema.is_null() {
        return Err(format!("{method} {template} {status}: the document gives no JSON schema"));
    }
    schema["components"] = DOCUMENT["components"].clone();
    Ok(schema)
}

/// Checks an answer to an API request; panics saying what does not fit.
pub fn check(method: &Method, uri: &str, status: StatusCode, body: &str) {
    let path = uri.split('?').next().unwrap_or(uri);
    if !path.starts_with("/api/v1/") {
        return;
    }
    let Some(template) = template(method, path) else {
        // No such route: the router's fallback, which must still be the JSON error.
        assert!(!status.is_success(), "{method} {path} answered {status} without a route");
        let error: Value =
            serde_json::from_str(body).unwrap_or_else(|e| panic!("{method} {path}: {e}: {body}"));
        assert!(error["error"].is_string(), "{method} {path}: {body}");
        return;
    };
    let key = (method.to_string(), template.clone(), status.as_str().to_owned());
    let validator = {
        let mut cache = VALIDATORS.lock().unwrap();
        match cache.get(&key) {
            Some(v) => v.clone(),
            None => {
                let schema = answer_schema(method, &template, status).unwrap_or_else(|e| panic!("{e}"));
                let v = Arc::new(
                    jsonschema::options()
                        .should_validate_formats(true)
                        .build(&schema)
                        .unwrap_or_else(|e| panic!("{method} {template} {status}: a bad schema: {e}")),
                );
                cache.insert(key, v.clone());
                v
            }
        }
    };
    let value: Value = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("{method} {path} answered {status} with no JSON ({e}): {body:.300}"));
    let errors: Vec<String> =
        validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).take(5).collect();
    assert!(
        errors.is_empty(),
        "{method} {path} ({template}) answered {status} outside its schema: {errors:#?}\n{body:.2000}"
    );
}
