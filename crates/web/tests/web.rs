//! The web service through its router, on SQLite and (with SUIJI_TEST_PG) PostgreSQL: who may
//! reach what, CSRF, escaping, what the public sees, the API's errors and its OpenAPI document.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Fixture, SCRIPT_NAME, SECRET_EXPERTISE, SECRET_REASON, uscc};
use suiji_domain::access::{Role, allowed, confined_to_department};
use suiji_store::testing::databases;
use suiji_web::ROUTES;

/// A concrete path for a route: `{key}` filled with a key that exists.
fn concrete(path: &str) -> String {
    if path.contains("/targets/") {
        return path.replace("{key}", &uscc(2));
    }
    let recusal = format!("豫人社监0001%7C{}", uscc(1));
    path.replace("/recusals/{key}", &format!("/recusals/{recusal}"))
        .replace("/items/{key}", "/items/RS-001")
        .replace("/tasks/{code}", "/tasks/T-2026-001")
        .replace("{key}", "豫人社监0001")
        .replace("{code}", "RS-001")
        .replace("{id}", "1")
        .replace("{evidence}", "1")
        .replace("{file}", "1")
        .replace("{username}", "inspector")
        .replace("{entry}", "1")
        .replace("{year}", "2026")
}

/// The paths a route is tried on, each with the department owning the record it names where
/// department scope applies (`RouteInfo::reach`): a route acting on a plan, a task or a draw is
/// tried on the fixture's (劳动保障监察大队's) and on 社会保险科's own.
fn tried(
    route: &suiji_web::RouteInfo,
    own: &common::DepartmentRecords,
) -> Vec<(String, Option<&'static str>)> {
    use suiji_domain::access::Reach;
    let Some(reach) = route.reach else {
        return vec![(concrete(&route.path), None)];
    };
    let theirs = (concrete(&route.path), Some(common::department_of(Role::Organizer)));
    let id = match reach {
        Reach::Plan => own.plan,
        Reach::Task => own.task,
        Reach::Draw => own.draw,
        Reach::Inspection => own.inspection,
        Reach::Lead => own.lead,
    };
    let path = route.path.replace("{id}", &id.to_string()).replace("{file}", &own.lead_file.to_string());
    let ours = (concrete(&path), Some(common::department_of(Role::Unit)));
    vec![theirs, ours]
}

#[tokio::test]
async fn every_role_against_every_guarded_route() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let own = common::department_records(&f.store).await;
        let mut checked = 0;
        let mut refused_by_scope = 0;
        for route in ROUTES.iter().filter(|r| r.action.is_some()) {
            let action = route.action.unwrap();
            // Signing out and changing a password are tried last, on their own below.
            if route.method != Method::GET {
                continue;
            }
            for (path, owner) in tried(route, &own) {
                let (status, _, _) = f.get(&path, None).await;
                let anonymous = if route.api { StatusCode::UNAUTHORIZED } else { StatusCode::SEE_OTHER };
                assert_eq!(status, anonymous, "{}: anonymous {} {path}", db.backend, route.method);
                for role in Role::ALL {
                    let (cookie, _) = f.session(role);
                    let (status, _, body) = f.get(&path, Some(cookie)).await;
                    let in_scope = !confined_to_department(role)
                        || owner.is_none_or(|d| d == common::department_of(role));
                    if allowed(role, action) && in_scope {
                        // A server without Chromium answers a document's PDF with 503 (printing is
                        // tested with it in tests/layout.rs); the fixture's result orders no
                        // rectification, so it has no rectification order.
                        let expected = if path.contains("/rectification-order")
                            || path.contains("/rectifications/")
                            || path.contains("/penalties/")
                            || path.contains("/credit/evaluations/")
                            || path.contains("/lists/")
                            || path.contains("/follow-up-opinion")
                        {
                            StatusCode::NOT_FOUND
                        } else if path.contains("/jobs/")
                            && !matches!(role, Role::Organizer | Role::Admin | Role::Supervisor)
                        {
                            // The fixture's job is the organizer's: others see no such job.
                            StatusCode::NOT_FOUND
                        } else if path.ends_with(".pdf") {
                            StatusCode::SERVICE_UNAVAILABLE
                        } else {
                            StatusCode::OK
                        };
                        assert_eq!(status, expected, "{}: {role} {path}: {body}", db.backend);
                    } else {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{}: {role} {path}", db.backend);
                        refused_by_scope += usize::from(allowed(role, action));
                    }
                    checked += 1;
                }
            }
        }
        // State-changing routes, with a good CSRF token and an empty body: a role that may not
        // is refused before anything is read; one that may gets past the guard (its empty
        // request is then refused by the handler, or done). Signing out and changing one's
        // password are open to every role and tested on their own.
        for route in ROUTES.iter().filter(|r| r.method == Method::POST && r.action.is_some()) {
            let action = route.action.unwrap();
            if action == suiji_domain::access::Action::OwnAccount {
                continue;
            }
            for (path, owner) in tried(route, &own) {
                for role in Role::ALL {
                    let (cookie, csrf) = f.session(role);
                    let request = Request::post(&path)
                        .header(header::COOKIE, cookie)
                        .header("x-csrf-token", csrf)
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::empty())
                        .unwrap();
                    let (status, _, body) = f.send(request).await;
                    // Department scope: a role confined to its department reaches only its own
                    // department's plans, tasks and draws.
                    let in_scope = !confined_to_department(role)
                        || owner.is_none_or(|d| d == common::department_of(role));
                    if allowed(role, action) && in_scope {
                        assert_ne!(
                            status,
                            StatusCode::FORBIDDEN,
                            "{}: {role} POST {path}: {body}",
                            db.backend
                        );
                    } else {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{}: {role} POST {path}", db.backend);
                        refused_by_scope += usize::from(allowed(role, action));
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 5 * 40, "the matrix covers the routes ({checked})");
        // The 业务科室 was refused another department's plan and task on every route acting on
        // one (the pages and the API), and let through on its own.
        assert!(refused_by_scope >= 20, "department scope was tried ({refused_by_scope})");
    }
}

