//! The workflow through `/api/v1`, on SQLite and (with SUIJI_TEST_PG) PostgreSQL: a task made,
//! published, drawn and assigned by the organizer; its result entered, given evidence and
//! published by a member of its team; found on the public API — and each refusal as JSON.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::Fixture;
use serde_json::{Value, json};
use suiji_domain::access::Role;
use suiji_store::testing::databases;

async fn call(f: &Fixture, role: Role, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let (cookie, csrf) = f.session(role);
    let mut r = Request::builder().method(method).uri(path).header(header::COOKIE, cookie);
    if method == "POST" {
        r = r.header("x-csrf-token", csrf).header(header::CONTENT_TYPE, "application/json");
    }
    let body = if body.is_null() { Body::empty() } else { Body::from(body.to_string()) };
    let (status, _, text) = f.send(r.body(body).unwrap()).await;
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}")))
}

fn task(team: u32) -> Value {
    json!({
        "definition": {
            "title": "工资支付专项复查",
            "items": ["RS-001"],
            "departments": ["劳动保障监察大队"],
            "size": {"count": 1},
            "window_start": "2026-07-01",
            "window_end": "2026-07-31",
            "method": "on-site",
            "team": {"size": team}
        }
    })
}

#[tokio::test]
async fn the_workflow_through_the_api() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        use Role::{Inspector, Organizer, Supervisor, Unit};
        // Another department's system takes every public event; it fails twice first.
        let receiver = Receiver::start().await;
        let admin = suiji_store::audit::Actor::user("admin", Role::Admin);
        let url = format!("http://{}/hook", receiver.addr);
        suiji_store::push::add_receiver(&f.store, "市场监管局", Some(&url), SECRET, &[], &admin)
            .await
            .unwrap();

        // A team of one is refused, field by field, and nothing is made.
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/tasks", task(1)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{who}: {e}");
        assert_eq!(e["field"], "team");
        assert_eq!(e["problems"][0]["field"], "team");
        let (status, e) =
            call(&f, Organizer, "POST", "/api/v1/tasks", json!({"definition": {"title": 1}})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");

        let (status, t) = call(&f, Organizer, "POST", "/api/v1/tasks", task(2)).await;
        assert_eq!(status, StatusCode::OK, "{who}: {t}");
        assert_eq!(t["code"], "T-2026-002");
        let id = t["id"].as_i64().unwrap();
        let (_, preview) =
            call(&f, Organizer, "GET", &format!("/api/v1/tasks/{id}/preview"), Value::Null).await;
        assert_eq!(
            (preview["eligible"].as_u64(), preview["drawn"].as_u64()),
            (Some(2), Some(1)),
            "{preview}"
        );
        let (status, t) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/publish"), Value::Null).await;
        assert_eq!((status, t["status"].as_str()), (StatusCode::OK, Some("published")), "{t}");
        assert_eq!(t["population_sha256"].as_str().unwrap().len(), 64);

        // The draw: too few digits refused; then drawn, and only once.
        let few = json!({"contributions": [{"name": "见证人", "digits": "123"}]});
        let (status, e) = call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/draw"), few).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("contributions")),
            "{e}"
        );
        let digits = json!({"contributions": [{"name": "见证人甲", "digits": "0123456789"}, {"name": "见证人乙", "digits": "9876543210"}]});
        let (status, d) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/draw"), digits.clone()).await;
        assert_eq!(status, StatusCode::OK, "{d}");
        assert_eq!(d["seed"], "01234567899876543210/T-2026-002");
        let drawn = d["document"]["selected"][0]["id"].as_str().unwrap().to_owned();
        let (status, _) = call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/draw"), digits).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = call(&f, Unit, "POST", &format!("/api/v1/tasks/{id}/teams"), Value::Null).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a business unit does not assign teams");
        let (status, a) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/teams"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{a}");
        let inspection = a["teams"][0]["inspection_id"].as_i64().unwrap();
        // The window is past: the portal lists the new inspection as overdue at once (the list
        // kept between requests is read again after any audited change).
        let overdue =
            |page: &str| page.split("逾期未公示（").nth(1).map(|c| c.split('）').next().unwrap().to_owned());
        let (_, _, page) = f.get("/public/results", None).await;
        assert_eq!(overdue(&page).as_deref(), Some("2"), "the fixture's and this one: {page}");

        // The inspector (on the team) enters, adds evidence and publishes.
        let (_, mine) = call(&f, Inspector, "GET", "/api/v1/inspections", Value::Null).await;
        assert!(mine["mine"].as_array().unwrap().iter().any(|i| i["id"] == inspection), "{mine}");
        let form = json!({
            "started_on": "2026-07-06", "ended_on": "2026-07-06",
            "items": [{"item": "RS-001", "verdict": "non_compliant", "basis": "《保障农民工工资支付条例》第十一条"}],
            "findings": "拖欠2名农民工5月工资", "conclusion": "corrected",
            "handling": {"rectify_by": "2026-07-20"},
            "signed": true, "summary": "已责令限期支付。"
        });
        let path = format!("/api/v1/inspections/{inspection}");
        let (status, _) = call(&f, Unit, "POST", &path, form.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let mut bad = form.clone();
        bad["conclusion"] = json!("no_problem");
        let (status, e) = call(&f, Inspector, "POST", &path, bad).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("conclusion")),
            "{e}"
        );
        // Dates lie in the task's window (later only with a reason) and never after today.
        for (field, started, ended) in [
            ("started_on", "2026-06-30", "2026-07-06"),
            ("ended_on", "2026-07-06", "2099-01-01"),
            ("extension_reason", "2026-07-30", "2026-08-03"),
        ] {
            let mut dated = form.clone();
            dated["started_on"] = json!(started);
            dated["ended_on"] = json!(ended);
            dated["handling"]["rectify_by"] = json!("2099-12-31");
            let (status, e) = call(&f, Inspector, "POST", &path, dated).await;
            assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{e}");
        }
        let (status, i) = call(&f, Inspector, "POST", &path, form.clone()).await;
        assert_eq!((status, i["status"].as_str()), (StatusCode::OK, Some("entered")), "{i}");

        // Where the bureau requires it, the organizer approves before the team publishes.
        let admin = suiji_store::audit::Actor::user("admin", Role::Admin);
        suiji_store::settings::set(&f.store, &[("approve_results".into(), "true".into())], &admin)
            .await
            .unwrap();
        let (status, e) = call(&f, Inspector, "POST", &format!("{path}/publish"), Value::Null).await;
        assert_eq!(status, StatusCode::CONFLICT, "not approved yet: {e}");
        let (status, _) = call(&f, Inspector, "POST", &format!("{path}/approve"), Value::Null).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a team member does not approve");
        let (status, i) = call(&f, Organizer, "POST", &format!("{path}/approve"), Value::Null).await;
        assert_eq!((status, i["approved_by"].as_str()), (StatusCode::OK, Some("organizer")), "{i}");
        let (status, _) = call(&f, Organizer, "POST", &format!("{path}/approve"), Value::Null).await;
        assert_eq!(status, StatusCode::CONFLICT, "approved once");
        let (cookie, csrf) = f.session(Inspector);
        let upload = Request::post(format!("{path}/evidence?name=%E7%8E%B0%E5%9C%BA.jpg"))
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf)
            .header(header::CONTENT_TYPE, "image/jpeg")
            .body(Body::from(vec![0xff, 0xd8, 0xff]))
            .unwrap();
        let (status, _, e) = f.send(upload).await;
        assert_eq!(status, StatusCode::OK, "{e}");
        assert!(e.contains("\"file_name\":\"现场.jpg\""), "{e}");
        let (status, i) = call(&f, Inspector, "POST", &format!("{path}/publish"), Value::Null).await;
        assert_eq!((status, i["status"].as_str()), (StatusCode::OK, Some("published")), "{i}");

        let (_, _, page) = f.get("/public/results", None).await;
        assert_eq!(overdue(&page).as_deref(), Some("1"), "published, so no longer overdue");
        assert!(page.contains(&drawn), "but among the results");
        // Anyone finds it, without the findings; the draw can no longer be annulled.
        let (_, found) =
            call(&f, Unit, "GET", &format!("/api/v1/public/results?q={drawn}"), Value::Null).await;
        let results = found["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "{found}");
        assert_eq!(results[0]["content"]["conclusion"], "发现问题已责令改正");
        assert!(!found.to_string().contains("拖欠"), "findings are not public");
        // The team corrects the published notice: a second version with its reason.
        let mut amended = form.clone();
        amended["public_note"] = json!("逾期未支付的，将依法立案查处。");
        let (status, i) = call(
            &f,
            Inspector,
            "POST",
            &format!("{path}/correct"),
            json!({"form": amended, "reason": "补充公示说明"}),
        )
        .await;
        assert_eq!((status, i["publications"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)), "{i}");
        let draw_id = d["id"].as_i64().unwrap();
        let (status, _) =
            call(&f, Organizer, "POST", &format!("/api/v1/draws/{draw_id}/annul"), json!({"reason": "重抽"}))
                .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // The result ordered rectification by 2026-07-20: a rectification, overdue at once.
        let (status, e) =
            call(&f, Organizer, "GET", "/api/v1/rectifications?status=someday", Value::Null).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        let (status, list) =
            call(&f, Inspector, "GET", "/api/v1/rectifications?status=overdue", Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let list = list["rectifications"].as_array().unwrap().clone();
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(
            (list[0]["inspection_id"].clone(), list[0]["deadline"].clone()),
            (json!(inspection), json!("2026-07-20"))
        );
        let rect = format!("/api/v1/rectifications/{}", list[0]["id"]);
        let (status, _) = call(&f, Inspector, "POST", &format!("{rect}/follow-up"), Value::Null).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the organizer schedules follow-ups");
        let (status, r) = call(&f, Organizer, "POST", &format!("{rect}/follow-up"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        let follow_up = r["follow_ups"][0]["inspection_id"].as_i64().unwrap();
        let (status, e) =
            call(&f, Organizer, "POST", &format!("{rect}/follow-up"), json!({"draw_team": true})).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("follow_up")),
            "one at a time: {e}"
        );
        // The team finds it rectified: entered and published like any result, which closes it.
        let today = suiji_store::workflow::china_today().to_string();
        let mut check = form.clone();
        check["started_on"] = json!(today);
        check["ended_on"] = json!(today);
        check["follow_up"] = json!("rectified");
        check["handling"] = json!({});
        check["conclusion"] = json!("no_problem");
        check["items"][0]["verdict"] = json!("compliant");
        let fpath = format!("/api/v1/inspections/{follow_up}");
        let (status, i) = call(&f, Inspector, "POST", &fpath, check).await;
        assert_eq!((status, i["follow_up_of"].clone()), (StatusCode::OK, list[0]["id"].clone()), "{i}");
        let (status, i) = call(&f, Organizer, "POST", &format!("{fpath}/approve"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{i}");
        let (status, i) = call(&f, Inspector, "POST", &format!("{fpath}/publish"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{i}");
        assert_eq!(i["publications"][0]["content"]["follow_up"], "复查：已整改");
        let (_, r) = call(&f, Organizer, "GET", &rect, Value::Null).await;
        assert_eq!(r["status"], "rectified", "{r}");
        let (_, closed) =
            call(&f, Organizer, "GET", "/api/v1/rectifications?status=closed", Value::Null).await;
        assert_eq!(closed["rectifications"].as_array().unwrap().len(), 1);
        let (status, e) = call(
            &f,
            Organizer,
            "POST",
            &format!("{rect}/extend"),
            json!({"until": "2027-01-31", "reason": "申请"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "closed: {e}");
        let (status, e) =
            call(&f, Organizer, "POST", &format!("{rect}/escalate"), json!({"kind": "arrest", "note": "x"}))
                .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");

        // 行政处罚: recorded against the inspection after its result was published, due 7
        // working days after the decision, published as its own notice and corrected.
        let today = suiji_store::workflow::china_today();
        let decision = json!({
            "procedure": "general", "decision_no": "偃人社监罚〔2026〕7号",
            "decided_on": today.to_string(),
            "facts": "拖欠2名农民工5月工资，经责令限期支付逾期未支付。",
            "basis": "《保障农民工工资支付条例》第五十七条", "penalty": "罚款人民币1万元"
        });
        let penalties = format!("/api/v1/inspections/{inspection}/penalties");
        let (status, _) = call(&f, Inspector, "POST", &penalties, decision.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the organizer records penalties");
        let mut bad = decision.clone();
        bad["basis"] = json!("");
        let (status, e) = call(&f, Organizer, "POST", &penalties, bad).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("basis")), "{e}");
        let mut bad = decision.clone();
        bad["procedure"] = json!("secret");
        let (status, e) = call(&f, Organizer, "POST", &penalties, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        let (status, p) = call(&f, Organizer, "POST", &penalties, decision.clone()).await;
        assert_eq!((status, p["standing"].as_str()), (StatusCode::OK, Some("due")), "{p}");
        let penalty = format!("/api/v1/penalties/{}", p["id"]);
        let (_, due) = call(&f, Supervisor, "GET", "/api/v1/penalties?status=due", Value::Null).await;
        assert_eq!(due["penalties"].as_array().unwrap().len(), 1, "{due}");
        let (status, p) = call(&f, Organizer, "POST", &format!("{penalty}/publish"), Value::Null).await;
        assert_eq!((status, p["standing"].as_str()), (StatusCode::OK, Some("published")), "{p}");
        assert_eq!(p["notices"][0]["late"], false);
        let (status, e) = call(&f, Organizer, "POST", &format!("{penalty}/publish"), Value::Null).await;
        assert_eq!(status, StatusCode::CONFLICT, "{e}");
        let mut fixed = decision.clone();
        fixed["penalty"] = json!("罚款人民币8000元");
        let (status, e) =
            call(&f, Organizer, "POST", &format!("{penalty}/correct"), json!({"decision": fixed})).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")), "{e}");
        let (status, p) = call(
            &f,
            Organizer,
            "POST",
            &format!("{penalty}/correct"),
            json!({"decision": fixed, "reason": "罚款金额笔误"}),
        )
        .await;
        assert_eq!((status, p["notices"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)), "{p}");
        let (status, public) = call(&f, Unit, "GET", "/api/v1/public/penalties", Value::Null).await;
        assert_eq!(status, StatusCode::OK);
        let notices = public["notices"].as_array().unwrap();
        assert_eq!(
            (notices[0]["status"].as_str(), notices[0]["content"]["penalty"].as_str()),
            (Some("current"), Some("罚款人民币8000元")),
            "{public}"
        );
        assert_eq!(notices[1]["status"], "corrected");
        let (_, _, page) = f.get("/public/penalties", None).await;
        assert!(page.contains("偃人社监罚〔2026〕7号") && page.contains("罚款金额笔误"), "{page}");
        // The firm's dossier: for staff every record, for the public what the portal shows.
        let (status, d) =
            call(&f, Inspector, "GET", &format!("/api/v1/targets/{drawn}/dossier"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{d}");
        let kinds: Vec<&str> =
            d["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        for kind in [
            "drawn",
            "inspected",
            "result_published",
            "result_corrected",
            "rectification_ordered",
            "follow_up",
            "penalty_corrected",
        ] {
            assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
        }
        let (status, public) =
            call(&f, Unit, "GET", &format!("/api/v1/public/targets/{drawn}/dossier"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{public}");
        assert!(public["events"].as_array().unwrap().iter().all(|e| e["public"] == true), "{public}");
        assert!(!public.to_string().contains("/staff/"), "public links only: {public}");
        let (status, e) =
            call(&f, Unit, "GET", "/api/v1/public/targets/91410000000000000X/dossier", Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{e}");
        let (cookie, _) = f.session(Supervisor);
        let (status, _, page) = f.get(&format!("/staff/targets/{drawn}/dossier"), Some(cookie)).await;
        assert!(
            status == StatusCode::OK && page.contains("罚款金额笔误") && page.contains("id=\"dossier-xlsx\"")
        );
        let (status, _, printed) =
            f.get(&format!("/staff/targets/{drawn}/dossier/print"), Some(cookie)).await;
        assert!(
            status == StatusCode::OK && printed.contains("诚信档案") && printed.contains(&drawn),
            "{printed}"
        );
        let (status, bytes) = f.download(&format!("/staff/targets/{drawn}/dossier.xlsx"), cookie).await;
        assert_eq!(status, StatusCode::OK);
        let book = suiji_sheets::read("dossier.xlsx", &bytes, None).unwrap();
        let rows: Vec<Vec<String>> =
            book.rows.iter().map(|r| r.cells().map(str::to_owned).collect()).collect();
        assert_eq!(rows[0], ["日期", "事项", "内容", "是否公开"]);
        assert!(rows.iter().any(|r| r[1] == "处罚更正" && r[2].contains("罚款金额笔误")), "{rows:?}");
        let (_, _, page) = f.get(&format!("/public/targets/{drawn}/dossier"), None).await;
        assert!(page.contains("行政处罚决定公示") && !page.contains("/staff/"), "{page}");

        // The firm's inspection ledger (检查台账): this task's visit, done, and the follow-up of
        // its rectification, exempt by nature; both count toward the limit of visits.
        let ledger = format!("/api/v1/targets/{drawn}/inspections");
        let (status, l) = call(&f, Inspector, "GET", &format!("{ledger}?year=2026"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{l}");
        let visits = l["visits"].as_array().unwrap();
        assert!(
            visits.iter().any(|v| v["task_id"] == id
                && v["kind"] == "random"
                && v["done"] == true
                && v["on"] == "2026-07-06"
                && v["department"].is_string()),
            "{l}"
        );
        assert!(visits.iter().any(|v| v["kind"] == "follow_up" && v["exemption"] == "follow_up"), "{l}");
        assert_eq!(l["count"]["visits"].as_u64(), Some(visits.len() as u64), "{l}");
        assert_eq!(l["limits"]["random"], 2);
        for (query, field) in [("?year=1999", "year"), ("?year=abc", "year"), ("?colour=red", "colour")] {
            let (status, e) = call(&f, Inspector, "GET", &format!("{ledger}{query}"), Value::Null).await;
            assert_eq!((status, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{query}: {e}");
        }
        let (status, e) =
            call(&f, Inspector, "GET", "/api/v1/targets/91410000000000000X/inspections", Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{e}");
        let (status, _, page) =
            f.get(&format!("/staff/targets/{drawn}/inspections?year=2026"), Some(cookie)).await;
        assert!(status == StatusCode::OK && page.contains("检查台账") && page.contains("整改复查"), "{page}");

        // The public lists: the firm told it is to be listed for wage arrears, listed once it
        // has stated its case, then its credit repaired; the portal shows both, and the feed.
        let penalty_id = p["id"].as_i64().unwrap();
        let propose = format!("/api/v1/penalties/{penalty_id}/lists");
        let (status, e) =
            call(&f, Organizer, "POST", &propose, json!({"list": "wage_arrears", "kinds": ["wages"]})).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kinds")), "{e}");
        let (status, w) = call(
            &f,
            Organizer,
            "POST",
            &propose,
            json!({"list": "wage_arrears", "kinds": ["arrears_criminal_amount"]}),
        )
        .await;
        assert_eq!((status, w["status"].as_str()), (StatusCode::OK, Some("proposed")), "{w}");
        let entry = format!("/api/v1/lists/{}", w["id"]);
        let (status, e) = call(&f, Organizer, "POST", &format!("{entry}/decide"), Value::Null).await;
        assert_eq!(status, StatusCode::CONFLICT, "told first: {e}");
        let (status, w) = call(
            &f,
            Organizer,
            "POST",
            &format!("{entry}/notify"),
            json!({"notified_on": today.to_string()}),
        )
        .await;
        assert_eq!((status, w["status"].as_str()), (StatusCode::OK, Some("notified")), "{w}");
        let (status, w) = call(
            &f,
            Organizer,
            "POST",
            &format!("{entry}/decide"),
            json!({"statement": "当事人未提出异议材料。"}),
        )
        .await;
        assert_eq!((status, w["status"].as_str()), (StatusCode::OK, Some("listed")), "{w}");
        let (status, listed) = call(&f, Unit, "GET", "/api/v1/public/lists/wage-arrears", Value::Null).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed["entries"][0]["uscc"], drawn.as_str(), "{listed}");
        let (status, e) =
            call(&f, Organizer, "POST", &format!("{entry}/repair"), json!({"reason": ""})).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")), "{e}");
        let (status, _) =
            call(&f, Organizer, "POST", &format!("{entry}/repair"), json!({"reason": "已足额支付拖欠工资"}))
                .await;
        assert_eq!(status, StatusCode::OK);
        let (_, listed) = call(&f, Unit, "GET", "/api/v1/public/lists/wage-arrears", Value::Null).await;
        assert!(listed["entries"].as_array().unwrap().is_empty(), "{listed}");
        assert_eq!(listed["exits"][0]["removal_reason"], "已足额支付拖欠工资");
        let (_, _, page) = f.get("/public/lists/wage-arrears", None).await;
        assert!(page.contains("已足额支付拖欠工资") && page.contains("信用修复"), "{page}");
        let (_, _, csv) = f.get("/public/lists/wage-arrears.csv", None).await;
        assert!(csv.contains("已移出") && csv.contains(&drawn), "{csv}");
        let (_, _, feed) = f.get("/public/feed.atom", None).await;
        assert!(
            feed.contains("移出拖欠农民工工资失信联合惩戒对象名单") && feed.contains("行政处罚决定公示"),
            "{feed}"
        );
        let (status, _) = call(&f, Unit, "GET", "/api/v1/public/lists/major-violations", Value::Null).await;
        assert_eq!(status, StatusCode::OK);

        // 守法诚信等级评价: the year's records propose a grade for the firm, with its reasons.
        let (status, _) =
            call(&f, Inspector, "POST", "/api/v1/credit/evaluations", json!({"year": 2026})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, e) =
            call(&f, Organizer, "POST", "/api/v1/credit/evaluations", json!({"year": "2026年"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        let (status, e) =
            call(&f, Organizer, "POST", "/api/v1/credit/evaluations", json!({"year": 2026})).await;
        assert_eq!(status, StatusCode::OK, "{e}");
        let evaluation = format!("/api/v1/credit/evaluations/{}", e["id"]);
        let firm =
            e["proposals"].as_array().unwrap().iter().find(|p| p["uscc"] == drawn.as_str()).unwrap().clone();
        // Listed for wage arrears this year: C, with that reason.
        assert_eq!(
            (firm["proposed_grade"].as_str(), firm["grade"].as_str()),
            (Some("C"), Some("C")),
            "{firm}"
        );
        assert!(firm["reasons"][0]["zh"].as_str().unwrap().contains("重大劳动保障违法行为"), "{firm}");
        let (status, e) = call(
            &f,
            Organizer,
            "POST",
            &format!("{evaluation}/adjust"),
            json!({"uscc": drawn, "grade": "D", "reason": "x"}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        let (status, e) = call(
            &f,
            Organizer,
            "POST",
            &format!("{evaluation}/adjust"),
            json!({"uscc": drawn, "grade": "A"}),
        )
        .await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")), "{e}");
        let (status, _) = call(
            &f,
            Organizer,
            "POST",
            &format!("{evaluation}/adjust"),
            json!({"uscc": drawn, "grade": "B", "reason": "已足额支付工资并提前移出失信名单"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, e) = call(&f, Organizer, "POST", &format!("{evaluation}/confirm"), Value::Null).await;
        assert_eq!((status, e["status"].as_str()), (StatusCode::OK, Some("confirmed")), "{e}");
        let (_, d) =
            call(&f, Supervisor, "GET", &format!("/api/v1/targets/{drawn}/dossier"), Value::Null).await;
        assert_eq!(d["target"]["credit_grade"], "B", "{d}");
        assert!(d["events"].as_array().unwrap().iter().any(|e| e["kind"] == "grade"), "{d}");
        let (cookie, _) = f.session(Supervisor);
        let id = e["id"].as_i64().unwrap();
        let (status, _, notices) =
            f.get(&format!("/staff/credit/evaluations/{id}/notices"), Some(cookie)).await;
        assert!(
            status == StatusCode::OK
                && notices.contains("守法诚信等级评价结果告知书")
                && notices.contains(&drawn)
        );

        // A published result is not withheld afterwards.
        let (status, e) = call(
            &f,
            Organizer,
            "POST",
            &format!("/api/v1/inspections/{inspection}/withhold"),
            json!({"basis": "《政府信息公开条例》第十五条"}),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{e}");

        // A published plan is not changed; a draft one is.
        let plan = json!({"year": 2027, "department": "劳动保障监察大队", "title": "2027年度抽查计划"});
        let (status, _) = call(&f, Organizer, "POST", "/api/v1/plans/1", plan.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT, "plan 1 is published");
        let (status, p) = call(&f, Organizer, "POST", "/api/v1/plans", plan).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        let changed =
            json!({"year": 2027, "department": "劳动保障监察大队", "title": "2027年度双随机抽查计划"});
        let (status, p) = call(&f, Organizer, "POST", &format!("/api/v1/plans/{}", p["id"]), changed).await;
        assert_eq!((status, p["title"].as_str()), (StatusCode::OK, Some("2027年度双随机抽查计划")), "{p}");
        let (status, e) = call(&f, Organizer, "GET", "/api/v1/tasks/999", Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{e}");
        assert!(e["error"].as_str().unwrap().contains("999"));

        // A draft is deleted (and logged); a published task is not; the code is not reused
        // while a later one holds the next number.
        let (_, draft) = call(&f, Organizer, "POST", "/api/v1/tasks", task(2)).await;
        let draft_id = draft["id"].as_i64().unwrap();
        let (status, gone) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{draft_id}/delete"), Value::Null).await;
        assert_eq!((status, gone["deleted"].as_str()), (StatusCode::OK, draft["code"].as_str()), "{gone}");
        let (status, _) = call(&f, Organizer, "GET", &format!("/api/v1/tasks/{draft_id}"), Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{draft_id}/delete"), Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/delete"), Value::Null).await;
        assert_eq!(status, StatusCode::CONFLICT, "a published task stays");
        let logged = suiji_store::audit::latest(&f.store, None, 5).await.unwrap();
        assert!(logged.iter().any(|e| e.action == "task.delete" && e.actor == "organizer"));

        // The outbox: every public event of the walk, delivered, signed, retried after the
        // receiver's two failures; each body as docs/push-event.schema.json describes it.
        let client = suiji_web::push::client();
        let mut now = chrono::Utc::now();
        for _ in 0..10 {
            suiji_web::push::deliver_due(&f.store, &client, now).await.unwrap();
            now += chrono::Duration::minutes(5);
        }
        let log = suiji_store::push::deliveries(&f.store, None, 1000).await.unwrap();
        assert!(log.iter().all(|d| d.status == "delivered"), "{who}: {log:?}");
        let attempts: i64 = log.iter().map(|d| d.attempts).sum();
        assert_eq!(attempts, log.len() as i64 + 2, "{who}: retried after the two failures: {log:?}");
        let kinds: std::collections::BTreeSet<&str> = log.iter().map(|d| d.event_kind.as_str()).collect();
        for kind in suiji_store::push::EVENT_KINDS {
            assert!(kinds.contains(kind), "{who}: {kind} pushed: {kinds:?}");
        }
        let received = receiver.bodies.lock().unwrap().clone();
        assert_eq!(received.len(), log.len() + 2, "each delivered once, after two refusals");
        assert!(receiver.bad_signatures.load(std::sync::atomic::Ordering::SeqCst) == 0, "signed");
        let schema: Value =
            serde_json::from_str(include_str!("../../../docs/push-event.schema.json")).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for body in &received {
            let event: Value = serde_json::from_str(body).unwrap();
            let problems: Vec<String> = validator.iter_errors(&event).map(|e| e.to_string()).collect();
            assert!(problems.is_empty(), "{problems:?}: {event}");
        }
        let logged = suiji_store::audit::latest(&f.store, None, 3).await.unwrap();
        assert!(logged.iter().all(|e| e.action == "push.deliver"), "a delivered event is an audit entry");
    }
}

/// The organisation and the bureau's rules through the API: any staff member reads the tree;
/// the administrator adds, moves and renames; the public reads the rules in force and since
/// when; bad input is a 4xx with the field and changes nothing.
#[tokio::test]
async fn departments_and_rules_through_the_api() {
    use Role::{Admin, Inspector, Organizer};
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        let (status, tree) = call(&f, Inspector, "GET", "/api/v1/departments", Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{tree}");
        let names: Vec<&str> =
            tree["departments"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["人力资源和社会保障局", "劳动保障监察大队", "社会保险科"], "{who}");
        let insurance = tree["departments"][2]["id"].as_i64().unwrap();
        let new = json!({"name": "工伤保险股", "kind": "business", "parent_id": insurance});
        let (status, _) = call(&f, Organizer, "POST", "/api/v1/departments", new.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the administrator's");
        let (status, added) = call(&f, Admin, "POST", "/api/v1/departments", new.clone()).await;
        assert_eq!((status, added["depth"].as_u64()), (StatusCode::OK, Some(2)), "{added}");
        let (status, e) = call(&f, Admin, "POST", "/api/v1/departments", new).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")), "{e}");
        let (status, e) =
            call(&f, Admin, "POST", "/api/v1/departments", json!({"name": "x", "kind": "emperor"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        let id = added["id"].as_i64().unwrap();
        let moved =
            json!({"name": "工伤保险科", "kind": "business", "parent_id": tree["departments"][0]["id"]});
        let (status, d) = call(&f, Admin, "POST", &format!("/api/v1/departments/{id}"), moved).await;
        assert_eq!(
            (status, d["name"].as_str(), d["depth"].as_u64()),
            (StatusCode::OK, Some("工伤保险科"), Some(1))
        );
        let (status, _) =
            call(&f, Admin, "POST", "/api/v1/departments/999", json!({"name": "x", "kind": "business"}))
                .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The rules: changed through the settings API within range, published with their date.
        let (status, e) =
            call(&f, Admin, "POST", "/api/v1/settings", json!({"penalty_workdays": "10"})).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("penalty_workdays")),
            "{e}"
        );
        let (status, _) = call(&f, Admin, "POST", "/api/v1/settings", json!({"penalty_workdays": "5"})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, rules) = call(&f, Role::Unit, "GET", "/api/v1/public/rules", Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{rules}");
        let penalty = rules["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["setting"] == "penalty_workdays")
            .unwrap()
            .clone();
        assert_eq!(
            (penalty["value"].as_str(), penalty["default"].as_str()),
            (Some("5"), Some("7")),
            "{penalty}"
        );
        assert!(penalty["since"].is_string(), "{penalty}");
        let (_, _, page) = f.get("/public/rules", None).await;
        assert!(page.contains("行政处罚决定公示期限") && page.contains("<strong>5</strong>"), "{page}");

        // Training on an inspector's record: added by those who keep the directory, read by staff.
        let path = "/api/v1/inspectors/豫人社监0003/trainings";
        let course = json!({"course": "劳动保障监察业务培训", "held_on": "2026-05-20", "hours": 16});
        let (status, _) = call(&f, Inspector, "POST", path, course.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, e) =
            call(&f, Organizer, "POST", path, json!({"course": "x", "held_on": "2026-05-20", "hours": 0}))
                .await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("hours")), "{e}");
        let (status, _) =
            call(&f, Organizer, "POST", "/api/v1/inspectors/NOBODY/trainings", course.clone()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, added) = call(&f, Organizer, "POST", path, course).await;
        assert_eq!((status, added["hours"].as_u64()), (StatusCode::OK, Some(16)), "{added}");
        let (status, list) = call(&f, Inspector, "GET", path, Value::Null).await;
        assert_eq!((status, list["trainings"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)), "{list}");
        let (cookie, _) = f.session(Organizer);
        let (_, _, page) = f.get("/staff/inspectors/豫人社监0003", Some(cookie)).await;
        assert!(
            page.contains("培训记录")
                && page.contains("劳动保障监察业务培训")
                && page.contains("add-training")
        );
    }
}

const SECRET: &str = "a-shared-secret-of-the-bureaus";

/// A department's receiver: checks each body's signature, refuses the first two deliveries
/// with 500, keeps every body it is sent.
struct Receiver {
    addr: std::net::SocketAddr,
    bodies: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    bad_signatures: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Receiver {
    async fn start() -> Receiver {
        use hmac::{KeyInit, Mac};
        use std::sync::atomic::{AtomicUsize, Ordering};
        let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let bad_signatures = std::sync::Arc::new(AtomicUsize::new(0));
        let calls = std::sync::Arc::new(AtomicUsize::new(0));
        let (kept, bad) = (bodies.clone(), bad_signatures.clone());
        let hook = axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let (kept, bad, calls) = (kept.clone(), bad.clone(), calls.clone());
            async move {
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
                mac.update(body.as_bytes());
                let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
                let signed = headers.get("x-suiji-signature").and_then(|v| v.to_str().ok());
                let event: Value = serde_json::from_str(&body).unwrap_or_default();
                let keyed =
                    headers.get("idempotency-key").and_then(|v| v.to_str().ok()) == event["id"].as_str();
                if signed != Some(expected.as_str()) || !keyed {
                    bad.fetch_add(1, Ordering::SeqCst);
                }
                kept.lock().unwrap().push(body);
                if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                    (StatusCode::INTERNAL_SERVER_ERROR, "暂时无法接收")
                } else {
                    (StatusCode::OK, "已接收")
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, axum::Router::new().route("/hook", hook)).await });
        Receiver { addr, bodies, bad_signatures }
    }
}

/// A 业务科室 drafts its plan through the API and submits it; the 牵头科室 returns it with a
/// comment, approves the changed plan and publishes it; a department's staff reach only their
/// own department's plans; the public sees the plan without account names or comments.
#[tokio::test]
async fn a_plan_through_the_api() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        use Role::{Inspector, Organizer, Unit};
        let plan = |title: &str, department: &str| {
            json!({
                "year": 2026,
                "department": department,
                "title": title,
                "lines": [{"item": "RS-001", "expected_count": 12, "window_start": "2026-03-01",
                           "window_end": "2026-06-30", "joint_departments": ["劳动保障监察大队"]}]
            })
        };
        // Another department's plan is refused to the unit; an inspector drafts none.
        let (status, e) = call(&f, Unit, "POST", "/api/v1/plans", plan("计划", "劳动保障监察大队")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {e}");
        assert!(e["error"].as_str().unwrap().contains("社会保险科"), "{e}");
        let (status, _) = call(&f, Inspector, "POST", "/api/v1/plans", plan("计划", "社会保险科")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let bad = json!({"year": 2026, "department": "社会保险科", "title": "计划",
                         "lines": [{"item": "RS-001", "window_start": "2026-03-01", "window_end": "2026-06-30"}]});
        let (status, e) = call(&f, Unit, "POST", "/api/v1/plans", bad).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("lines[1].expected_count"))
        );

        let (status, p) =
            call(&f, Unit, "POST", "/api/v1/plans", plan("社会保险抽查计划", "社会保险科")).await;
        assert_eq!((status, p["status"].as_str()), (StatusCode::OK, Some("draft")), "{who}: {p}");
        let id = p["id"].as_i64().unwrap();
        let path = |step: &str| format!("/api/v1/plans/{id}/{step}");
        // The unit may not approve its own plan, nor the lead office publish it unapproved.
        let (status, _) = call(&f, Unit, "POST", &path("submit"), Value::Null).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(&f, Unit, "POST", &path("approve"), Value::Null).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, e) = call(&f, Organizer, "POST", &path("publish"), Value::Null).await;
        assert_eq!(status, StatusCode::CONFLICT, "{who}: {e}");
        let (status, e) = call(&f, Organizer, "POST", &path("return"), json!({})).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("comment")));
        let (status, p) =
            call(&f, Organizer, "POST", &path("return"), json!({"comment": "请补充抽查比例"})).await;
        assert_eq!((status, p["status"].as_str()), (StatusCode::OK, Some("returned")), "{p}");
        assert_eq!(p["review_comment"], "请补充抽查比例");
        let (status, _) = call(
            &f,
            Unit,
            "POST",
            &format!("/api/v1/plans/{id}"),
            plan("社会保险抽查计划（修订）", "社会保险科"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        call(&f, Unit, "POST", &path("submit"), Value::Null).await;
        let (_, p) = call(&f, Organizer, "POST", &path("approve"), json!({"comment": "同意"})).await;
        assert_eq!(p["status"], "approved");
        let (status, p) = call(&f, Organizer, "POST", &path("publish"), Value::Null).await;
        assert_eq!((status, p["status"].as_str()), (StatusCode::OK, Some("published")), "{p}");

        // The plan with its execution; on the portal without names or comments.
        let (_, d) = call(&f, Unit, "GET", &format!("/api/v1/plans/{id}"), Value::Null).await;
        assert_eq!(d["plan"]["lines"][0]["item_name"], "农民工工资支付情况检查", "{d}");
        assert_eq!(d["execution"][0]["expected_count"], 12);
        let (_, public) = call(&f, Unit, "GET", "/api/v1/public/plans", Value::Null).await;
        let mine = public["plans"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
        assert_eq!(mine["title"], "社会保险抽查计划（修订）");
        assert!(mine.get("created_by").is_none() && mine.get("review_comment").is_none(), "{mine}");

        // 综合查一次 at the plans: the 监察大队's line on building firms (E47) and a second
        // 社会保险科 line on E4710 meet in June; the first plan's line, joint already, is not
        // offered again; drafts are not offered.
        let line = |item: &str, industries: &[&str], from: &str, to: &str| {
            json!({"item": item, "expected_count": 5, "window_start": from, "window_end": to,
                   "industries": industries})
        };
        let bureau = json!({"year": 2026, "department": "劳动保障监察大队", "title": "监察计划",
                            "lines": [line("RS-001", &["E47"], "2026-03-01", "2026-06-30")]});
        let (status, b) = call(&f, Organizer, "POST", "/api/v1/plans", bureau).await;
        assert_eq!(status, StatusCode::OK, "{who}: {b}");
        let mut second = json!({"year": 2026, "department": "社会保险科", "title": "建筑业参保专项",
                                "lines": [line("RS-001", &["e4710"], "2026-06-01", "2026-08-31")]});
        let (status, e) = call(&f, Unit, "POST", "/api/v1/plans", second.clone()).await;
        assert_eq!(status, StatusCode::OK, "{who}: lower case is read as the code: {e}");
        let s2 = e["id"].as_i64().unwrap();
        assert_eq!(e["lines"][0]["industries"], json!(["E4710"]), "{e}");
        second["lines"][0]["industries"] = json!(["建筑"]);
        let (status, e) = call(&f, Unit, "POST", &format!("/api/v1/plans/{s2}"), second).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("lines[1].industries")),
            "{e}"
        );
        let (_, o) = call(&f, Unit, "GET", "/api/v1/plans/joint-offers", Value::Null).await;
        assert_eq!(o["offers"], json!([]), "{who}: drafts are not combined yet: {o}");
        call(&f, Organizer, "POST", &format!("/api/v1/plans/{}/submit", b["id"]), Value::Null).await;
        call(&f, Unit, "POST", &format!("/api/v1/plans/{s2}/submit"), Value::Null).await;
        let (status, o) = call(&f, Unit, "GET", "/api/v1/plans/joint-offers?year=2026", Value::Null).await;
        assert_eq!(status, StatusCode::OK);
        let offers = o["offers"].as_array().unwrap();
        assert_eq!(offers.len(), 1, "{who}: {o}");
        assert_eq!(
            (
                offers[0]["industries"].clone(),
                offers[0]["window_start"].clone(),
                offers[0]["window_end"].clone()
            ),
            (json!(["E4710"]), json!("2026-06-01"), json!("2026-06-30")),
            "{o}"
        );
        let (status, e) = call(&f, Unit, "GET", "/api/v1/plans/joint-offers?year=1999", Value::Null).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("year")), "{e}");
        let (status, _) = call(&f, Unit, "GET", "/api/v1/plans/joint-offers?years=2026", Value::Null).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // The plans page offers it; the new-task form starts from it.
        let (cookie, _) = f.session(Organizer);
        let (_, _, page) = f.get("/staff/plans", Some(cookie)).await;
        assert!(page.contains("id=\"joint-offers\"") && page.contains("E4710"), "{who}: the plans page");
        let (a, b) = (
            offers[0]["lines"][0]["line_id"].as_i64().unwrap(),
            offers[0]["lines"][1]["line_id"].as_i64().unwrap(),
        );
        let (status, _, form) = f.get(&format!("/staff/tasks/new?joint={a},{b}"), Some(cookie)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains("劳动保障监察大队=1")
                && form.contains("value=\"E4710\"")
                && form.contains("2026-06-30"),
            "{who}: the form is filled in from the offer"
        );
    }
}

/// 更换检查组成员 through the API: refused to another department, to a bad body and to no
/// reason; done by the organizer, published beside the team with its document.
#[tokio::test]
async fn a_team_member_is_replaced_through_the_api() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        use Role::{Organizer, Unit};
        // A third inspector of the 监察大队 with a valid certificate: someone to take a place.
        let rows: &[&[&str]] = &[
            &["执法证号", "姓名", "单位", "证件有效期至"],
            &["豫人社监0009", "周检", "劳动保障监察大队", "2030-12-31"],
        ];
        common::import::<suiji_domain::directory::Inspector>(
            &f.store,
            &common::sheet(suiji_domain::directory::ListKind::Inspectors, rows),
        )
        .await;
        let mut t = task(2);
        // The fixture's firm graded A: nobody in the pool is recused for it.
        t["definition"]["eligibility"] = json!({"credit_grades": ["A"]});
        t["definition"]["reserve"] = json!(0);
        let (status, t) = call(&f, Organizer, "POST", "/api/v1/tasks", t).await;
        assert_eq!(status, StatusCode::OK, "{who}: {t}");
        let (id, code) = (t["id"].as_i64().unwrap(), t["code"].as_str().unwrap().to_owned());
        call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/publish"), Value::Null).await;
        let digits = json!({"contributions": [{"name": "见证人甲", "digits": "13572468091357246809"}]});
        let (status, _) = call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/draw"), digits).await;
        assert_eq!(status, StatusCode::OK);
        let (status, a) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/teams"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{a}");
        let inspection = a["teams"][0]["inspection_id"].as_i64().unwrap();
        let leaving = a["teams"][0]["members"][1][0].as_str().unwrap().to_owned();
        let path = format!("/api/v1/inspections/{inspection}/members/replace");

        let (status, e) = call(&f, Unit, "POST", &path, json!({"member": leaving, "reason": "回避"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "another department's team: {e}");
        let (status, e) = call(&f, Organizer, "POST", &path, json!({"member": 1})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        let (status, e) = call(&f, Organizer, "POST", &path, json!({"member": leaving, "reason": ""})).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")), "{e}");
        let body = json!({"member": leaving, "reason": "与该单位负责人系近亲属，申请回避"});
        let (status, c) = call(&f, Organizer, "POST", &path, body).await;
        assert_eq!(status, StatusCode::OK, "{who}: {c}");
        assert_eq!(c["gone_cert"], leaving.as_str());
        assert!(
            c["document"]["seed"].as_str().unwrap().ends_with(&format!("/replace/{inspection}/1")),
            "{c}"
        );

        // Published beside the team, with the document to re-check.
        let (_, public) = call(&f, Unit, "GET", &format!("/api/v1/public/tasks/{code}"), Value::Null).await;
        assert_eq!(public["teams"]["changes"][0]["chosen_cert"], c["chosen_cert"], "{public}");
        let members = public["teams"]["teams"][0]["inspectors"].to_string();
        assert!(
            members.contains(c["chosen_cert"].as_str().unwrap()) && !members.contains(&leaving),
            "{members}"
        );
        let (status, _, file) =
            f.get(&format!("/public/member-changes/{}/replacement.json", c["id"]), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(file.contains("suiji-assign/1") && file.contains(&leaving), "{file}");
        let (_, _, page) = f.get(&format!("/public/tasks/{code}"), None).await;
        assert!(page.contains("检查组成员调整") && page.contains("申请回避"), "{page}");
        let (cookie, _) = f.session(Organizer);
        let (_, _, page) = f.get(&format!("/staff/tasks/{id}/teams"), Some(cookie)).await;
        assert!(page.contains("id=\"member-changes\"") && page.contains("更换成员"), "{page}");
    }
}

#[tokio::test]
async fn a_complaint_lead_becomes_a_triggered_task_whose_public_page_shows_only_its_kind() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        use Role::{Inspector, Organizer, Unit};
        let firm = common::uscc(2);
        let today = suiji_store::workflow::china_today();
        let secret = "举报人李某（13912345678）：该单位拖欠三名职工工资三个月";
        let lead = json!({
            "source": "complaint",
            "received_on": today.to_string(),
            "targets": [firm],
            "reference": "12345-20261207-0031",
            "summary": secret
        });
        // Refusals name their field and register nothing.
        let mut bad = lead.clone();
        bad["targets"] = json!(["123"]);
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/leads", bad).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("targets")), "{e}");
        let mut bad = lead.clone();
        bad["received_on"] = json!((today + chrono::Duration::days(1)).to_string());
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/leads", bad).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("received_on")),
            "{e}"
        );
        let mut bad = lead.clone();
        bad["complainant"] = json!("x");
        let (status, _) = call(&f, Organizer, "POST", "/api/v1/leads", bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = call(&f, Inspector, "POST", "/api/v1/leads", lead.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "inspectors do not keep leads");

        let (status, l) = call(&f, Organizer, "POST", "/api/v1/leads", lead.clone()).await;
        assert_eq!(status, StatusCode::OK, "{who}: {l}");
        let id = l["id"].as_i64().unwrap();
        assert_eq!(
            (l["status"].as_str(), l["department"].as_str()),
            (Some("open"), Some("劳动保障监察大队"))
        );
        // The fixture's firm 2 is graded A and unclassified: 0 + 10 for one lead + 10.
        assert_eq!(l["targets"][0]["risk"]["score"], 20, "{l}");
        let (status, _) = call(&f, Unit, "GET", &format!("/api/v1/leads/{id}"), Value::Null).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "another department's lead");

        // A second lead on the firm (a referral): 多点触发 on the workbench and in the API.
        let mut referral = lead.clone();
        referral["source"] = json!("referral");
        referral["summary"] = json!("市局转办");
        let (status, _) = call(&f, Organizer, "POST", "/api/v1/leads", referral).await;
        assert_eq!(status, StatusCode::OK);
        let (_, m) = call(&f, Organizer, "GET", "/api/v1/leads/multi-point", Value::Null).await;
        let hit = m["firms"].as_array().unwrap().iter().find(|x| x["uscc"] == firm.as_str()).cloned();
        assert_eq!(hit.as_ref().map(|x| x["leads"].clone()), Some(json!(2)), "{m}");
        let (_, l) = call(&f, Organizer, "GET", &format!("/api/v1/leads/{id}"), Value::Null).await;
        assert_eq!(
            (l["targets"][0]["risk"]["score"].as_i64(), l["targets"][0]["risk"]["multi_point"].as_bool()),
            (Some(30), Some(true)),
            "{l}"
        );
        let (cookie, csrf) = f.session(Organizer);
        let (_, _, bench) = f.get("/staff", Some(cookie)).await;
        assert!(bench.contains("id=\"wb-multi-point\"") && bench.contains(&firm), "{who}: the workbench");

        // A file kept with it.
        let request = Request::post(format!("/api/v1/leads/{id}/files?name=%E4%B8%BE%E6%8A%A5%E4%BF%A1.txt"))
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("举报信原件"))
            .unwrap();
        let (status, _, file) = f.send(request).await;
        assert_eq!(status, StatusCode::OK, "{file}");
        let file: Value = serde_json::from_str(&file).unwrap();
        let (status, bytes) = f.download(&format!("/staff/leads/{id}/files/{}", file["id"]), cookie).await;
        assert_eq!((status, bytes), (StatusCode::OK, "举报信原件".as_bytes().to_vec()));

        // The triggered task taking it up, directed at the firm it names.
        let mut t = task(2);
        t["definition"]["title"] = json!("投诉举报线索核查");
        t["definition"]["kind"] = json!("triggered");
        t["definition"]["trigger_kind"] = json!("complaint");
        t["definition"]["leads"] = json!([id]);
        t["definition"]["eligibility"] = json!({"targets": [firm]});
        t["definition"]["reserve"] = json!(0);
        let mut random = t.clone();
        random["definition"]["kind"] = json!("random");
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/tasks", random).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")), "{e}");
        let mut wrong = t.clone();
        wrong["definition"]["trigger_kind"] = json!("monitoring");
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/tasks", wrong).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("trigger_kind")),
            "{e}"
        );
        let (status, task) = call(&f, Organizer, "POST", "/api/v1/tasks", t.clone()).await;
        assert_eq!(status, StatusCode::OK, "{who}: {task}");
        let (tid, code) = (task["id"].as_i64().unwrap(), task["code"].as_str().unwrap().to_owned());
        let (status, p) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{tid}/publish"), Value::Null).await;
        assert_eq!((status, p["population_size"].as_i64()), (StatusCode::OK, Some(1)), "{p}");
        let (_, l) = call(&f, Organizer, "GET", &format!("/api/v1/leads/{id}"), Value::Null).await;
        assert_eq!(
            (l["status"].as_str(), l["task_code"].as_str()),
            (Some("tasked"), Some(code.as_str())),
            "{l}"
        );
        // Taken up once.
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/tasks", t.clone()).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("leads")), "{e}");

        // The public sees the trigger's kind, and nothing the lead says.
        let (status, _, public) = f.get(&format!("/api/v1/public/tasks/{code}"), None).await;
        assert_eq!(status, StatusCode::OK);
        let v: Value = serde_json::from_str(&public).unwrap();
        assert_eq!(v["task"]["definition"]["trigger_kind"], "complaint", "{public}");
        assert!(v["task"]["definition"].get("leads").is_none(), "{public}");
        let (_, _, list) = f.get("/api/v1/public/tasks", None).await;
        let (_, _, page) = f.get(&format!("/public/tasks/{code}"), None).await;
        assert!(page.contains("投诉举报"), "{who}: the public page names the kind");
        for text in [&public, &list, &page] {
            for private in [secret, "12345-20261207-0031", "市局转办"] {
                assert!(!text.contains(private), "{who}: {private} is public");
            }
        }
        // The staff read it on the task.
        let (_, _, staff) = f.get(&format!("/staff/tasks/{tid}"), Some(cookie)).await;
        assert!(staff.contains(&format!("/staff/leads/{id}")), "{who}: the task links its lead");

        // 不予立项: the referral is closed without a task, with its reason; a lead taken up is
        // not, nor is one closed twice, nor without a reason; a closed lead starts no task.
        let (_, all) = call(&f, Organizer, "GET", "/api/v1/leads?status=open", Value::Null).await;
        let other = all["leads"][0]["id"].as_i64().unwrap();
        assert_ne!(other, id);
        let close = |lead: i64| format!("/api/v1/leads/{lead}/close");
        let (status, e) = call(&f, Organizer, "POST", &close(other), json!({"reason": "  "})).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")), "{e}");
        let (status, _) = call(&f, Organizer, "POST", &close(other), json!({"reason": "x", "why": 1})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = call(&f, Unit, "POST", &close(other), json!({"reason": "x"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "another department's lead");
        let (status, _) = call(&f, Inspector, "POST", &close(other), json!({"reason": "x"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, e) = call(&f, Organizer, "POST", &close(id), json!({"reason": "重复"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{who}: a lead taken up stays: {e}");
        let reason = "市局转办事项与本局投诉为同一事项，已并案处理";
        let (status, l) = call(&f, Organizer, "POST", &close(other), json!({"reason": reason})).await;
        assert_eq!(status, StatusCode::OK, "{who}: {l}");
        assert_eq!(
            (l["status"].as_str(), l["closed_reason"].as_str(), l["closed_by"].as_str().is_some()),
            (Some("closed"), Some(reason), true),
            "{l}"
        );
        let (status, _) = call(&f, Organizer, "POST", &close(other), json!({"reason": reason})).await;
        assert_eq!(status, StatusCode::CONFLICT, "closed once");
        let (_, closed) = call(&f, Organizer, "GET", "/api/v1/leads?status=closed", Value::Null).await;
        assert_eq!(closed["leads"].as_array().map(Vec::len), Some(1), "{closed}");
        let mut from_closed = t.clone();
        from_closed["definition"]["kind"] = json!("triggered");
        from_closed["definition"]["trigger_kind"] = json!("referral");
        from_closed["definition"]["leads"] = json!([other]);
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/tasks", from_closed).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("leads")), "{e}");
        let (_, _, page) = f.get(&format!("/staff/leads/{other}"), Some(cookie)).await;
        assert!(page.contains("id=\"lead-closed\"") && page.contains(reason), "{who}: the page says why");
        assert!(!page.contains("id=\"start-task\""), "{who}: a closed lead starts no task");
        let (_, _, page) = f.get(&format!("/staff/leads/{id}"), Some(cookie)).await;
        assert!(!page.contains("id=\"close-lead\""), "{who}: a lead taken up is not closed");
        // The leads' records, taken up and closed, are accounted for by the log.
        let report = suiji_store::audit::verify_log(&f.store, &suiji_store::audit::VerifyOptions::default())
            .await
            .unwrap();
        assert!(report.problems.is_empty(), "{who}: {:?}", report.problems);
    }
}

/// 综合查一次 through the API: two departments' tasks that drew the same firm merge the visit;
/// refusals name their field or answer 403; the joint team is re-checked from the public files;
/// one form enters both; each task publishes its result and its public page says it was merged.
#[tokio::test]
async fn two_departments_merge_a_visit_and_each_publishes_its_result() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        use Role::{Inspector, Organizer, Unit};
        // 社会保险科's inspectors, and a third of the 监察大队 so that nobody's recusal stops a team
        // (no other draw here: the firm is drawn by these two tasks, within the yearly limit).
        let rows: &[&[&str]] = &[
            &["执法证号", "姓名", "单位", "证件有效期至"],
            &["豫人社监0009", "周检", "劳动保障监察大队", "2030-12-31"],
            &["豫人社监0201", "赵保", "社会保险科", "2030-12-31"],
            &["豫人社监0202", "钱保", "社会保险科", "2030-12-31"],
        ];
        common::import::<suiji_domain::directory::Inspector>(
            &f.store,
            &common::sheet(suiji_domain::directory::ListKind::Inspectors, rows),
        )
        .await;
        let mut ids = Vec::new();
        for (department, title) in
            [("劳动保障监察大队", "工资支付专项抽查"), ("社会保险科", "社会保险缴费抽查")]
        {
            let mut t = task(2);
            t["department"] = json!(department);
            t["definition"]["title"] = json!(title);
            t["definition"]["departments"] = json!([department]);
            t["definition"]["eligibility"] = json!({"credit_grades": ["A"]});
            t["definition"]["reserve"] = json!(0);
            let (status, t) = call(&f, Organizer, "POST", "/api/v1/tasks", t).await;
            assert_eq!(status, StatusCode::OK, "{who}: {t}");
            let id = t["id"].as_i64().unwrap();
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/publish"), Value::Null).await;
            let digits = json!({"contributions": [{"name": "见证人甲", "digits": format!("1357246809135724680{}", ids.len())}]});
            let (status, d) = call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/draw"), digits).await;
            assert_eq!(status, StatusCode::OK, "{d}");
            let (status, a) =
                call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/teams"), Value::Null).await;
            assert_eq!(status, StatusCode::OK, "{who}: {a}");
            ids.push((
                id,
                t["code"].as_str().unwrap().to_owned(),
                a["teams"][0]["uscc"].as_str().unwrap().to_owned(),
            ));
        }
        let [(a, a_code, firm), (b, b_code, other_firm)] = <[_; 2]>::try_from(ids).unwrap();
        assert_eq!(firm, other_firm, "both drew the fixture's one firm graded A");
        let (_, o) = call(&f, Organizer, "GET", &format!("/api/v1/tasks/{a}/overlaps"), Value::Null).await;
        assert_eq!(o["overlaps"][0]["task_id"], b, "{o}");
        let path = format!("/api/v1/tasks/{a}/merge");

        let (status, e) = call(&f, Organizer, "POST", &path, json!({"with": a, "targets": [firm]})).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("with")), "{e}");
        let (status, e) = call(&f, Organizer, "POST", &path, json!({"with": b, "targets": []})).await;
        assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("targets")), "{e}");
        let (status, e) = call(&f, Organizer, "POST", &path, json!({"with": b, "firms": [firm]})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        let (status, e) = call(&f, Inspector, "POST", &path, json!({"with": b, "targets": [firm]})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
        let back = format!("/api/v1/tasks/{b}/merge");
        let (status, e) = call(&f, Unit, "POST", &back, json!({"with": a, "targets": [firm]})).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{who}: the 社会保险科 does not reach the 监察大队's task: {e}"
        );

        let (status, m) = call(&f, Organizer, "POST", &path, json!({"with": b, "targets": [firm]})).await;
        assert_eq!(status, StatusCode::OK, "{who}: {m}");
        let members = m["visits"][0]["members"].as_array().unwrap().clone();
        assert_eq!(members.len(), 4, "{m}");
        assert!(m["seed"].as_str().unwrap().ends_with("/merge"), "{m}");
        let (status, e) = call(&f, Organizer, "POST", &path, json!({"with": b, "targets": [firm]})).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("targets")),
            "merged once: {e}"
        );
        let (_, list) = call(&f, Unit, "GET", &format!("/api/v1/tasks/{b}/merges"), Value::Null).await;
        assert_eq!(list["merges"][0]["id"], m["id"], "{list}");

        // Anyone re-checks the joint team from the published files.
        let id = m["id"].as_i64().unwrap();
        let (status, _, document) = f.get(&format!("/public/merges/{id}/merge.json"), None).await;
        assert_eq!(status, StatusCode::OK);
        let (_, _, pool) = f.get(&format!("/public/merges/{id}/inspectors.csv"), None).await;
        let (_, _, recusals) = f.get(&format!("/public/merges/{id}/recusals.csv"), None).await;
        let document: suiji_draw::AssignmentDocument = serde_json::from_str(&document).unwrap();
        let rows = |text: &str| -> Vec<Vec<String>> {
            text.lines().skip(1).map(|l| l.split(',').map(str::to_owned).collect()).collect()
        };
        let pool: Vec<suiji_draw::Inspector> = rows(&pool)
            .into_iter()
            .map(|r| suiji_draw::Inspector { id: r[0].clone(), department: r[1].clone() })
            .collect();
        let recusals: Vec<suiji_draw::Recusal> = rows(&recusals)
            .into_iter()
            .map(|r| suiji_draw::Recusal { inspector_id: r[0].clone(), target_id: r[1].clone() })
            .collect();
        suiji_draw::verify_merge(&document, None, &pool, &recusals).unwrap();

        // One form: the joint team's lead enters it on the 社会保险科's half; both are entered.
        let lead = members[0][0].as_str().unwrap().to_owned();
        suiji_store::accounts::link_inspector(
            &f.store,
            "inspector",
            Some(&lead),
            &suiji_store::audit::Actor::system("tester"),
        )
        .await
        .unwrap();
        let (ours, theirs) = (
            m["visits"][0]["inspection_id"].as_i64().unwrap(),
            m["visits"][0]["with_inspection_id"].as_i64().unwrap(),
        );
        let form = json!({
            "started_on": "2026-07-06", "ended_on": "2026-07-06",
            "items": [{"item": "RS-001", "verdict": "compliant", "basis": "《保障农民工工资支付条例》"}],
            "conclusion": "no_problem", "signed": true, "summary": "一次上门，两项任务的事项均已检查。"
        });
        let (status, i) = call(&f, Inspector, "POST", &format!("/api/v1/inspections/{theirs}"), form).await;
        assert_eq!(status, StatusCode::OK, "{who}: {i}");
        let (_, i) = call(&f, Organizer, "GET", &format!("/api/v1/inspections/{ours}"), Value::Null).await;
        assert_eq!(i["status"], "entered", "{who}: the other half is entered too: {i}");
        for (inspection, code, other) in [(ours, &a_code, &b_code), (theirs, &b_code, &a_code)] {
            let (status, p) = call(
                &f,
                Inspector,
                "POST",
                &format!("/api/v1/inspections/{inspection}/publish"),
                Value::Null,
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{who}: {p}");
            let (_, _, page) = f.get(&format!("/public/tasks/{code}"), None).await;
            assert!(page.contains("id=\"merges\"") && page.contains(&format!("与{other}")), "{who}: {page}");
        }
        let (cookie, _) = f.session(Organizer);
        let (_, _, page) = f.get(&format!("/staff/tasks/{a}"), Some(cookie)).await;
        assert!(page.contains("id=\"merges\"") && page.contains(&b_code), "{page}");
        let (_, _, page) = f.get(&format!("/staff/inspections/{ours}"), Some(cookie)).await;
        assert!(page.contains("id=\"joint-visit\""), "{page}");
        let (_, ledger) =
            call(&f, Organizer, "GET", &format!("/api/v1/targets/{firm}/inspections?year=2026"), Value::Null)
                .await;
        let merged =
            ledger["visits"].as_array().unwrap().iter().filter(|v| v["merged_with"].is_string()).count();
        assert_eq!(merged, 2, "{ledger}");
    }
}

/// 对照样本 through the API and the portal: a directed task asks for a control sample; the draw
/// returns it beside its document, the portal publishes it with the population it was drawn
/// from, and teams are assigned to it as to the rest. An undirected task is refused one.
#[tokio::test]
async fn a_control_sample_is_drawn_published_and_assigned_through_the_api() {
    for db in databases().await {
        let f = Fixture::new(db.open().await).await;
        let who = db.backend;
        use Role::Organizer;
        let mut t = task(2);
        t["definition"]["reserve"] = json!(0);
        t["definition"]["control"] = json!(1);
        t["definition"]["weights"] = json!({"a": 1, "b": 1, "c": 1, "unrated": 1});
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/tasks", t.clone()).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("control")),
            "{who}: {e}"
        );
        t["definition"]["control"] = json!(1001);
        t["definition"]["weights"] = json!({"a": 1, "b": 2, "c": 4, "unrated": 2});
        let (status, e) = call(&f, Organizer, "POST", "/api/v1/tasks", t.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{who}: {e}");
        // Two firms: one drawn by grade, the other the control sample.
        t["definition"]["control"] = json!(1);
        let (status, t) = call(&f, Organizer, "POST", "/api/v1/tasks", t).await;
        assert_eq!(status, StatusCode::OK, "{who}: {t}");
        let (id, code) = (t["id"].as_i64().unwrap(), t["code"].as_str().unwrap().to_owned());
        let (status, p) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/publish"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{who}: {p}");
        let digits = json!({"contributions": [{"name": "见证人甲", "digits": "13572468091357246809"}]});
        let (status, d) = call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/draw"), digits).await;
        assert_eq!(status, StatusCode::OK, "{who}: {d}");
        let seed = d["seed"].as_str().unwrap().to_owned();
        assert_eq!(d["control"]["seed"], format!("{seed}/control"), "{d}");
        assert_eq!(d["control"]["population_size"], 1, "{d}");
        assert_eq!(d["targets"].as_array().unwrap().len(), 2, "{d}");
        let drawn = d["document"]["selected"][0]["id"].as_str().unwrap().to_owned();
        let control = d["control"]["selected"][0]["id"].as_str().unwrap().to_owned();
        assert_ne!(drawn, control);

        let draw_id = d["id"].as_i64().unwrap();
        let (status, _, file) = f.get(&format!("/public/draws/{draw_id}/control.json"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(file.contains("suiji-draw/1") && file.contains(&format!("{seed}/control")), "{file}");
        let (status, _, csv) = f.get(&format!("/public/draws/{draw_id}/control-population.csv"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(csv, format!("id,weight,stratum\n{control},1,\n"), "{who}");
        let (_, _, targets) = f.get(&format!("/public/draws/{draw_id}/targets.json"), None).await;
        assert!(targets.find(&drawn).unwrap() < targets.find(&control).unwrap(), "{targets}");
        let (_, _, page) = f.get(&format!("/public/tasks/{code}"), None).await;
        assert!(page.contains("对照样本") && page.contains("control-population.csv"), "{page}");
        let (_, _, page) = f.get(&format!("/public/draws/{draw_id}/verify"), None).await;
        assert!(
            page.contains(&format!("data-control-url=\"/public/draws/{draw_id}/control.json\"")),
            "{page}"
        );

        // A control firm is not replaced from a reserve: what it is found to be is its result.
        let (status, e) = call(
            &f,
            Organizer,
            "POST",
            &format!("/api/v1/draws/{draw_id}/replace"),
            json!({"uscc": control, "reason": "已注销"}),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{who}: {e}");
        let (status, a) =
            call(&f, Organizer, "POST", &format!("/api/v1/tasks/{id}/teams"), Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{who}: {a}");
        let teams: Vec<&str> =
            a["teams"].as_array().unwrap().iter().map(|t| t["uscc"].as_str().unwrap()).collect();
        assert_eq!(teams, [drawn.as_str(), control.as_str()], "{who}");

        // A draw without a control sample has no such files.
        let (status, _, _) = f.get("/public/draws/999/control.json", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // 统计: with the fixture's own task, two tasks drew both firms; nothing is completed
        // yet; bad periods are 4xx JSON.
        let (status, s) =
            call(&f, Organizer, "GET", "/api/v1/stats?from=2026-01-01&to=2026-12-31", Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{who}: {s}");
        assert_eq!((s["tasks"].as_u64(), s["coverage"]["drawn"]["part"].as_u64()), (Some(2), Some(2)), "{s}");
        assert_eq!(s["coverage"]["drawn"]["whole"], 2);
        assert_eq!(s["findings"]["found"]["whole"], 0);
        for (query, field) in [
            ("from=2026-07-01&to=2026-06-01", "to"),
            ("from=1999-01-01&to=2026-06-01", "from"),
            ("from=2000-01-01&to=2026-06-01", "to"),
        ] {
            let (status, e) =
                call(&f, Organizer, "GET", &format!("/api/v1/stats?{query}"), Value::Null).await;
            assert_eq!(
                (status, e["field"].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
                "{query}: {e}"
            );
        }
        let long = "科".repeat(201);
        let (status, e) =
            call(&f, Organizer, "GET", &format!("/api/v1/stats?department={long}"), Value::Null).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let (status, e) = call(&f, Organizer, "GET", "/api/v1/stats?year=2026", Value::Null).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "unknown field: {e}");
        // The staff page: the same figures, a table and a bar each; a bad period is said so.
        let (cookie, _) = f.session(Organizer);
        let (status, _, page) =
            f.get("/staff/stats?from=2026-01-01&to=2026-12-31&department=", Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert!(
            page.contains("id=\"figure-coverage\">100%") && page.contains("<svg class=\"bar\""),
            "{page}"
        );
        let (status, _, page) = f.get("/staff/stats?lang=en&from=2026-01-01", Some(cookie)).await;
        assert!(status == StatusCode::OK && page.contains("Coverage"), "{who}: lang is the page's: {page}");
        let (status, _, page) = f.get("/staff/stats?from=2026-07-01&to=2026-06-01", Some(cookie)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("结束日期早于开始日期"), "{page}");
        let (status, headers, _) =
            f.get("/staff/stats.xlsx?from=2026-01-01&to=2026-12-31", Some(cookie)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"), "{headers:?}");
        // The workbench: the year's few figures, linked to the 统计 page; a 业务科室's are its
        // department's.
        let (_, _, bench) = f.get("/staff", Some(cookie)).await;
        assert!(
            bench.contains("id=\"wb-tasks-drawn\">2<") && bench.contains("/staff/stats?from="),
            "{bench}"
        );
        let (unit, _) = f.session(Role::Unit);
        let (_, _, bench) = f.get("/staff", Some(unit)).await;
        let own = common::department_of(Role::Unit);
        assert!(
            bench.contains("id=\"wb-year\"") && bench.contains(&format!("department={}", urlencoded(own))),
            "{who}: {bench}"
        );
        // The portal's 抽查情况: the year's public figures, and the years to choose.
        let (status, _, page) = f.get("/public/stats?year=2026", None).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert!(
            page.contains("id=\"public-tasks\">2<") && page.contains("href=\"/public/stats?year=2026\""),
            "{page}"
        );
        let (status, _, _) = f.get("/public/stats?year=1999", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // 报告: the task's report and the year's summary, as pages to print, .docx and .xlsx;
        // each states the audit log's head (crates/report/tests checks their figures).
        let (status, _, page) = f.get(&format!("/staff/tasks/{id}/report"), Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert!(
            page.contains("抽查任务总结报告") && page.contains(&code) && page.contains("id=\"report-basis\""),
            "{page}"
        );
        let (_, _, task_page) = f.get(&format!("/staff/tasks/{id}"), Some(cookie)).await;
        assert!(
            task_page.contains(&format!("href=\"/staff/tasks/{id}/report\"")),
            "{who}: the task links its report"
        );
        let (status, headers, body) = f.get(&format!("/staff/tasks/{id}/report.docx"), Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().contains("wordprocessingml"), "{headers:?}");
        assert!(body.starts_with("PK"), "a .docx is a zip");
        let (status, _, page) = f.get("/staff/stats/2026/summary", Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert!(
            page.contains("2026年度“双随机、一公开”工作总结") && page.contains("主要指标与上年对比"),
            "{page}"
        );
        for file in ["summary.docx", "summary.xlsx"] {
            let (status, _, body) = f.get(&format!("/staff/stats/2026/{file}"), Some(cookie)).await;
            assert!(status == StatusCode::OK && body.starts_with("PK"), "{who}: {file}: {status}");
        }
        for bad in ["/staff/stats/1999/summary", "/staff/stats/2101/summary.docx"] {
            let (status, _, page) = f.get(bad, Some(cookie)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(page.contains("2000 至 2100"), "{page}");
        }
        let (status, _, _) = f.get("/staff/tasks/999/report", Some(cookie)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

/// A query value as `serde_urlencoded` writes it.
fn urlencoded(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).unwrap().trim_start_matches("v=").to_owned()
}
