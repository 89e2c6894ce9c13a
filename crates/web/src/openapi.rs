//! The OpenAPI 3.1 document of `/api/v1`, made from the route table. Each API route names the
//! Rust types of its query, body and reply ([`Contract`]); their JSON Schemas are derived from
//! those types (schemars), so the document says what the server really takes and answers, and
//! the API tests hold every real response against it.

use crate::auth;
use crate::error::ErrorBody;
use crate::routes::{ROUTES, RouteInfo};
use axum::http::Method;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Gives a type's schema (or a reference to it) from a generator.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// `T`'s schema, as a reference into `components/schemas` where it has a name.
pub fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// `T`'s own schema, never a reference: a query's parameters are read off its properties.
pub fn inline<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    T::json_schema(generator)
}

/// What a request's body is.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// A JSON document of this type.
    Json(SchemaFn),
    /// A JSON document of this type, or nothing.
    OptionalJson(SchemaFn),
    /// A file, as the body's bytes (`application/octet-stream`).
    File,
}

/// What an API route takes and answers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Contract {
    /// The query string: an object type whose properties are the parameters.
    pub query: Option<SchemaFn>,
    pub body: Option<Body>,
    /// The 200 answer's JSON.
    pub reply: Option<SchemaFn>,
}

const COMPONENTS: &str = "#/components/schemas/";

/// The schemas of one side of the exchange: requests are described as they are read
/// (deserialized: defaults optional, unknown fields refused), replies as they are written.
fn generator(read: bool) -> SchemaGenerator {
    let settings = SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = COMPONENTS.trim_end_matches('/').into();
        s.meta_schema = None;
    });
    if read { settings.for_deserialize() } else { settings.for_serialize() }.into_generator()
}

/// One operation, its schemas still to be joined up.
struct Operation<'a> {
    route: &'a RouteInfo,
    parameters: Vec<Value>,
    body: Option<Value>,
    reply: Option<Value>,
}

/// The OpenAPI document of `/api/v1`.
pub fn document() -> Value {
    let mut replies = generator(false);
    let mut requests = generator(true);
    let error = schema::<ErrorBody>(&mut replies).to_value();
    let mut operations: Vec<Operation> = ROUTES
        .iter()
        .filter(|r| r.api)
        .map(|route| {
            let c = &route.contract;
            let mut parameters = path_parameters(&route.path);
            if let Some(query) = c.query {
                parameters.extend(query_parameters(query(&mut requests).to_value()));
            }
            let body = c.body.map(|b| match b {
                Body::Json(f) | Body::OptionalJson(f) => json!({
                    "required": matches!(b, Body::Json(_)),
                    "content": { "application/json": { "schema": f(&mut requests).to_value() } }
                }),
                Body::File => json!({
                    "required": true,
                    "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } }
                }),
            });
            let reply = c.reply.map(|f| f(&mut replies).to_value());
            Operation { route, parameters, body, reply }
        })
        .collect();

    let mut schemas = replies.take_definitions(true);
    let mut read = requests.take_definitions(true);
    let renamed = read_only_names(&schemas, &read);
    for op in &mut operations {
        for p in &mut op.parameters {
            rename_refs(p, &renamed);
        }
        if let Some(b) = &mut op.body {
            rename_refs(b, &renamed);
        }
    }
    for (name, mut s) in std::mem::take(&mut read) {
        rename_refs(&mut s, &renamed);
        if renamed.contains(&name) {
            schemas.insert(format!("{name}Input"), s);
        } else {
            schemas.entry(name).or_insert(s);
        }
    }

    let mut paths = Map::new();
    for op in operations {
        let r = op.route;
        let mut responses = Map::new();
        if let Some(reply) = op.reply {
            responses.insert(
                "200".into(),
                json!({ "description": "OK", "content": { "application/json": { "schema": reply } } }),
            );
        }
        let mut errors = vec!["400"];
        if r.path.contains('{') {
            errors.push("404");
        }
        if r.action.is_some() {
            errors.extend(["401", "403"]);
        }
        if r.method == Method::POST {
            errors.extend(["409", "413", "422"]);
        }
        for status in errors {
            responses.insert(status.into(), json!({ "$ref": "#/components/responses/Error" }));
        }
        // Any other status (405, 429, 500…) is an error too, and has the same body.
        responses.insert("default".into(), json!({ "$ref": "#/components/responses/Error" }));
        let mut operation = json!({
            "operationId": operation_id(r),
            "summary": r.summary,
            "parameters": op.parameters,
            "responses": responses,
        });
        if let Some(body) = op.body {
            operation["requestBody"] = body;
        }
        if let Some(action) = r.action {
            operation["security"] = json!([{ "bearer": [] }, { "session": [] }]);
            operation["description"] = json!(format!("Needs a role that may {}.", action.describe()));
        } else {
            operation["security"] = json!([]);
        }
        let path = r.path.trim_start_matches("/api/v1");
        let entry = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
        entry[r.method.as_str().to_ascii_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "suiji API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "随机 suiji: 双随机、一公开 random inspections. Every answer other than a 2xx is an ErrorBody."
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{ "url": "/api/v1" }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "a token from `suiji token issue`" },
                "session": { "type": "apiKey", "in": "cookie", "name": auth::SESSION_COOKIE }
            },
            "responses": {
                "Error": {
                    "description": "What went wrong",
                    "content": { "application/json": { "schema": error } }
                }
            }
        }
    })
}

