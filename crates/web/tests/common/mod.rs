//! A real store with a few records and one account per role, and requests sent through the
//! whole router (middleware, guard, handlers) without a network.

#![allow(dead_code)]

pub mod browser;
pub mod contract;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use suiji_domain::access::Role;
use suiji_domain::codes::Codes;
use suiji_domain::directory::{Inspector, Item, ListKind, RawRow, Recusal, Sheet, Target};
use suiji_domain::uscc::check_character;
use suiji_store::Store;
use suiji_store::accounts::{self, NewUser};
use suiji_store::audit::Actor;
use suiji_store::directory::{self, ImportOptions, Stored};
use suiji_web::{AppState, router};
use tower::ServiceExt;

pub const SECRET_REASON: &str = "秘密回避原因XYZ";
/// What a lead says: private, never on a public page or in the public API.
pub const SECRET_LEAD: &str = "秘密线索内容：举报人王某某13800000000";
/// An inspector in post whose certificate has lapsed (public pages leave them out).
pub const EXPIRED_NAME: &str = "证已过期者";
pub const SECRET_EXPERTISE: &str = "秘密专长QWE";
pub const SCRIPT_NAME: &str = "<script>alert(1)</script>测试公司";

pub fn uscc(serial: u32) -> String {
    let body = format!("91410307MA{serial:07}");
    format!("{body}{}", check_character(&body).unwrap())
}

pub fn sheet(list: ListKind, rows: &[&[&str]]) -> Sheet {
    let rows = rows.iter().enumerate().map(|(i, r)| RawRow::new(i as u64 + 1, r.iter()));
    Sheet::new(list, rows).unwrap()
}

pub async fn import<R: Stored>(store: &Store, sheet: &Sheet) {
    let options = ImportOptions {
        actor: Actor::system("tester"),
        file_name: "t.csv".into(),
        file_sha256: String::new(),
        retire_missing: false,
        own: None,
    };
    directory::import::<R>(store, sheet, Codes::builtin(), &options, &|_, _, _| {}).await.unwrap();
}

/// The key the fixture's checkpoints are signed with.
pub fn signing_key() -> suiji_domain::checkpoint::Key {
    suiji_domain::checkpoint::key_from_seed([5; 32])
}

/// A signed-in session per role: (role, cookie header, CSRF token).
/// The fixture's accounts' departments: the 业务科室's account is of 社会保险科, every other of
/// 劳动保障监察大队 (the 牵头科室), whose are the fixture's plan and task.
pub fn department_of(role: Role) -> &'static str {
    if role == Role::Unit { "社会保险科" } else { "劳动保障监察大队" }
}

/// 社会保险科's own plan, task (published) and draw, beside the fixture's (劳动保障监察大队's
/// plan 1, task 1, draw 1): what department scope is tried on.
pub struct DepartmentRecords {
    pub plan: i64,
    pub task: i64,
    pub draw: i64,
    pub inspection: i64,
    pub lead: i64,
    pub lead_file: i64,
}

/// Makes [`DepartmentRecords`]: the 业务科室's plan approved by the lead office, and a task on
/// its line that the 业务科室 drafts, publishes and draws itself.
pub async fn department_records(store: &Store) -> DepartmentRecords {
    use suiji_domain::workflow::{SizeSpec, TaskDefinition};
    use suiji_store::workflow::{self as wf, Filing, SeedInput};
    let unit = Actor { name: "unit".into(), role: "unit".into() };
    let own = Some(department_of(Role::Unit));
    let p = suiji_store::testing::published_plan(store, department_of(Role::Unit)).await;
    let def = TaskDefinition {
        title: "社会保险登记情况抽查".into(),
        ..suiji_store::testing::task(department_of(Role::Unit), SizeSpec::Count(1))
    };
    let t = wf::save_task(store, None, &Filing::line(p.lines[0].id), &def, &unit, own).await.unwrap();
    wf::publish_task(store, t.id, &unit).await.unwrap();
    let d = wf::draw_task(store, t.id, SeedInput::System, &unit).await.unwrap();
    // Its own inspectors, for its own teams.
    import::<Inspector>(
        store,
        &sheet(
            ListKind::Inspectors,
            &[
                &["执法证号", "姓名", "单位", "证件有效期至"],
                &["豫人社监0201", "赵保", "社会保险科", "2030-12-31"],
                &["豫人社监0202", "钱保", "社会保险科", "2030-12-31"],
                &["豫人社监0203", "孙保", "社会保险科", "2030-12-31"],
            ],
        ),
    )
    .await;
    let a = wf::assign_random(store, t.id, &unit).await.unwrap();
    let (lead, lead_file) = lead(store, department_of(Role::Unit), &uscc(2)).await;
    DepartmentRecords {
        plan: p.id,
        task: t.id,
        draw: d.id,
        inspection: a.teams[0].inspection_id,
        lead,
        lead_file,
    }
}