#[tokio::test]
async fn state_changes_need_the_sessions_csrf_token() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, csrf) = f.session(Role::Inspector);
        let form = "current=inspector-password-1&new=another-password-2";
        let (status, _, _) = f.post_form("/account/password", Some(cookie), form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}: no token", db.backend);
        let (status, _, _) =
            f.post_form("/account/password", Some(cookie), &format!("{form}&csrf=wrong")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}: a wrong token", db.backend);
        let (status, _, body) =
            f.post_form("/account/password", Some(cookie), &format!("{form}&csrf={csrf}")).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.backend);
        assert!(body.contains("密码已修改"));
        // The password change signed the session out.
        let (status, _, _) = f.get("/account/password", Some(cookie)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);

        let (cookie, csrf) = f.session(Role::Supervisor);
        let (status, _, _) = f.post_form("/logout", Some(cookie), "").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, headers, _) = f.post_form("/logout", Some(cookie), &format!("csrf={csrf}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().starts_with("suiji_session=;"));
        let (status, _, _) = f.get("/staff/targets", Some(cookie)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}: signed out", db.backend);
    }
}

fn session_cookie(headers: &axum::http::HeaderMap) -> String {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("suiji_session="))
        .expect("a session cookie")
}

#[tokio::test]
async fn signing_in_through_the_form() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        // Without the form's own cookie and token (a form posted from another site): refused.
        let (status, _, _) = f.post_form("/login", None, "username=unit&password=unit-password-1").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", db.backend);
        let (cookie, csrf) = f.login_form().await;
        let (status, _, _) =
            f.post_form("/login", Some(&cookie), "username=unit&password=unit-password-1&csrf=forged").await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (status, _, body) = f
            .post_form(
                "/login",
                Some(&cookie),
                &format!("username=unit&password=wrong-password&next=/staff/targets&csrf={csrf}"),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body.contains("用户名或密码错误"));
        let (cookie, csrf) = f.login_form().await;
        let (status, headers, _) = f
            .post_form(
                "/login",
                Some(&cookie),
                &format!("username=unit&password=unit-password-1&next=//evil.example/&csrf={csrf}"),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", db.backend);
        assert_eq!(headers.get(header::LOCATION).unwrap(), "/", "never sent to another site");
        let set = session_cookie(&headers);
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
        assert!(!set.contains("Secure"), "plain HTTP: no Secure flag");
        let session = set.split(';').next().unwrap();
        let (status, _, body) = f.get("/staff/targets", Some(session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("偃师乙公司"));

        let (cookie, csrf) = f.login_form().await;
        let request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .header("x-forwarded-proto", "https")
            .body(Body::from(format!("username=unit&password=unit-password-1&csrf={csrf}")))
            .unwrap();
        let (_, headers, _) = f.send(request).await;
        assert!(session_cookie(&headers).contains("Secure"));
    }
}

#[tokio::test]
async fn names_are_shown_as_text() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, _) = f.session(Role::Organizer);
        for path in ["/staff/targets", &format!("/staff/targets/{}", uscc(1))] {
            let (status, _, body) = f.get(path, Some(cookie)).await;
            assert_eq!(status, StatusCode::OK);
            assert!(!body.contains(SCRIPT_NAME), "{}: {path} carries the raw name", db.backend);
            assert!(body.contains("&#60;script&#62;alert(1)&#60;/script&#62;测试公司"), "{path}");
        }
        let (_, headers, _) = f.get("/", None).await;
        let csp = headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
        assert!(csp.starts_with("default-src 'self'"));
    }
}

