//! Issue 13's attacks on the web service, each through the whole router on SQLite and (with
//! SUIJI_TEST_PG) PostgreSQL: where a sign-in may send the browser, what the sign-in costs,
//! whose address is counted behind a proxy, the API's errors, and formulas in CSV files.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::{Fixture, uscc};
use std::net::SocketAddr;
use suiji_domain::access::Role;
use suiji_store::testing::databases;
use tower::ServiceExt;

fn sign_in_request(
    cookie: &str,
    fields: &[(&str, &str)],
    peer: &str,
    forwarded: Option<&str>,
) -> Request<Body> {
    let mut r = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie);
    if let Some(f) = forwarded {
        r = r.header("x-forwarded-for", f);
    }
    let mut r = r.body(Body::from(serde_urlencoded::to_string(fields).unwrap())).unwrap();
    r.extensions_mut().insert(ConnectInfo(format!("{peer}:40000").parse::<SocketAddr>().unwrap()));
    r
}

/// Item 5: `next` is a path on this site that parses back to itself, or the home page.
#[tokio::test]
async fn after_signing_in_the_browser_stays_on_this_site() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        for (next, expected) in [
            ("/staff/targets?q=1", "/staff/targets?q=1"),
            ("/\t/evil.example", "/"),
            ("/\n/evil.example", "/"),
            ("/x\r\nSet-Cookie: a=b", "/"),
            ("//evil.example", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example/", "/"),
            ("/ /evil.example", "/"),
        ] {
            let (cookie, csrf) = f.login_form().await;
            let fields =
                [("username", "unit"), ("password", "unit-password-1"), ("next", next), ("csrf", &csrf)];
            let (status, headers, _) = f.send(sign_in_request(&cookie, &fields, "127.0.0.1", None)).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{}: {next:?}", db.backend);
            assert_eq!(headers.get(header::LOCATION).unwrap(), expected, "{next:?}");
        }
        // The sign-in form's own link carries only a safe `next` too.
        let (_, _, body) = f.get("/login?next=%2F%09%2Fevil.example", None).await;
        assert!(body.contains("name=\"next\" value=\"/\""), "{body}");
    }
}

/// Item 1: a sign-in body is a few hundred bytes; a huge one is refused before any work and
/// writes nothing.
#[tokio::test]
async fn a_huge_sign_in_is_refused_and_writes_nothing() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let head = suiji_store::audit::head(&f.store).await.unwrap();
        let (cookie, csrf) = f.login_form().await;
        let long = "a".repeat(4 << 20);
        let fields = [("username", long.as_str()), ("password", "x"), ("csrf", &csrf)];
        let (status, _, _) = f.send(sign_in_request(&cookie, &fields, "127.0.0.1", None)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{}", db.backend);
        let long = "a".repeat(1000);
        let fields = [("username", long.as_str()), ("password", "x"), ("csrf", &csrf)];
        let (status, _, body) = f.send(sign_in_request(&cookie, &fields, "127.0.0.1", None)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.backend);
        assert!(body.contains("长 2 到 64 个字符"));
        assert_eq!(suiji_store::audit::head(&f.store).await.unwrap(), head);
    }
}

