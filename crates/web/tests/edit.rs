//! Changing the lists in the browser, through the router, on SQLite and (with SUIJI_TEST_PG)
//! PostgreSQL: forms and uploads go through the checked import — all or nothing, historied,
//! audited.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Fixture, uscc};
use suiji_domain::access::Role;
use suiji_store::testing::databases;

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

fn multipart(csrf: &str, list: &str, file_name: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "suijiBoundary7";
    let mut body = Vec::new();
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"sheet\"\r\n\r\n\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    Request::post(format!("/staff/{list}/import?csrf={csrf}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_record_added_edited_and_retired_in_forms() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, csrf) = f.session(Role::Unit);
        let new = uscc(77);
        let lower = new.to_lowercase();
        let (status, headers, _) = f
            .post_form(
                "/staff/targets/save",
                Some(cookie),
                &form(&[
                    ("csrf", csrf),
                    ("uscc", &lower),
                    ("name", "偃师新办公司"),
                    ("scale", "小型"),
                    ("region", "410307"),
                ]),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", db.backend);
        assert_eq!(headers.get(header::LOCATION).unwrap().to_str().unwrap(), format!("/staff/targets/{new}"));
        let (_, _, page) = f.get(&format!("/staff/targets/{new}"), Some(cookie)).await;
        assert!(page.contains("偃师新办公司") && page.contains("/edit"), "{page}");

        // A bad edit changes nothing and says why, by field.
        let (status, _, page) = f
            .post_form(
                "/staff/targets/save",
                Some(cookie),
                &form(&[
                    ("csrf", csrf),
                    ("uscc", &new),
                    ("name", "偃师新办公司"),
                    ("scale", "巨型"),
                    ("region", "999999"),
                ]),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("规模“巨型”") && page.contains("区划代码“999999”"), "{page}");
        assert!(page.contains("readonly"), "the key of an existing record cannot be changed in the form");

        let (status, _, _) = f
            .post_form(
                "/staff/targets/save",
                Some(cookie),
                &form(&[
                    ("csrf", csrf),
                    ("uscc", &new),
                    ("name", "偃师新办有限公司"),
                    ("scale", "中型"),
                    ("region", "410307"),
                ]),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _, _) = f
            .post_form(&format!("/staff/targets/{new}/retire"), Some(cookie), &form(&[("csrf", csrf)]))
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let history =
            suiji_store::directory::history(&f.store, suiji_domain::directory::ListKind::Targets, &new)
                .await
                .unwrap();
        let fields: Vec<(&str, Option<&str>)> =
            history.iter().map(|h| (h.field.as_str(), h.new_value.as_deref())).collect();
        assert_eq!(
            fields,
            [("name", Some("偃师新办有限公司")), ("scale", Some("中型")), ("status", Some("退出"))],
            "{}",
            db.backend
        );
        assert!(history.iter().all(|h| h.actor == "unit"));
        let entries = suiji_store::audit::latest(&f.store, None, 3).await.unwrap();
        assert!(entries.iter().all(|e| e.actor == "unit" && e.role == "unit" && e.action == "import"));
        assert!(suiji_store::audit::verify(&f.store).await.unwrap().is_ok());

        // A unit changes only its own department's items (抽查主体): one naming another
        // department is refused with the reason, nothing written; one naming none is its own.
        let item = |subject: &'static str| {
            form(&[("csrf", csrf), ("code", "X"), ("name", "x"), ("category", "一般"), ("subject", subject)])
        };
        let (status, _, body) =
            f.post_form("/staff/items/save", Some(cookie), &item("劳动保障监察大队")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("只能新增或修改本部门（社会保险科）的记录"), "{body}");
        assert!(
            suiji_store::directory::find::<suiji_domain::directory::Item>(&f.store, "X")
                .await
                .unwrap()
                .is_none()
        );
        let (status, _, _) = f.post_form("/staff/items/save", Some(cookie), &item("")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, x) = suiji_store::directory::find::<suiji_domain::directory::Item>(&f.store, "X")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(x.subject, "社会保险科");
    }
}