#[tokio::test]
async fn public_pages_and_open_data_show_nothing_private() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        for route in ROUTES.iter().filter(|r| r.action.is_none() && r.method == Method::GET) {
            let path = if route.path == "/lang" { "/lang?to=en".to_owned() } else { concrete(&route.path) };
            let (status, _, body) = f.get(&path, None).await;
            // The fixture changes no team member, merges no visits and draws no control sample
            // (tests/workflow_api.rs reads each).
            let none = (route.path.starts_with("/public/member-changes/")
                || route.path.starts_with("/public/merges/")
                || route.path.starts_with("/public/draws/{id}/control"))
                && status == StatusCode::NOT_FOUND;
            assert!(
                none || status == StatusCode::OK
                    || (route.path == "/lang" && status == StatusCode::SEE_OTHER),
                "{}: {path}: {status}",
                db.backend
            );
            for secret in [
                SECRET_REASON,
                SECRET_EXPERTISE,
                "离岗者",
                common::EXPIRED_NAME,
                common::SECRET_LEAD,
                "12345-0001",
            ] {
                assert!(!body.contains(secret), "{}: {path} shows {secret}", db.backend);
            }
        }
        let (_, _, targets) = f.get(&format!("/public/targets?q={}", uscc(2).to_lowercase()), None).await;
        assert!(
            targets.contains("偃师乙公司") && !targets.contains("测试公司"),
            "{}: a USCC finds its target",
            db.backend
        );
        let (_, _, api) = f.get("/api/v1/public/targets?q=%E4%B9%99", None).await;
        let found: serde_json::Value = serde_json::from_str(&api).unwrap();
        assert_eq!(found["records"].as_array().unwrap().len(), 1, "{api}");
        assert!(found["records"][0].get("credit_grade").is_none(), "credit grades are not public");
        let (_, headers, feed) = f.get("/public/feed.atom", None).await;
        assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "application/atom+xml; charset=utf-8");
        assert!(feed.contains("<entry>") && feed.contains("新增 1"), "{feed}");
        assert!(
            feed.contains("公布抽查任务 T-2026-001") && feed.contains("抽查任务 T-2026-001 抽取结果"),
            "{feed}"
        );
        // The log's checkpoints: signed by the server's key, shown with it, in the feed, and
        // an entry's inclusion proof leads to the newest one's root.
        assert!(feed.contains("urn:suiji:checkpoint:"), "{feed}");
        let (status, _, latest) = f.get("/public/audit/checkpoint", None).await;
        assert_eq!(status, StatusCode::OK);
        let cp: suiji_domain::checkpoint::Checkpoint = serde_json::from_str(&latest).unwrap();
        let key = suiji_domain::checkpoint::public_key(&common::signing_key());
        assert_eq!(cp.verify(Some(&key)), Ok(()));
        let (_, _, all) = f.get("/public/audit/checkpoints", None).await;
        let all: Vec<suiji_domain::checkpoint::Checkpoint> = serde_json::from_str(&all).unwrap();
        assert_eq!(all.last(), Some(&cp));
        let (_, _, page) = f.get("/public/audit", None).await;
        assert!(page.contains(&key) && page.contains(&cp.root), "the page shows the key and the checkpoint");
        // A proof leads from the entry's leaf to the checkpoint's root.
        let proves = |cp: suiji_domain::checkpoint::Checkpoint, body: String| {
            let proof: serde_json::Value = serde_json::from_str(&body).unwrap();
            let path: Vec<suiji_domain::merkle::Hash> = proof["proof"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| suiji_domain::merkle::from_hex(h.as_str().unwrap()).unwrap())
                .collect();
            let hash = suiji_domain::merkle::from_hex(proof["entry"]["hash"].as_str().unwrap()).unwrap();
            let index = proof["leaf_index"].as_u64().unwrap();
            let leaf = suiji_domain::merkle::leaf_hash(&hash);
            suiji_domain::merkle::verify_inclusion(index, cp.size, &leaf, &path, &cp.root_hash().unwrap())
        };
        let (status, _, proof) = f.get("/public/audit/proof/2", None).await;
        assert_eq!(status, StatusCode::OK, "{proof}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&proof).unwrap()["leaf_index"], 1);
        assert!(proves(cp.clone(), proof));
        let (status, _, body) = f.get("/public/audit/proof/999999", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("\"error\""), "{body}");
        for bad in ["abc", "0", "-3", "1.5", "99999999999999999999"] {
            let (status, _, body) = f.get(&format!("/public/audit/proof/{bad}"), None).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["field"], "entry", "{bad}");
        }
        // Every entry's proof, from the kept tree, and again after a newer checkpoint.
        for seq in 1..=cp.size {
            let (_, _, body) = f.get(&format!("/public/audit/proof/{seq}"), None).await;
            assert!(proves(cp.clone(), body), "entry {seq} of {}", cp.size);
        }
        f.token("admin").await;
        let newer = suiji_store::audit::checkpoints::sign(&f.store, &common::signing_key()).await.unwrap();
        assert!(newer.size > cp.size);
        for seq in [1, newer.size] {
            let (_, _, body) = f.get(&format!("/public/audit/proof/{seq}"), None).await;
            assert!(proves(newer.clone(), body), "entry {seq} of {}", newer.size);
        }
        let (_, _, task) = f.get("/public/tasks/T-2026-001", None).await;
        assert!(
            task.contains("由权重可以推知各户的等级或分类"),
            "weights by grade are said to tell the grade"
        );
        let (_, _, inspectors) = f.get("/public/inspectors", None).await;
        assert!(inspectors.contains("王一") && inspectors.contains("豫人社监0001"));
        let (_, headers, csv) = f.get("/public/inspectors.csv", None).await;
        assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
        assert!(csv.contains("姓名,单位,执法证号\r\n王一,劳动保障监察大队,豫人社监0001"), "{csv}");
        assert!(headers.get(header::CONTENT_DISPOSITION).is_some());
        // The portal counts those who may inspect: in post, certificate in force or not dated
        // (王一, 张检, 李检), not the departed nor the lapsed.
        let (_, _, home) = f.get("/", None).await;
        assert_eq!(
            suiji_store::directory::count_certified(&f.store, suiji_store::workflow::china_today())
                .await
                .unwrap(),
            3
        );
        assert!(!home.contains(common::EXPIRED_NAME));
        // The staff see the private columns, and the lapsed certificate said beside 在岗.
        let (cookie, _) = f.session(Role::Organizer);
        let (_, _, staff) = f.get("/staff/recusals", Some(cookie)).await;
        assert!(staff.contains(SECRET_REASON));
        let (_, _, staff) = f.get("/staff/inspectors", Some(cookie)).await;
        assert!(staff.contains(common::EXPIRED_NAME) && staff.contains("在岗（证件已过期）"), "{staff}");
    }
}