/// Item 3: behind a trusted proxy each client is counted by its own address; from anyone
/// else, X-Forwarded-For is not believed.
#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_counted_alone() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let proxied = suiji_web::router(
            suiji_web::AppState::new(f.store.clone())
                .with_trusted_proxies(vec!["10.0.0.0/8".parse().unwrap()]),
        );
        let send = |r: Request<Body>| {
            let app = proxied.clone();
            async move { app.oneshot(r).await.unwrap().status() }
        };
        // 20 bad sign-ins through the proxy from one client, each to a name nobody has.
        for i in 0..suiji_store::accounts::MAX_FAILURES_PER_ADDRESS {
            let (cookie, csrf) = f.login_form().await;
            let name = format!("nobody{i}");
            let fields = [("username", name.as_str()), ("password", "wrong wrong"), ("csrf", &csrf)];
            let status = send(sign_in_request(&cookie, &fields, "10.0.0.2", Some("203.0.113.7"))).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", db.backend);
        }
        let (cookie, csrf) = f.login_form().await;
        let fields = [("username", "unit"), ("password", "unit-password-1"), ("csrf", &csrf)];
        let status = send(sign_in_request(&cookie, &fields, "10.0.0.2", Some("203.0.113.7"))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}: that client is locked", db.backend);
        // Another client through the same proxy signs in; so does one that claims, past the
        // proxy, to be the locked client (a hop the client wrote itself is not believed).
        for forwarded in ["198.51.100.4", "203.0.113.7, 198.51.100.5"] {
            let (cookie, csrf) = f.login_form().await;
            let fields = [("username", "unit"), ("password", "unit-password-1"), ("csrf", &csrf)];
            let status = send(sign_in_request(&cookie, &fields, "10.0.0.2", Some(forwarded))).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{}: {forwarded}", db.backend);
        }
        // Without a trusted proxy the header is ignored: the locked client cannot hide behind it,
        // and the peer's own address is what the audit log shows.
        let (cookie, csrf) = f.login_form().await;
        let fields = [("username", "unit"), ("password", "unit-password-1"), ("csrf", &csrf)];
        let status = f.send(sign_in_request(&cookie, &fields, "192.0.2.9", Some("203.0.113.7"))).await.0;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", db.backend);
        let entry = &suiji_store::audit::latest(&f.store, None, 1).await.unwrap()[0];
        assert_eq!(entry.action, "login");
        assert!(entry.change.contains("192.0.2.9"), "{}", entry.change);
    }
}