#[tokio::test]
async fn uploads_all_or_nothing_with_the_report() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, csrf) = f.session(Role::Organizer);
        let before = suiji_store::directory::count(&f.store, suiji_domain::directory::ListKind::Targets)
            .await
            .unwrap();
        let bad_check = {
            let good = uscc(5);
            let last = good.chars().last().unwrap();
            format!("{}{}", &good[..17], if last == '0' { '1' } else { '0' })
        };
        let csv = format!(
            "统一社会信用代码,名称,规模\n{},好公司,小型\n{bad_check},坏公司,小型\n{},重复,小型\n",
            uscc(4),
            uscc(4)
        );
        let mut request = multipart(csrf, "targets", "名录.csv", csv.as_bytes());
        request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        let (status, _, page) = f.send(request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {page}", db.backend);
        assert!(page.contains("id=\"problems\""));
        assert!(page.contains("<td>3</td><td>统一社会信用代码</td>"), "{page}");
        assert!(page.contains("与第2行重复"), "{page}");
        let after = suiji_store::directory::count(&f.store, suiji_domain::directory::ListKind::Targets)
            .await
            .unwrap();
        assert_eq!(before, after, "nothing written");

        let good = format!("统一社会信用代码,名称,规模\n{},好公司,小型\n", uscc(4));
        let mut request = multipart(csrf, "targets", "good.csv", good.as_bytes());
        request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        let (status, _, page) = f.send(request).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("新增 1"), "{page}");

        // Not a spreadsheet, and no token: refused.
        let mut request = multipart(csrf, "targets", "evil.exe", b"MZ");
        request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        let (status, _, page) = f.send(request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("只能导入 .csv 或 .xlsx 文件"));
        let mut request = multipart("wrong", "targets", "good.csv", good.as_bytes());
        request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        assert_eq!(f.send(request).await.0, StatusCode::FORBIDDEN);
    }
}