#[tokio::test]
async fn api_errors_are_json_and_tokens_open_the_api() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (status, _, body) = f.get("/api/v1/public/items?limit=abc", None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["field"], "limit");
        let (status, _, body) = f.get("/api/v1/public/items?limit=0", None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["field"], "limit");
        let (status, _, body) = f.get("/api/v1/nothing-here", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"].is_string());

        let actor = suiji_store::audit::Actor::system("tester");
        let (id, token) = suiji_store::accounts::issue_token(&f.store, "unit", "sync", &actor).await.unwrap();
        let bearer = |path: &str| {
            Request::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap()
        };
        let (status, _, body) = f.send(bearer("/api/v1/targets?limit=1")).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.backend);
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(page["records"].as_array().unwrap().len(), 1);
        let next = page["next"].as_i64().unwrap();
        let (_, _, body) = f.send(bearer(&format!("/api/v1/targets?limit=1&after={next}"))).await;
        let second: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(second["records"][0]["name"], "偃师乙公司");
        assert!(second["next"].is_null());
        let (status, _, _) = f.send(bearer("/api/v1/recusals")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a unit does not see recusals");
        let (status, _, body) = f.send(bearer(&format!("/api/v1/targets/{}", uscc(404)))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        suiji_store::accounts::revoke_token(&f.store, id, &actor).await.unwrap();
        let (status, _, _) = f.send(bearer("/api/v1/targets")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let doc = suiji_web::openapi_document();
    assert_eq!(doc["openapi"], "3.1.0");
    let api: Vec<_> = ROUTES.iter().filter(|r| r.api).collect();
    assert!(api.len() >= 14);
    for r in api {
        let path = r.path.trim_start_matches("/api/v1");
        let op = &doc["paths"][path][r.method.as_str().to_ascii_lowercase()];
        assert!(op.is_object(), "{} {path} is missing from the document", r.method);
        assert_eq!(op["responses"]["403"].is_object(), r.action.is_some(), "{path}");
    }
    let documented: usize =
        doc["paths"].as_object().unwrap().values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(documented, ROUTES.iter().filter(|r| r.api).count(), "nothing documented that is not served");
}

/// Every value a client sends is bounded in the document as the server bounds it: each string
/// (not a date or a choice from a list) has a `maxLength`, each array a `maxItems`, each
/// integer a `maximum` — so an integrator and a fuzzer know the limits before being refused.
#[test]
fn the_openapi_document_bounds_every_request_value() {
    use serde_json::Value;
    let doc = suiji_web::openapi_document();
    let components = &doc["components"]["schemas"];
    fn walk(v: &Value, at: &str, components: &Value, seen: &mut Vec<String>, out: &mut Vec<String>) {
        let Some(o) = v.as_object() else { return };
        if let Some(r) = o.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/components/schemas/").to_owned();
            if !seen.contains(&name) {
                seen.push(name.clone());
                walk(&components[&name], &name, components, seen, out);
            }
            return;
        }
        let types: Vec<&str> = match &o.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let choice = o.contains_key("enum") || o.contains_key("const") || o.contains_key("format");
        if types.contains(&"string") && !choice && !o.contains_key("maxLength") {
            out.push(format!("{at}: a string without maxLength"));
        }
        if types.contains(&"array") && !o.contains_key("maxItems") {
            out.push(format!("{at}: an array without maxItems"));
        }
        if types.contains(&"integer") && !o.contains_key("maximum") && !choice {
            out.push(format!("{at}: an integer without maximum"));
        }
        for (k, sub) in o {
            match sub {
                Value::Object(m) if k == "properties" || k == "patternProperties" => {
                    for (name, p) in m {
                        walk(p, &format!("{at}.{name}"), components, seen, out);
                    }
                }
                Value::Array(list) => {
                    for (i, p) in list.iter().enumerate() {
                        walk(p, &format!("{at}/{k}[{i}]"), components, seen, out);
                    }
                }
                Value::Object(_) => walk(sub, &format!("{at}/{k}"), components, seen, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] != "path" {
                    walk(
                        &p["schema"],
                        &format!("{at} ?{}", p["name"]),
                        components,
                        &mut Vec::new(),
                        &mut out,
                    );
                }
            }
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            walk(body, &format!("{at} body"), components, &mut Vec::new(), &mut out);
        }
    }
    out.sort();
    out.dedup();
    assert!(out.is_empty(), "unbounded request values:\n{}", out.join("\n"));
}

#[tokio::test]
async fn two_servers_on_one_database_share_sessions_and_the_chain() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        // A second server: its own connection pool and router on the same database.
        let other = suiji_web::router(suiji_web::AppState::new(db.open().await));
        let (cookie, csrf) = f.session(Role::Organizer);
        let send = |request: Request<Body>| {
            let other = other.clone();
            async move { tower::ServiceExt::oneshot(other, request).await.unwrap().status() }
        };
        let get = Request::get("/staff/recusals").header(header::COOKIE, cookie).body(Body::empty()).unwrap();
        assert_eq!(
            send(get).await,
            StatusCode::OK,
            "{}: a session opened on one server works on the other",
            db.backend
        );
        let logout = Request::post("/logout")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={csrf}")))
            .unwrap();
        assert_eq!(send(logout).await, StatusCode::SEE_OTHER);
        let (status, _, _) = f.get("/staff/recusals", Some(cookie)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "signed out on one, signed out on both");
        // Both wrote to one chain.
        assert!(suiji_store::audit::verify(&f.store).await.unwrap().is_ok());
    }
}