/// Item 3: an administrator sees a locked account on the accounts page and lifts the lock.
#[tokio::test]
async fn an_administrator_unlocks_an_account() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        for _ in 0..suiji_store::accounts::MAX_FAILURES_PER_ACCOUNT {
            let _ = suiji_store::accounts::sign_in(&f.store, "unit", "wrong wrong", "10.1.1.1").await;
        }
        let (cookie, csrf) = f.session(Role::Admin);
        let (_, _, body) = f.get("/staff/users", Some(cookie)).await;
        assert!(body.contains("/staff/users/unit/unlock"), "{}", db.backend);
        let (status, _, body) =
            f.post_form("/staff/users/unit/unlock", Some(cookie), &format!("csrf={csrf}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(!body.contains("/staff/users/unit/unlock"));
        let user = suiji_store::accounts::sign_in(&f.store, "unit", "unit-password-1", "10.1.1.1").await;
        assert!(user.is_ok(), "{}: {user:?}", db.backend);
        // Only an administrator may.
        let (cookie, csrf) = f.session(Role::Organizer);
        let (status, _, _) =
            f.post_form("/staff/users/unit/unlock", Some(cookie), &format!("csrf={csrf}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

/// Item 8: whatever goes wrong under /api/v1, the answer is the JSON error.
#[tokio::test]
async fn every_api_error_is_json() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let token = f.token("inspector").await;
        let call = |method: &str, path: &str, body: Vec<u8>| common::bearer(&token, method, path, body);
        for (request, status, field) in [
            (call("GET", "/api/v1/tasks/not-a-number", vec![]), StatusCode::BAD_REQUEST, None),
            (call("GET", "/api/v1/targets/%FF%FE", vec![]), StatusCode::BAD_REQUEST, None),
            (
                call("POST", "/api/v1/inspections/1/evidence", vec![1, 2, 3]),
                StatusCode::BAD_REQUEST,
                Some("name"),
            ),
            (
                call("POST", "/api/v1/inspections/1/evidence?name=a.jpg", vec![0; 65 << 20]),
                StatusCode::PAYLOAD_TOO_LARGE,
                None,
            ),
            (call("DELETE", "/api/v1/targets", vec![]), StatusCode::METHOD_NOT_ALLOWED, None),
            (call("GET", "/api/v1/nothing-here", vec![]), StatusCode::NOT_FOUND, None),
        ] {
            let path = request.uri().to_string();
            let (got, headers, body) = f.send(request).await;
            assert_eq!(got, status, "{}: {path}: {body}", db.backend);
            assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "application/json", "{path}");
            let value: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
            assert!(value["error"].as_str().is_some_and(|e| !e.is_empty()), "{path}: {body}");
            assert_eq!(value["field"].as_str(), field, "{path}: {body}");
        }
    }
}

/// Item 10: a cell a spreadsheet would run as a formula is written with a `'` before it, in
/// the open data and the staff's exports; the staff's CSV imports read it back as it was.
#[tokio::test]
async fn csv_files_carry_no_formulas() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, csrf) = f.session(Role::Organizer);
        let evil = "=HYPERLINK(\"http://evil.example\",\"点击\")";
        let sheet = format!(
            "事项编码,事项名称,类别,抽查内容\nRS-900,\"{}\",一般,@SUM(1)\n",
            evil.replace('"', "\"\"")
        );
        let api = Request::post("/api/v1/items/import?name=items.csv")
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf)
            .body(Body::from(sheet))
            .unwrap();
        let (status, _, body) = f.send(api).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.backend);
        for path in ["/public/items.csv", "/staff/items/export?format=csv"] {
            let (status, _, body) = f.get(path, Some(cookie)).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(body.contains("'=HYPERLINK("), "{path}: {body}");
            assert!(body.contains(",'@SUM(1)"), "{path}: {body}");
            for line in body.lines() {
                for cell in line.split(',') {
                    let cell = cell.trim_start_matches('"');
                    assert!(!cell.starts_with(['=', '+', '-', '@']), "{path}: {line}");
                }
            }
        }
        // Our own export imported again changes nothing.
        let (_, _, exported) = f.get("/staff/items/export?format=csv", Some(cookie)).await;
        let api = Request::post("/api/v1/items/import?name=items.csv")
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf)
            .body(Body::from(exported))
            .unwrap();
        let (status, _, body) = f.send(api).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, _, record) = f.get("/api/v1/items/RS-900", Some(cookie)).await;
        let record: serde_json::Value = serde_json::from_str(&record).unwrap();
        assert_eq!(record["record"]["name"], evil, "{record}");
        let _ = uscc(1);
    }
}

/// Item 7: text fields have limits and no control characters; PostgreSQL never sees a U+0000
/// (it answered 500), and a 60 MB title is not stored.
#[tokio::test]
async fn text_is_limited_and_free_of_control_characters() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let token = f.token("organizer").await;
        let call = |method: &str, path: &str, body: Vec<u8>| {
            let mut r = common::bearer(&token, method, path, body);
            r.headers_mut().insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
            r
        };
        let head = suiji_store::audit::head(&f.store).await.unwrap();
        let plan = |title: &str| {
            serde_json::to_vec(
                &serde_json::json!({"year": 2027, "department": "劳动保障监察大队", "title": title}),
            )
            .unwrap()
        };
        for (body, status, field) in [
            (plan("计划\u{0}"), StatusCode::UNPROCESSABLE_ENTITY, "title"),
            (plan(&"长".repeat(201)), StatusCode::UNPROCESSABLE_ENTITY, "title"),
            (plan("计划\n第二行"), StatusCode::UNPROCESSABLE_ENTITY, "title"),
            (plan(&"长".repeat(20 << 20)), StatusCode::PAYLOAD_TOO_LARGE, ""),
        ] {
            let (got, headers, text) = f.send(call("POST", "/api/v1/plans", body)).await;
            assert_eq!(got, status, "{}: {}", db.backend, suiji_domain::text::shorten(&text, 200));
            assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "application/json");
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            if !field.is_empty() {
                assert_eq!(value["field"], field, "{text}");
            }
        }
        // A task's title too, and a search for U+0000 on the portal and in the API.
        let (got, _, text) = f.send(call("POST", "/api/v1/public/results?q=%00", Vec::new())).await;
        assert!(got.is_client_error(), "{}: {got} {text}", db.backend);
        for path in ["/public/targets?q=%00", "/public/results?q=a%00b", "/api/v1/public/results?q=%00"] {
            let (got, _, text) = f.get(path, None).await;
            assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY, "{}: {path}: {text}", db.backend);
        }
        // A sign-in name with U+0000: refused, not a 500.
        let (cookie, csrf) = f.login_form().await;
        let fields = [("username", "ad\u{0}min"), ("password", "whatever it is"), ("csrf", &csrf)];
        let (got, _, _) = f.send(sign_in_request(&cookie, &fields, "127.0.0.1", None)).await;
        assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.backend);
        assert_eq!(suiji_store::audit::head(&f.store).await.unwrap(), head, "nothing was written");
    }
}