/// An import answered by its job's page (as a large one is), followed to its end through the
/// API the page polls; the job is its owner's to see (and a supervisor's), and a file with
/// problems ends the job with its report and nothing written.
/// Polls a job's state through the API until it ends; the job as it ended.
async fn follow(f: &Fixture, cookie: &str, location: &str) -> serde_json::Value {
    let id = location.strip_prefix("/staff/jobs/").expect("the job's page");
    let api = format!("/api/v1/jobs/{id}");
    for _ in 0..2400 {
        let (status, _, body) = f.get(&api, Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let job: serde_json::Value = serde_json::from_str(&body).unwrap();
        if job["state"] != "running" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the job did not end");
}

/// A server that answers every long step with its job's page at once, as a large one is.
fn answering_with_jobs(f: &mut Fixture) {
    let state = suiji_web::AppState::new(f.store.clone()).with_job_wait(std::time::Duration::ZERO);
    f.app = suiji_web::router(state);
}

#[tokio::test]
async fn a_long_import_runs_as_a_job_the_page_follows() {
    use suiji_domain::directory::ListKind;
    for db in databases().await {
        let mut f = Fixture::new(db.open().await).await;
        answering_with_jobs(&mut f);
        let (cookie, csrf) = f.session(Role::Organizer);
        let before = suiji_store::directory::count(&f.store, ListKind::Targets).await.unwrap();
        let rows: String = (100..2100).map(|i| format!("{},公司{i},小型\n", uscc(i))).collect();
        let csv = format!("统一社会信用代码,名称,规模\n{rows}");

        let mut request = multipart(csrf, "targets", "大文件.csv", csv.as_bytes());
        request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        let (status, headers, _) = f.send(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", db.backend);
        let location = headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
        let job = follow(&f, cookie, &location).await;
        assert_eq!(job["state"], "done", "{job}");
        assert_eq!(job["kind"], "import");
        assert_eq!(job["username"], "organizer");
        assert_eq!(job["link"], "/staff/targets");
        assert_eq!(job["outcome"]["summary"]["added"], 2000, "{job}");
        let after = suiji_store::directory::count(&f.store, ListKind::Targets).await.unwrap();
        assert_eq!(after, before + 2000);
        let (status, _, page) = f.get(&location, Some(cookie)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("导入检查对象名录库：大文件.csv") && page.contains("已完成"), "{page}");
        assert!(page.contains("新增 2000"), "{page}");
        assert!(!page.contains("<progress"), "a finished job shows no progress bar");

        // Someone else's job is not theirs to see; a supervisor sees every job.
        let id = location.trim_start_matches("/staff/jobs/");
        let (inspector, _) = f.session(Role::Inspector);
        assert_eq!(f.get(&location, Some(inspector)).await.0, StatusCode::NOT_FOUND);
        assert_eq!(f.get(&format!("/api/v1/jobs/{id}"), Some(inspector)).await.0, StatusCode::NOT_FOUND);
        let (supervisor, _) = f.session(Role::Supervisor);
        assert_eq!(f.get(&location, Some(supervisor)).await.0, StatusCode::OK);
        assert_eq!(f.get("/api/v1/jobs/99999", Some(supervisor)).await.0, StatusCode::NOT_FOUND);
        assert_eq!(f.get(&location, None).await.0, StatusCode::SEE_OTHER, "signed out: to the sign-in page");

        // Problems: the job ends failed, its page lists them, nothing is written.
        let bad =
            format!("统一社会信用代码,名称,规模\n{},好公司,小型\n{},重复,小型\n", uscc(3000), uscc(3000));
        let mut request = multipart(csrf, "targets", "有问题.csv", bad.as_bytes());
        request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
        let (status, headers, _) = f.send(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let location = headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
        let job = follow(&f, cookie, &location).await;
        assert_eq!(job["state"], "failed", "{job}");
        assert_eq!(job["outcome"]["problems"][0]["row"], 3, "{job}");
        let (_, _, page) = f.get(&location, Some(cookie)).await;
        assert!(page.contains("id=\"problems\"") && page.contains("与第2行重复"), "{page}");
        assert!(page.contains("未完成"), "{page}");
        assert_eq!(suiji_store::directory::count(&f.store, ListKind::Targets).await.unwrap(), after);
    }
}

/// Publishing, drawing and assigning from the pages run as jobs too: the browser follows the
/// job, whose page then says what was done and links to it, or why it was refused; the
/// workbench lists the organizer's latest jobs.
#[tokio::test]
async fn workflow_steps_run_as_jobs_the_page_follows() {
    use suiji_domain::workflow::SizeSpec;
    use suiji_store::workflow as wf;
    for db in databases().await {
        let mut f = Fixture::new(db.open().await).await;
        answering_with_jobs(&mut f);
        let (cookie, csrf) = f.session(Role::Organizer);
        let organizer = suiji_store::audit::Actor { name: "organizer".into(), role: "organizer".into() };
        let def = suiji_domain::workflow::TaskDefinition {
            title: "后台抽取测试".into(),
            ..suiji_store::testing::task("劳动保障监察大队", SizeSpec::Count(1))
        };
        let t = wf::save_task(&f.store, None, &wf::Filing::default(), &def, &organizer, None).await.unwrap();
        let step = |path: String, extra: &'static str| {
            let f = &f;
            async move {
                let body = format!("csrf={csrf}{extra}");
                let (status, headers, page) = f.post_form(&path, Some(cookie), &body).await;
                assert_eq!(status, StatusCode::SEE_OTHER, "{path}: {page}");
                let location = headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
                let job = follow(f, cookie, &location).await;
                let (status, _, page) = f.get(&location, Some(cookie)).await;
                assert_eq!(status, StatusCode::OK);
                (job, page)
            }
        };

        let (job, page) = step(format!("/staff/tasks/{}/publish", t.id), "").await;
        assert_eq!((job["kind"].as_str(), job["state"].as_str()), (Some("publish"), Some("done")), "{job}");
        assert_eq!(job["link"], format!("/staff/tasks/{}", t.id));
        assert!(page.contains(&format!("公布任务：{} 后台抽取测试", t.code)), "{page}");
        assert!(page.contains("任务已公布") && page.contains("查看任务"), "{page}");
        assert_eq!(wf::task(&f.store, t.id).await.unwrap().status.code(), "published");

        // Refused: the job ends not done, and its page says why; nothing changed.
        let (job, page) = step(format!("/staff/tasks/{}/publish", t.id), "").await;
        assert_eq!(job["state"], "failed", "{job}");
        assert_eq!(job["outcome"]["status"], 409, "{job}");
        assert!(page.contains("任务已公布（未写入任何内容）"), "{page}");

        let (job, page) = step(format!("/staff/tasks/{}/draw", t.id), "&source=system").await;
        assert_eq!((job["kind"].as_str(), job["state"].as_str()), (Some("draw"), Some("done")), "{job}");
        assert_eq!(job["link"], format!("/staff/tasks/{}/draw", t.id));
        assert!(page.contains("已抽取") && page.contains("查看抽取结果"), "{page}");

        let (job, page) = step(format!("/staff/tasks/{}/teams", t.id), "").await;
        assert_eq!((job["kind"].as_str(), job["state"].as_str()), (Some("assign"), Some("done")), "{job}");
        assert!(page.contains("检查组已选派") && page.contains("查看检查组"), "{page}");
        assert_eq!(wf::inspections_of_task(&f.store, t.id).await.unwrap().len(), 1);

        // In English, the same page in English.
        let (_, _, page) = f.get("/staff?lang=en", Some(cookie)).await;
        assert!(page.contains("My background jobs") && page.contains("Assign the teams at random"), "{page}");
        let (_, _, page) = f.get("/staff", Some(cookie)).await;
        assert!(
            page.contains("我的后台任务") && page.contains("随机选派检查组：") && page.contains("已完成"),
            "{page}"
        );
        // The inspector has no jobs: no such section.
        let (inspector, _) = f.session(Role::Inspector);
        assert!(!f.get("/staff", Some(inspector)).await.2.contains("我的后台任务"));
    }
}

#[tokio::test]
async fn exports_and_templates_download() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, _) = f.session(Role::Inspector);
        let (status, headers, body) = f.get("/staff/targets/export?format=csv", Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{}", db.backend);
        assert!(
            headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("filename*=UTF-8''")
        );
        assert!(body.starts_with("\u{feff}统一社会信用代码,名称"), "{body}");
        assert!(body.contains("偃师乙公司"));
        let (status, headers, _) = f.get("/staff/items/template?format=xlsx", Some(cookie)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().contains("spreadsheetml"));
    }
}

#[tokio::test]
async fn the_api_saves_retires_and_imports_with_json_errors() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let token = f.token("organizer").await;
        let call = |method: &str, path: &str, body: Vec<u8>| common::bearer(&token, method, path, body);
        let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();

        let (status, _, body) = f
            .send(call(
                "POST",
                "/api/v1/items",
                r#"{"code": "rs-100", "name": "API 新增事项", "category": "一般"}"#.as_bytes().to_vec(),
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.backend);
        assert_eq!(json(&body)["key"], "RS-100");
        assert_eq!(json(&body)["added"], 1);
        let (status, _, body) = f
            .send(call(
                "POST",
                "/api/v1/items",
                r#"{"code": "RS-101", "name": "x", "category": "特别"}"#.as_bytes().to_vec(),
            ))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let refused = json(&body);
        assert_eq!(refused["field"], "category", "{body}");
        assert_eq!(refused["problems"].as_array().unwrap().len(), 1);
        let (status, _, body) = f.send(call("POST", "/api/v1/items", br#"{"colour": "red"}"#.to_vec())).await;
        assert_eq!((status, json(&body)["field"].clone()), (StatusCode::BAD_REQUEST, "colour".into()));
        let (status, _, _) = f.send(call("POST", "/api/v1/items", b"not json".to_vec())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let (status, _, body) = f.send(call("POST", "/api/v1/items/RS-100/retire", Vec::new())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, _, body) = f.send(call("GET", "/api/v1/items/RS-100", Vec::new())).await;
        assert_eq!(json(&body)["record"]["status"], "废止", "{body}");
        let (status, _, _) = f.send(call("POST", "/api/v1/items/NOPE/retire", Vec::new())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let csv = format!("统一社会信用代码,名称\n{},接口导入公司\n", uscc(300));
        let (status, _, body) =
            f.send(call("POST", "/api/v1/targets/import?name=t.csv", csv.into_bytes())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(json(&body)["added"], 1);
        let bad = "统一社会信用代码,名称\n123,坏\n";
        let (status, _, body) =
            f.send(call("POST", "/api/v1/targets/import?name=t.csv", bad.as_bytes().to_vec())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(&body)["problems"][0]["row"], 2, "{body}");
        let (status, _, body) = f.send(call("POST", "/api/v1/targets/import?name=t.txt", Vec::new())).await;
        assert_eq!((status, json(&body)["field"].clone()), (StatusCode::BAD_REQUEST, "name".into()));

        // A unit's token changes only its own department's items: another's is refused with
        // the column at fault, its own is added.
        let unit_token = f.token("unit").await;
        let item = |subject: &str| {
            Request::post("/api/v1/items")
                .header(header::AUTHORIZATION, format!("Bearer {unit_token}"))
                .body(Body::from(format!(
                    r#"{{"code": "RS-102", "name": "x", "category": "一般", "subject": "{subject}"}}"#
                )))
                .unwrap()
        };
        let (status, _, body) = f.send(item("劳动保障监察大队")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(json(&body)["field"], "subject", "{body}");
        let (status, _, body) = f.send(item("社会保险科")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(suiji_store::audit::verify(&f.store).await.unwrap().is_ok());
    }
}

#[tokio::test]
async fn an_administrator_adds_accounts_and_issues_and_revokes_tokens() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, csrf) = f.session(Role::Admin);
        let add = |username: &str, password: &str| {
            form(&[
                ("csrf", csrf),
                ("username", username),
                ("display_name", "新同事"),
                ("role", "inspector"),
                ("department", "劳动保障监察大队"),
                ("password", password),
            ])
        };
        let (status, _, page) =
            f.post_form("/staff/users", Some(cookie), &add("new.inspector", "a long enough one")).await;
        assert_eq!(status, StatusCode::OK, "{}: {page}", db.backend);
        assert!(page.contains("已新增 new.inspector"));
        let (status, _, page) = f.post_form("/staff/users", Some(cookie), &add("short.pw", "short")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("密码至少 10 个字符"), "{page}");

        let (status, _, page) = f
            .post_form(
                "/staff/tokens",
                Some(cookie),
                &form(&[("csrf", csrf), ("username", "new.inspector"), ("name", "巡检终端")]),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let token = page.split("id=\"token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
        assert!(token.starts_with("suiji_"), "{page}");
        let me = Request::get("/api/v1/me")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = f.send(me).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("\"role\":\"inspector\""), "{body}");
        let listed = suiji_store::accounts::tokens(&f.store).await.unwrap();
        let (status, _, _) = f
            .post_form(
                &format!("/staff/tokens/{}/revoke", listed[0].id),
                Some(cookie),
                &form(&[("csrf", csrf)]),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let me = Request::get("/api/v1/me")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(f.send(me).await.0, StatusCode::UNAUTHORIZED, "{}", db.backend);
        let actions: Vec<String> = suiji_store::audit::latest(&f.store, None, 3)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["token.revoke", "token.issue", "user.add"]);
    }
}

/// 整改与复查 in the browser's forms: a published result that orders rectification is listed;
/// the organizer schedules a follow-up by the same team; the team's follow-up page asks what it
/// found; found not rectified, the organizer extends the deadline once, then refers the case,
/// which closes it.
#[tokio::test]
async fn rectifications_are_followed_up_from_the_pages() {
    use suiji_store::workflow as wf;
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let (cookie, csrf) = f.session(Role::Organizer);
        let i = wf::inspection(&f.store, 1).await.unwrap();
        let lead = i.members[0].0.clone();
        let today = wf::china_today();
        let mut entered: suiji_domain::workflow::InspectionForm = serde_json::from_value(serde_json::json!({
            "started_on": "2026-06-10", "ended_on": "2026-06-10",
            "items": [{"item": "RS-001", "verdict": "non_compliant", "basis": "《保障农民工工资支付条例》第十一条"}],
            "findings": "拖欠2名农民工5月工资", "conclusion": "corrected",
            "handling": {"rectify_by": today.to_string()},
            "signed": true, "summary": "已责令限期支付。"
        }))
        .unwrap();
        let inspector = suiji_store::audit::Actor::user("inspector", Role::Inspector);
        wf::save_form(&f.store, 1, &entered, Some(&lead), &inspector).await.unwrap();
        wf::publish_result(&f.store, 1, Some(&lead), &inspector).await.unwrap();

        let (_, _, list) = f.get("/staff/rectifications?status=due", Some(cookie)).await;
        assert!(list.contains("href=\"/staff/rectifications/1\"") && list.contains("七日内到期"), "{list}");
        let (_, _, bench) = f.get("/staff", Some(cookie)).await;
        assert!(bench.contains("id=\"wb-rectifications\"") && bench.contains("整改中 1"), "{bench}");
        let (_, _, page) = f.get("/staff/rectifications/1", Some(cookie)).await;
        assert!(page.contains("id=\"schedule-follow-up\"") && !page.contains("id=\"extend\""), "{page}");
        let (inspector_cookie, _) = f.session(Role::Inspector);
        let (_, _, seen) = f.get("/staff/rectifications/1", Some(inspector_cookie)).await;
        assert!(!seen.contains("id=\"schedule-follow-up\""), "the team sees, the organizer acts");

        let (status, _, _) = f
            .post_form(
                "/staff/rectifications/1/follow-up",
                Some(cookie),
                &form(&[("csrf", csrf), ("team", "same")]),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let r = wf::rectification(&f.store, 1).await.unwrap();
        let follow_up = r.pending_follow_up().unwrap().inspection_id;
        let (_, _, page) = f.get(&format!("/staff/inspections/{follow_up}"), Some(inspector_cookie)).await;
        assert!(
            page.contains("整改复查")
                && page.contains("id=\"follow-up\"")
                && page.contains("name=\"follow_up\""),
            "{page}"
        );

        entered.started_on = today;
        entered.ended_on = today;
        entered.handling = Default::default();
        entered.conclusion = suiji_domain::workflow::Conclusion::PendingHandling;
        entered.follow_up = Some(suiji_domain::workflow::FollowUpOutcome::NotRectified);
        wf::save_form(&f.store, follow_up, &entered, Some(&lead), &inspector).await.unwrap();
        wf::publish_result(&f.store, follow_up, Some(&lead), &inspector).await.unwrap();
        let (_, _, page) = f.get("/staff/rectifications/1", Some(cookie)).await;
        assert!(
            page.contains("id=\"extend\"") && page.contains("id=\"escalate\"") && page.contains("未整改"),
            "{page}"
        );
        // Its 复查意见书: the order, the follow-up and what it found, for the firm to sign for.
        let opinion = format!("/staff/inspections/{follow_up}/follow-up-opinion");
        let (status, _, paper) = f.get(&opinion, Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{paper}");
        assert!(
            paper.contains("复查意见书")
                && paper.contains("你单位未按要求改正")
                && paper.contains("送达回证"),
            "{paper}"
        );
        let (status, _, _) = f.get("/staff/inspections/1/follow-up-opinion", Some(cookie)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "not a follow-up");

        let until = (today + chrono::Duration::days(20)).to_string();
        let (status, _, _) = f
            .post_form(
                "/staff/rectifications/1/extend",
                Some(cookie),
                &form(&[("csrf", csrf), ("until", &until), ("reason", "企业申请延期")]),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _, page) = f
            .post_form(
                "/staff/rectifications/1/extend",
                Some(cookie),
                &form(&[("csrf", csrf), ("until", &until), ("reason", "再延")]),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "once only");
        assert!(page.contains("整改期限只能延长一次"), "{page}");
        let (status, _, _) = f
            .post_form(
                "/staff/rectifications/1/escalate",
                Some(cookie),
                &form(&[("csrf", csrf), ("kind", "referral"), ("note", "移送县市场监管局")]),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, _, page) = f.get("/staff/rectifications/1", Some(cookie)).await;
        assert!(page.contains("移送县市场监管局") && page.contains("办结时间"), "{page}");
        let (_, _, closed) = f.get("/staff/rectifications?status=closed", Some(cookie)).await;
        assert!(closed.contains("href=\"/staff/rectifications/1\""));
    }
}