/// A complaint lead registered by `department` on `firm`, with a file: (lead, file).
pub async fn lead(store: &Store, department: &str, firm: &str) -> (i64, i64) {
    use suiji_domain::workflow::{LeadSource, NewLead};
    use suiji_store::workflow as wf;
    let new = NewLead {
        source: LeadSource::Complaint,
        received_on: wf::china_today(),
        targets: vec![firm.to_owned()],
        reference: "12345-0001".into(),
        summary: SECRET_LEAD.into(),
    };
    let actor = Actor { name: "organizer".into(), role: "organizer".into() };
    let l = wf::register_lead(store, &new, Some(department), &actor).await.unwrap();
    let f = wf::add_lead_file(store, l.id, "投诉信.txt", "text/plain", b"complaint".to_vec(), None, &actor)
        .await
        .unwrap();
    (l.id, f.id)
}

pub struct Fixture {
    pub store: Store,
    pub app: Router,
    pub sessions: Vec<(Role, String, String)>,
}

impl Fixture {
    pub async fn new(store: Store) -> Fixture {
        // As `suiji serve` runs it: publications are checkpointed.
        let store = store.with_signing_key(signing_key());
        use suiji_domain::org::DepartmentKind::{Business, Lead};
        suiji_store::testing::departments(&store, &[("劳动保障监察大队", Lead), ("社会保险科", Business)])
            .await;
        let (a, b) = (uscc(1), uscc(2));
        import::<Target>(
            &store,
            &sheet(
                ListKind::Targets,
                &[
                    &["统一社会信用代码", "名称", "诚信等级"],
                    &[&a, SCRIPT_NAME, "C"],
                    &[&b, "偃师乙公司", "A"],
                ],
            ),
        )
        .await;
        import::<Inspector>(
            &store,
            &sheet(
                ListKind::Inspectors,
                &[
                    &["执法证号", "姓名", "单位", "专长", "状态"],
                    &["豫人社监0001", "王一", "劳动保障监察大队", SECRET_EXPERTISE, "在岗"],
                    &["豫人社监0002", "离岗者", "社会保险科", "", "离岗"],
                ],
            ),
        )
        .await;
        import::<Inspector>(
            &store,
            &sheet(
                ListKind::Inspectors,
                &[
                    &["执法证号", "姓名", "单位", "证件有效期至"],
                    &["豫人社监0003", "张检", "劳动保障监察大队", "2030-12-31"],
                    &["豫人社监0004", "李检", "劳动保障监察大队", "2030-12-31"],
                    // In post, but the certificate has lapsed: not in the public directory.
                    &["豫人社监0005", EXPIRED_NAME, "劳动保障监察大队", "2020-01-01"],
                ],
            ),
        )
        .await;
        import::<Recusal>(
            &store,
            &sheet(
                ListKind::Recusals,
                &[&["执法证号", "统一社会信用代码", "原因"], &["豫人社监0001", &a, SECRET_REASON]],
            ),
        )
        .await;
        import::<Item>(
            &store,
            &sheet(
                ListKind::Items,
                &[&["事项编码", "事项名称", "类别"], &["RS-001", "农民工工资支付情况检查", "重点"]],
            ),
        )
        .await;
        let mut sessions = Vec::new();
        for role in Role::ALL {
            let new = NewUser {
                username: role.name().into(),
                display_name: role.zh().into(),
                role,
                department: Some(department_of(role).into()),
                password: format!("{}-password-1", role.name()),
            };
            let user = accounts::add_user(&store, &new, &Actor::system("tester")).await.unwrap();
            let session = accounts::open_session(&store, &user, "127.0.0.1").await.unwrap();
            sessions.push((role, format!("suiji_session={}", session.token), session.csrf_token));
        }
        workflow(&store).await;
        // Lead 1, 劳动保障监察大队's, with its file 1.
        let (lead, _) = lead(&store, department_of(Role::Organizer), &a).await;
        assert_eq!(lead, 1);
        // One finished job of the organizer's (an import done in the background).
        let job = suiji_store::jobs::start(
            &store,
            "import",
            "t.csv",
            "organizer",
            "检查 checking",
            Some("/staff/targets"),
        )
        .await
        .unwrap();
        let outcome =
            serde_json::json!({ "file": "t.csv", "summary": { "batch": 1, "rows": 1, "added": 1 } });
        suiji_store::jobs::finish(&store, job, true, &outcome).await.unwrap();
        // Imports are answered on the spot, as small ones are, however slow the machine.
        let app = router(AppState::new(store.clone()).with_job_wait(std::time::Duration::from_secs(120)));
        Fixture { store, app, sessions }
    }