/// Item 9: an upload that unpacks or counts past the server's limits is refused before it is
/// parsed whole, with a short answer; a file wrong on every row answers with the first 1,000
/// problems and how many more.
#[tokio::test]
async fn uploads_are_read_within_limits_and_reports_are_short() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let limits = suiji_sheets::Limits { max_rows: 1_000, max_unpacked: 1 << 20 };
        let app = suiji_web::router(suiji_web::AppState::new(f.store.clone()).with_upload_limits(limits));
        let token = f.token("organizer").await;
        let upload = |name: &str, body: Vec<u8>| {
            common::bearer(&token, "POST", &format!("/api/v1/targets/import?name={name}"), body)
        };
        let send = |r: Request<Body>| {
            let app = app.clone();
            async move {
                let response = app.oneshot(r).await.unwrap();
                let status = response.status();
                let bytes = axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap();
                (status, String::from_utf8_lossy(&bytes).into_owned())
            }
        };
        // A workbook of 50,000 identical rows: small packed, several MiB unpacked.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for r in 0..50_000u32 {
            sheet.write_string(r, 0, "91410307MA0000001X").unwrap();
            sheet.write_string(r, 1, "洛阳某某有限公司洛阳某某有限公司洛阳某某有限公司").unwrap();
        }
        let bomb = book.save_to_buffer().unwrap();
        let (status, body) = send(upload("bomb.xlsx", bomb)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {body}", db.backend);
        assert!(body.contains("1 MiB") && body.len() < 1_000, "{body}");
        // The same file sent as `curl --data-binary` sends it, calling it a form: still a file,
        // read within the upload's limits (not refused as a 2 MiB form).
        let mut as_form = upload("bomb.xlsx", {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for r in 0..50_000u32 {
                sheet.write_string(r, 0, "91410307MA0000001X").unwrap();
                sheet.write_string(r, 1, "洛阳某某有限公司洛阳某某有限公司洛阳某某有限公司").unwrap();
            }
            book.save_to_buffer().unwrap()
        });
        as_form
            .headers_mut()
            .insert(header::CONTENT_TYPE, "application/x-www-form-urlencoded".parse().unwrap());
        let (status, body) = send(as_form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("1 MiB"), "{body}");
        // Past the row limit (CSV).
        let many = format!("统一社会信用代码,名称\n{}", "x,y\n".repeat(1_000));
        let (status, body) = send(upload("many.csv", many.into_bytes())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("1000"), "{body}");
        // 999 bad rows, two problems each: the first 1,000 and a line for the rest.
        let bad = format!("统一社会信用代码,名称\n{}", "BAD,\n".repeat(999));
        let (status, body) = send(upload("bad.csv", bad.into_bytes())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        let problems = value["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1_001, "{}", db.backend);
        assert!(problems[1_000].to_string().contains("另有 998 个问题未列出"), "{}", problems[1_000]);
        assert_eq!(
            suiji_store::directory::count(&f.store, suiji_domain::directory::ListKind::Targets)
                .await
                .unwrap(),
            2
        );
    }
}