#[tokio::test]
async fn credit_grades_are_public_only_when_the_bureau_publishes_them() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let lookup = format!("/public/targets?q={}", uscc(2));
        let api = format!("/api/v1/public/targets?q={}", uscc(2));
        let (_, _, page) = f.get(&lookup, None).await;
        assert!(
            page.contains("偃师乙公司") && !page.contains("诚信等级"),
            "{}: private by default",
            db.backend
        );

        // An administrator changes the setting on the settings page (CSRF token and all).
        let (cookie, csrf) = f.session(Role::Admin);
        let (status, _, body) = f.get("/staff/settings", Some(cookie)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("公开检查对象的诚信等级"));
        let (status, _, body) = f
            .post_form(
                "/staff/settings",
                Some(cookie),
                &format!("csrf={csrf}&name=public_credit_grades&value=maybe"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("只能是 true 或 false"), "{body}");
        let (_, _, page) = f.get(&lookup, None).await;
        assert!(!page.contains("诚信等级"), "a refused value changes nothing");
        let (status, _, _) = f
            .post_form(
                "/staff/settings",
                Some(cookie),
                &format!("csrf={csrf}&name=public_credit_grades&value=true"),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);

        // The bureau's name heads every page (header, title, footer) once set.
        let (_, _, page) = f.get("/", None).await;
        assert!(page.contains("主办单位：人力资源和社会保障局"), "the default name");
        let (status, _, _) = f
            .post_form(
                "/staff/settings",
                Some(cookie),
                &format!("csrf={csrf}&name=bureau_name&value=%E5%B1%80"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a one-character name is refused");
        let name = "洛阳市偃师区人力资源和社会保障局";
        let (status, _, _) = f
            .post_form(
                "/staff/settings",
                Some(cookie),
                &format!(
                    "csrf={csrf}&name=bureau_name&value={}",
                    name.bytes().map(|b| format!("%{b:02X}")).collect::<String>()
                ),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, _, page) = f.get("/public/results", None).await;
        assert!(
            page.contains(&format!("主办单位：{name}")) && page.contains(&format!("· {name}</title>")),
            "{page}"
        );

        let (_, _, page) = f.get(&lookup, None).await;
        assert!(page.contains("<th>诚信等级</th>") && page.contains("<td>A</td>"), "{}: {page}", db.backend);
        assert!(!page.contains("风险分类") && !page.contains("法定代表人"), "the rest stays private");
        let (_, _, body) = f.get(&api, None).await;
        let found: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(found["records"][0]["credit_grade"], "A", "{body}");
        assert!(found["records"][0].get("risk_class").is_none());

        // Through the API, all or nothing; the audit log has the one change.
        let post_settings = |json: &'static str| {
            Request::post("/api/v1/settings")
                .header(header::COOKIE, cookie)
                .header("x-csrf-token", csrf)
                .body(Body::from(json))
                .unwrap()
        };
        let (status, _, body) = f.send(post_settings(r#"{"public_credit_grades": "perhaps"}"#)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["field"],
            "public_credit_grades"
        );
        let (status, _, body) = f.send(post_settings(r#"{"public_credit_grades": false}"#)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["public_credit_grades"], false);
        let (_, _, body) = f.get(&api, None).await;
        assert!(!body.contains("credit_grade"), "{body}");
        // (The bureau's new name, set above, renamed its organisation's root as well.)
        let entries = suiji_store::audit::latest(&f.store, None, 3).await.unwrap();
        assert_eq!(
            entries.iter().map(|e| (e.action.as_str(), e.actor.as_str())).collect::<Vec<_>>(),
            [("setting.set", "admin"), ("department.update", "admin"), ("setting.set", "admin")]
        );
        assert!(entries[0].change.contains(r#""new":"false""#), "{}", entries[0].change);
    }
}

#[test]
fn the_contract_check_refuses_an_answer_outside_its_schema() {
    use axum::http::Method;
    let ok = r#"{"username":"u","display_name":"名","role":"unit","department":null}"#;
    common::contract::check(&Method::GET, "/api/v1/me", StatusCode::OK, ok);
    for bad in [
        r#"{"username":5,"display_name":"名","role":"unit","department":null}"#,
        r#"{"username":"u","display_name":"名","role":"emperor","department":null}"#,
        r#"{"username":"u","role":"unit","department":null}"#,
    ] {
        let refused = std::panic::catch_unwind(|| {
            common::contract::check(&Method::GET, "/api/v1/me", StatusCode::OK, bad)
        });
        assert!(refused.is_err(), "{bad} was taken");
    }
    // An error must be the JSON error, whatever the status.
    let refused = std::panic::catch_unwind(|| {
        common::contract::check(&Method::GET, "/api/v1/me", StatusCode::FORBIDDEN, r#"{"message":"no"}"#)
    });
    assert!(refused.is_err());
    common::contract::check(
        &Method::GET,
        "/api/v1/me",
        StatusCode::FORBIDDEN,
        r#"{"error":"no","field":null}"#,
    );
}

/// Found by the schema-driven fuzz: a record whose every value is null (or blank) made a sheet
/// with no row, and saving it panicked. It is refused, and nothing is written.
#[tokio::test]
async fn an_empty_record_is_refused_not_a_crash() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let token = f.token("organizer").await;
        let (before, _) = suiji_store::audit::head(&f.store).await.unwrap();
        for body in [r#"{"uscc": null}"#, r#"{"uscc": "", "name": "  "}"#] {
            let (status, _, answer) =
                f.send(common::bearer(&token, "POST", "/api/v1/targets", body.as_bytes().to_vec())).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
            assert!(answer.contains("the record is empty"), "{answer}");
        }
        let (cookie, csrf) = f.session(Role::Organizer);
        let form = format!("csrf={csrf}&code=&name=");
        let (status, _, page) = f.post_form("/staff/items/save", Some(cookie), &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.backend);
        assert!(page.contains("记录是空的"), "{page}");
        assert_eq!(suiji_store::audit::head(&f.store).await.unwrap().0, before, "nothing was written");
    }
}

/// Found by the schema-driven fuzz: `/api/v1/audit?before=-9223372036854775808` overflowed and
/// panicked. Every paging number a client may send is answered.
#[tokio::test]
async fn extreme_paging_numbers_are_answered() {
    let f = Fixture::new(databases().await.remove(0).open().await).await;
    let token = f.token("admin").await;
    for (min, max) in [(i64::MIN, i64::MAX), (-1, 0)] {
        for path in [
            format!("/api/v1/audit?before={min}"),
            format!("/api/v1/audit?before={max}"),
            format!("/api/v1/targets?after={min}"),
            format!("/api/v1/targets?after={max}"),
            format!("/api/v1/public/results?after={min}"),
            format!("/api/v1/public/results?after={max}"),
        ] {
            let (status, _, body) = f.send(common::bearer(&token, "GET", &path, Vec::new())).await;
            assert!(status == StatusCode::OK || status == StatusCode::FORBIDDEN, "{path}: {status} {body}");
        }
    }
    let (_, _, body) = f.send(common::bearer(&token, "GET", "/api/v1/audit?before=-1", Vec::new())).await;
    assert_eq!(body, r#"{"entries":[]}"#);
    // A search longer than the document allows is refused, naming it (was answered).
    let long = "名".repeat(201);
    for path in ["/api/v1/public/targets", "/api/v1/targets", "/api/v1/public/results"] {
        let (status, _, body) =
            f.send(common::bearer(&token, "GET", &format!("{path}?q={long}"), Vec::new())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert!(body.contains(r#""field":"q""#), "{path}: {body}");
        let ok = "名".repeat(200);
        let (status, _, body) =
            f.send(common::bearer(&token, "GET", &format!("{path}?q={ok}"), Vec::new())).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
}

/// The list of inspections due, filtered as the workbench's counts link to it: by task, by
/// stage, overdue or due within the week. A value that is none of the choices is ignored.
#[tokio::test]
async fn the_inspections_due_are_filtered_by_task_stage_and_deadline() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, _) = f.session(Role::Organizer);
        // The fixture's one inspection: task 1, assigned, due in July 2026 (overdue now).
        let shows = |query: &'static str| {
            let f = &f;
            async move {
                let (status, _, page) = f.get(&format!("/staff/inspections{query}"), Some(cookie)).await;
                assert_eq!(status, StatusCode::OK, "{query}");
                let due = page.split("id=\"due\"").nth(1).unwrap().to_owned();
                due.contains("href=\"/staff/inspections/1\"")
            }
        };
        assert!(shows("").await);
        assert!(shows("?task=1&when=overdue").await);
        assert!(shows("?task=1&status=assigned").await);
        assert!(!shows("?task=1&when=week").await);
        assert!(!shows("?status=entered").await);
        assert!(!shows("?task=2").await);
        assert!(shows("?task=abc&status=nonsense&when=").await, "unknown values are ignored");
        let (_, _, page) = f.get("/staff/inspections?task=2", Some(cookie)).await;
        assert!(page.contains("没有符合筛选条件的检查") && page.contains("清除筛选"), "{page}");
        // The workbench's overdue count links to the filtered list.
        let (_, _, bench) = f.get("/staff", Some(cookie)).await;
        assert!(bench.contains("/staff/inspections?task=1&amp;when=overdue"), "{bench}");
    }
}

/// An inspection's findings and evidence are its team's to read: an inspector not on the team
/// is refused the inspection, its documents and its evidence, and sees it in its task without
/// them — unless the bureau lets inspectors read their department's inspections and its
/// department takes part in the task. Everyone else reads them.
#[tokio::test]
async fn an_inspector_reads_only_its_own_inspections_findings() {
    use suiji_store::accounts::{self, NewUser};
    use suiji_store::audit::Actor;
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        let inspection = suiji_store::workflow::inspection(&f.store, 1).await.unwrap();
        assert!(!inspection.evidence.is_empty(), "{who}: the fixture's evidence");
        let free = ["豫人社监0001", "豫人社监0004"]
            .into_iter()
            .find(|c| !inspection.members.iter().any(|(m, _)| m == c))
            .unwrap();
        let admin = Actor::system("tester");
        let mut cookies = Vec::new();
        for (username, department) in [("other", "劳动保障监察大队"), ("insurer", "社会保险科")]
        {
            let new = NewUser {
                username: username.into(),
                display_name: "检查员".into(),
                role: Role::Inspector,
                department: Some(department.into()),
                password: "inspector-password-2".into(),
            };
            let user = accounts::add_user(&f.store, &new, &admin).await.unwrap();
            let cert = (username == "other").then_some(free);
            accounts::link_inspector(&f.store, username, cert, &admin).await.unwrap();
            let user = accounts::user(&f.store, &user.username).await.unwrap().unwrap();
            let session = accounts::open_session(&f.store, &user, "127.0.0.1").await.unwrap();
            cookies.push(format!("suiji_session={}", session.token));
        }
        let paths = [
            "/api/v1/inspections/1",
            "/staff/inspections/1",
            "/staff/inspections/1/print",
            "/staff/inspections/1/evidence/1",
        ];
        let reads = |cookie: &str| {
            let cookie = cookie.to_owned();
            let f = &f;
            async move {
                let mut out = Vec::new();
                for p in paths {
                    out.push(f.get(p, Some(&cookie)).await.0);
                }
                let (_, _, task) = f.get("/api/v1/tasks/1", Some(&cookie)).await;
                let task: serde_json::Value = serde_json::from_str(&task).unwrap();
                (out, task["inspections"][0]["evidence"].as_array().is_some_and(|e| !e.is_empty()))
            }
        };
        let refused = (vec![StatusCode::FORBIDDEN; 4], false);
        let read = (vec![StatusCode::OK; 4], true);
        let (member, _) = f.session(Role::Inspector);
        assert_eq!(reads(member).await, read, "{who}: a member of the team");
        let (supervisor, _) = f.session(Role::Supervisor);
        assert_eq!(reads(supervisor).await, read, "{who}: a supervisor");
        assert_eq!(reads(&cookies[0]).await, refused, "{who}: an inspector of the same department");
        assert_eq!(reads(&cookies[1]).await, refused, "{who}: an inspector of another department");
        // The bureau lets inspectors read their department's inspections.
        let change = [("inspector_reads_department".to_owned(), "true".to_owned())];
        suiji_store::settings::set(&f.store, &change, &admin).await.unwrap();
        assert_eq!(reads(&cookies[0]).await, read, "{who}: the same department, allowed");
        assert_eq!(reads(&cookies[1]).await, refused, "{who}: another department, still");
    }
}

/// Department scope through the API, record by record, on both databases: a 业务科室 (the
/// fixture's `unit`, 社会保险科) adds and changes its own items and inspectors and is refused
/// another department's; keeps any target while the directory is shared and only its own once
/// it is not; runs its own task from draft to teams and is refused the lead office's.
#[tokio::test]
async fn a_department_keeps_to_its_own_records_through_the_api() {
    use suiji_domain::workflow::SizeSpec;
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        let unit = f.token("unit").await;
        let call = |path: &str, body: serde_json::Value| {
            common::bearer(&unit, "POST", path, body.to_string().into_bytes())
        };
        let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
        // Items (抽查主体) and inspectors (单位): its own, yes; another department's, 422 with
        // the column at fault and nothing written.
        let item = |code: &str, subject: &str| serde_json::json!({"code": code, "name": "社会保险登记情况检查", "category": "一般", "subject": subject});
        let (status, _, body) = f.send(call("/api/v1/items", item("SB-001", "社会保险科"))).await;
        assert_eq!(status, StatusCode::OK, "{who}: {body}");
        let (status, _, body) = f.send(call("/api/v1/items", item("SB-002", "劳动保障监察大队"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{who}: {body}");
        assert!(body.contains("只能新增或修改本部门（社会保险科）的记录"), "{body}");
        let (status, _, _) = f.get("/api/v1/items/SB-002", Some(f.session(Role::Unit).0)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
        let inspector = |cert: &str, department: &str| serde_json::json!({"cert_no": cert, "name": "社保员", "department": department, "cert_valid_until": "2030-12-31"});
        let (status, _, body) =
            f.send(call("/api/v1/inspectors", inspector("豫人社监0901", "社会保险科"))).await;
        assert_eq!(status, StatusCode::OK, "{who}: {body}");
        let (status, _, body) =
            f.send(call("/api/v1/inspectors", inspector("豫人社监0902", "劳动保障监察大队"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{who}: {body}");
        // Targets: shared by default, then each department's own.
        let target = |name: &str| serde_json::json!({"uscc": uscc(2), "name": name});
        let (status, _, body) = f.send(call("/api/v1/targets", target("共同维护后的名称"))).await;
        assert_eq!((status, json(&body)["changed"].as_u64()), (StatusCode::OK, Some(1)), "{who}: {body}");
        let change = [("shared_directory".to_owned(), "false".to_owned())];
        suiji_store::settings::set(&f.store, &change, &suiji_store::audit::Actor::system("tester"))
            .await
            .unwrap();
        let (status, _, body) = f.send(call("/api/v1/targets", target("分别维护后的名称"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{who}: {body}");
        let new = serde_json::json!({"uscc": uscc(900), "name": "新办社保代理公司"});
        let (status, _, body) = f.send(call("/api/v1/targets", new)).await;
        assert_eq!(status, StatusCode::OK, "{who}: {body}");
        let (_, _, body) =
            f.get(&format!("/api/v1/targets/{}", uscc(900)), Some(f.session(Role::Unit).0)).await;
        assert_eq!(json(&body)["record"]["department"], "社会保险科", "{who}: {body}");
        // Tasks: its own plan's line, run by its department; the lead office's plan refused.
        let own = suiji_store::testing::published_plan(&f.store, "社会保险科").await;
        let mut def =
            serde_json::to_value(suiji_store::testing::task("社会保险科", SizeSpec::Count(1))).unwrap();
        def["title"] = "社会保险登记情况抽查".into();
        let (status, _, body) =
            f.send(call("/api/v1/tasks", serde_json::json!({"plan_line_id": 1, "definition": def}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: the lead office's plan: {body}");
        let body = serde_json::json!({"plan_line_id": own.lines[0].id, "definition": def});
        let (status, _, body) = f.send(call("/api/v1/tasks", body)).await;
        assert_eq!(status, StatusCode::OK, "{who}: {body}");
        let task = json(&body);
        assert_eq!(task["department"], "社会保险科", "{who}");
        let id = task["id"].as_i64().unwrap();
        for step in ["publish", "draw"] {
            let body =
                if step == "draw" { serde_json::json!({"system": true}) } else { serde_json::json!({}) };
            let (status, _, body) = f.send(call(&format!("/api/v1/tasks/{id}/{step}"), body)).await;
            assert_eq!(status, StatusCode::OK, "{who}: {step}: {body}");
        }
        // Its task's page names its plan and department and offers its steps; the lead office's
        // task page offers them to the lead office, not to the unit.
        let (cookie, _) = f.session(Role::Unit);
        let (_, _, page) = f.get(&format!("/staff/tasks/{id}"), Some(cookie)).await;
        let plan = format!("<a href=\"/staff/plans/{}\">社会保险科：", own.id);
        assert!(page.contains(&plan) && page.contains("id=\"task-department\">社会保险科<"), "{who}: {page}");
        assert!(page.contains(&format!("/staff/tasks/{id}/teams")), "{who}: its teams to assign");
        let (_, _, page) = f.get("/staff/tasks/1", Some(cookie)).await;
        assert!(!page.contains("/staff/tasks/1/annul"), "{who}");
        let (_, _, page) = f.get("/staff/tasks/1", Some(f.session(Role::Organizer).0)).await;
        assert!(page.contains("/staff/tasks/1/annul"), "{who}");
        let (status, _, body) =
            f.send(call("/api/v1/tasks/1/draw", serde_json::json!({"system": true}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: the lead office's task: {body}");
        assert!(body.contains("只能编制和实施本部门（社会保险科）的抽查任务"), "{body}");
        let (status, _, body) =
            f.send(call("/api/v1/draws/1/annul", serde_json::json!({"reason": "试"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: the lead office's draw: {body}");
        assert!(suiji_store::audit::verify(&f.store).await.unwrap().is_ok(), "{who}");
    }
}