    pub fn session(&self, role: Role) -> (&str, &str) {
        let (_, cookie, csrf) = self.sessions.iter().find(|(r, _, _)| *r == role).unwrap();
        (cookie, csrf)
    }

    /// Sends a request; returns the status, the headers and the body as text.
    /// An answer from `/api/v1` is checked against the OpenAPI document ([`contract`]).
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let (method, uri) = (request.method().clone(), request.uri().to_string());
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        contract::check(&method, &uri, status, &body);
        (status, headers, body)
    }

    /// A file as it is downloaded: the status and its bytes.
    pub async fn download(&self, path: &str, cookie: &str) -> (StatusCode, Vec<u8>) {
        let request = Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        (status, axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap().to_vec())
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut r = Request::get(path);
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    /// The sign-in form's cookie and CSRF token, as a browser gets them.
    pub async fn login_form(&self) -> (String, String) {
        let (_, headers, body) = self.get("/login", None).await;
        let cookie =
            headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
        let csrf = body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        (cookie, csrf)
    }

    /// A bearer token for `username`, issued in the store.
    pub async fn token(&self, username: &str) -> String {
        let actor = Actor::system("tester");
        accounts::issue_token(&self.store, username, "test", &actor).await.unwrap().1
    }

    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        form: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut r = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::from(form.to_owned())).unwrap()).await
    }
}

/// Plan 1, task 1 (T-2026-001: published, drawn — draw 1 — and assigned), its inspection 1
/// with evidence 1, the inspector account linked to 豫人社监0003 (on the team). Every staff page
/// with an `{id}` then has a record 1 to show.
async fn workflow(store: &Store) {
    use suiji_domain::workflow::{SizeSpec, TaskDefinition};
    use suiji_store::workflow::{self as wf, Contribution, SeedInput};
    let organizer = Actor { name: "organizer".into(), role: "organizer".into() };
    let p = suiji_store::testing::published_plan(store, "劳动保障监察大队").await;
    let def = TaskDefinition {
        title: "农民工工资支付专项抽查".into(),
        ..suiji_store::testing::task("劳动保障监察大队", SizeSpec::Count(1))
    };
    let t =
        wf::save_task(store, None, &wf::Filing::line(p.lines[0].id), &def, &organizer, None).await.unwrap();
    wf::publish_task(store, t.id, &organizer).await.unwrap();
    let seed = SeedInput::Witnesses(vec![Contribution {
        name: "见证人".into(),
        digits: "12345678901234567890".into(),
    }]);
    wf::draw_task(store, t.id, seed, &organizer).await.unwrap();
    let a = wf::assign_random(store, t.id, &organizer).await.unwrap();
    let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
    wf::add_evidence(
        store,
        a.teams[0].inspection_id,
        "照片.jpg",
        "image/jpeg",
        vec![1, 2, 3],
        Some("豫人社监0003"),
        &inspector,
    )
    .await
    .unwrap();
    accounts::link_inspector(store, "inspector", Some("豫人社监0003"), &Actor::system("tester"))
        .await
        .unwrap();
}

/// A request carrying a bearer token.
pub fn bearer(token: &str, method: &str, path: &str, body: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap()
}