/// A stable name for each operation: the method and the path's words (`get_tasks_id`).
fn operation_id(r: &RouteInfo) -> String {
    let words: Vec<&str> = r
        .path
        .trim_start_matches("/api/v1/")
        .split('/')
        .map(|w| w.trim_start_matches('{').trim_end_matches('}'))
        .collect();
    format!("{}_{}", r.method.as_str().to_ascii_lowercase(), words.join("_").replace(['.', '-'], "_"))
}

/// The `{name}` segments of a path: `{id}` is a row's number, the others are codes and keys.
fn path_parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            let schema = if name == "id" {
                json!({ "type": "integer", "format": "int64" })
            } else {
                json!({ "type": "string", "minLength": 1, "maxLength": suiji_domain::text::MAX_CODE })
            };
            json!({ "name": name, "in": "path", "required": true, "schema": schema })
        })
        .collect()
}

/// A query type's properties as query parameters. A parameter is absent rather than null, so
/// `null` is taken out of each one's types.
fn query_parameters(object: Value) -> Vec<Value> {
    let required: BTreeSet<String> = object["required"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let Some(properties) = object.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, schema)| {
            let mut schema = schema.clone();
            let description = schema.as_object_mut().and_then(|s| s.remove("description"));
            if let Some(types) = schema.get_mut("type").and_then(Value::as_array_mut) {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    schema["type"] = types[0].clone();
                }
            }
            let mut p =
                json!({ "name": name, "in": "query", "required": required.contains(name), "schema": schema });
            if let Some(d) = description {
                p["description"] = d;
            }
            p
        })
        .collect()
}

/// The named schemas whose read form differs from their written form (or refers to one that
/// does): those get a second entry, `{name}Input`, for the requests.
fn read_only_names(written: &Map<String, Value>, read: &Map<String, Value>) -> BTreeSet<String> {
    let mut renamed: BTreeSet<String> = read
        .iter()
        .filter(|(n, s)| written.get(*n).is_some_and(|w| w != *s))
        .map(|(n, _)| n.clone())
        .collect();
    loop {
        let more: Vec<String> = read
            .iter()
            .filter(|(n, s)| {
                written.contains_key(*n) && !renamed.contains(*n) && renamed.iter().any(|r| refers_to(s, r))
            })
            .map(|(n, _)| n.clone())
            .collect();
        if more.is_empty() {
            return renamed;
        }
        renamed.extend(more);
    }
}

fn refers_to(schema: &Value, name: &str) -> bool {
    match schema {
        Value::Object(m) => m.iter().any(|(k, v)| {
            (k == "$ref" && v.as_str() == Some(&format!("{COMPONENTS}{name}"))) || refers_to(v, name)
        }),
        Value::Array(a) => a.iter().any(|v| refers_to(v, name)),
        _ => false,
    }
}

fn rename_refs(schema: &mut Value, renamed: &BTreeSet<String>) {
    match schema {
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if k == "$ref" {
                    if let Some(name) = v.as_str().and_then(|r| r.strip_prefix(COMPONENTS)) {
                        if renamed.contains(name) {
                            *v = format!("{COMPONENTS}{name}Input").into();
                        }
                    }
                } else {
                    rename_refs(v, renamed);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| rename_refs(v, renamed)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_route_names_its_reply_and_a_post_its_body() {
        for r in ROUTES.iter().filter(|r| r.api) {
            assert!(r.contract.reply.is_some(), "{} {} names no reply type", r.method, r.path);
            let bodiless = ["/retire", "/publish", "/delete", "/approve", "/confirm"];
            if r.method == Method::POST && !bodiless.iter().any(|b| r.path.ends_with(b)) {
                assert!(r.contract.body.is_some(), "{} {} names no body", r.method, r.path);
            }
        }
    }

    #[test]
    fn the_document_has_no_dangling_reference_and_no_bare_object() {
        let doc = document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for (i, _) in text.match_indices(COMPONENTS) {
            let rest = &text[i + COMPONENTS.len()..];
            let name = &rest[..rest.find('"').unwrap()];
            assert!(schemas.contains_key(name), "a reference to {name}, which is not there");
        }
        // The old document described every body as a bare {"type":"object"}.
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let ok = &op["responses"]["200"]["content"]["application/json"]["schema"];
                assert_ne!(ok, &json!({ "type": "object" }), "{method} {path}");
            }
        }
        assert!(schemas.contains_key("InspectionForm") && schemas.contains_key("TaskDefinition"));
    }
}
