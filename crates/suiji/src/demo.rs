//! The demo county bureau `suiji serve --demo` loads into an empty database: ≈3,000 targets
//! with valid USCCs in the seeds' districts, 40 inspectors in 3 units (some certificates
//! expired), a 人社 item list, a few recusals, and one account per role. Everything goes in
//! through the same import as a bureau's own files, so it has its history and audit entries.
//!
//! The data is made up and the same on every run (a fixed generator, never used for draws).

use suiji_domain::access::Role;
use suiji_domain::codes::Codes;
use suiji_domain::directory::{Inspector, Item, ListKind, RawRow, Recusal, Sheet, Target};
use suiji_domain::org::{DepartmentKind, DepartmentSpec};
use suiji_domain::uscc::check_character;
use suiji_store::Store;
use suiji_store::accounts::{self, NewUser};
use suiji_store::audit::Actor;
use suiji_store::directory::{self, ImportOptions, Stored};

/// The demo accounts: (user name, role, display name, unit). Each one's password is
/// `<user name>-demo-2026`.
pub const ACCOUNTS: &[(&str, Role, &str, &str)] = &[
    ("admin", Role::Admin, "系统管理员", "办公室"),
    ("organizer", Role::Organizer, "王建国", "劳动保障监察大队"),
    ("unit", Role::Unit, "李秀梅", "社会保险科"),
    ("unit2", Role::Unit, "周建华", "就业促进科"),
    ("inspector", Role::Inspector, "张伟", "劳动保障监察大队"),
    ("supervisor", Role::Supervisor, "赵敏", "纪检监察室"),
];

pub fn password(username: &str) -> String {
    format!("{username}-demo-2026")
}

/// The seeds' districts — 偃师区 (the demo bureau's own), 宝丰县, 上蔡县, 临河区 — with the full
/// place name an address starts with, the name a firm's name starts with, and their share.
const DISTRICTS: &[(&str, &str, &str, u32)] = &[
    ("410307", "洛阳市偃师区", "洛阳市偃师区", 60),
    ("410421", "平顶山市宝丰县", "宝丰县", 15),
    ("411722", "驻马店市上蔡县", "上蔡县", 15),
    ("150802", "巴彦淖尔市临河区", "巴彦淖尔市临河区", 10),
];

/// The demo bureau's full name (the `bureau_name` setting).
pub const BUREAU: &str = "洛阳市偃师区人力资源和社会保障局";

const UNITS: &[&str] = &["劳动保障监察大队", "社会保险科", "就业促进科"];

/// The demo bureau's departments, under the bureau: the 监察大队 coordinates its random
/// inspections (牵头); each 科 runs its own.
const DEPARTMENTS: &[(&str, DepartmentKind)] = &[
    ("劳动保障监察大队", DepartmentKind::Lead),
    ("社会保险科", DepartmentKind::Business),
    ("就业促进科", DepartmentKind::Business),
    ("办公室", DepartmentKind::Business),
    ("纪检监察室", DepartmentKind::Business),
];

/// A small deterministic generator (xorshift), for made-up names only.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

fn sheet(list: ListKind, header: &[&str], rows: Vec<Vec<String>>) -> Sheet {
    let header = RawRow::new(1, header.iter());
    let rows = rows.into_iter().enumerate().map(|(i, r)| RawRow::new(i as u64 + 2, r));
    Sheet::new(list, std::iter::once(header).chain(rows)).expect("the demo's headers are right")
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "桂兰", "志强", "建华", "海燕", "晓东", "红梅",
];

fn person(g: &mut Gen) -> String {
    format!("{}{}", g.pick(SURNAMES), g.pick(GIVEN))
}

fn targets() -> Sheet {
    const WORDS: &[&str] = &[
        "鑫源", "恒达", "华泰", "宏图", "金穗", "天成", "瑞丰", "伊河", "洛浦", "嘉禾", "中原", "北辰",
        "富民", "远航", "泰和", "兴业", "盛世", "河洛", "牡丹", "龙门",
    ];
    const TRADES: &[(&str, &str)] = &[
        ("建筑工程", "E4710"),
        ("劳务服务", "L7262"),
        ("餐饮管理", "H6210"),
        ("商贸", "F5191"),
        ("物流", "G5431"),
        ("机械制造", "C3431"),
        ("纺织", "C1713"),
        ("食品", "C1492"),
        ("物业服务", "K7020"),
        ("保安服务", "L7271"),
        ("家政服务", "O8010"),
        ("汽车维修", "O8111"),
        ("人力资源服务", "L7261"),
        ("农业开发", "A0190"),
        ("建材", "C3021"),
        ("电子科技", "C3972"),
    ];
    const KINDS: &[&str] =
        &["有限责任公司", "有限责任公司", "有限责任公司", "股份有限公司", "个人独资企业", "个体工商户"];
    const STREETS: &[&str] = &[
        "商都路",
        "伊洛路",
        "首阳山大道",
        "杜甫大道",
        "华夏路",
        "槐庙路",
        "新华街",
        "人民路",
        "建设路",
        "迎宾路",
    ];
    let mut g = Gen(0x5eed_2026_0001);
    let mut rows = Vec::new();
    let mut serial = 0u32;
    for &(region, place, short, share) in DISTRICTS {
        for _ in 0..share * 30 {
            serial += 1;
            let body = format!("91{region}MA{:07}", 4_000_000 + serial * 7);
            let uscc = format!("{body}{}", check_character(&body).expect("a 17-character body"));
            let (trade, industry) = TRADES[g.below(TRADES.len())];
            let kind = g.pick(KINDS);
            let name = if kind == "个体工商户" {
                format!("{place}{}{}店", g.pick(WORDS), trade)
            } else {
                format!(
                    "{short}{}{}{}",
                    g.pick(WORDS),
                    trade,
                    if kind == "股份有限公司" { "股份有限公司" } else { "有限公司" }
                )
            };
            let employees = match g.below(10) {
                0 => 300 + g.below(700),
                1..=3 => 50 + g.below(250),
                _ => 2 + g.below(48),
            };
            let scale = match employees {
                300.. => "大型",
                100..=299 => "中型",
                20..=99 => "小型",
                _ => "微型",
            };
            let grade = ["A", "A", "A", "B", "B", "C"][g.below(6)];
            let risk = ["A", "B", "B", "C", "D"][g.below(5)];
            let address = format!("{place}{}{}号", g.pick(STREETS), 1 + g.below(300));
            rows.push(vec![
                uscc,
                name,
                kind.into(),
                scale.into(),
                industry.into(),
                region.into(),
                address,
                person(&mut g),
                employees.to_string(),
                grade.into(),
                risk.into(),
                "在营".into(),
            ]);
        }
    }
    sheet(
        ListKind::Targets,
        &[
            "统一社会信用代码",
            "名称",
            "类型",
            "规模",
            "行业代码",
            "区划代码",
            "地址",
            "法定代表人",
            "职工人数",
            "诚信等级",
            "风险分类",
            "状态",
        ],
        rows,
    )
}

fn inspectors() -> Sheet {
    const POSITIONS: &[&str] = &["科员", "副主任科员", "主任科员", "副大队长", "四级主任科员"];
    const EXPERTISE: &[&str] = &["工资支付", "社会保险", "劳动合同", "职业介绍", "工时休假", "技能培训"];
    let mut g = Gen(0x5eed_2026_0002);
    let mut rows = Vec::new();
    for i in 0..40 {
        let unit = UNITS[i % 3];
        let cert = format!("豫人社监{:04}", 3070 + i);
        // The first certificate is the signed-in inspector's own (张伟, DEMO_CERT).
        let name = if i == 0 { "张伟".to_owned() } else { person(&mut g) };
        // Every seventh certificate expired at the end of last year.
        let valid = if i % 7 == 3 { "2025-12-31".to_owned() } else { format!("{}-12-31", 2027 + i % 3) };
        let status = if i == 38 { "调离" } else { "在岗" };
        rows.push(vec![
            cert,
            name,
            ["男", "女"][g.below(2)].into(),
            unit.into(),
            g.pick(POSITIONS).into(),
            valid,
            g.pick(EXPERTISE).into(),
            "410307".into(),
            status.into(),
        ]);
    }
    sheet(
        ListKind::Inspectors,
        &["执法证号", "姓名", "性别", "单位", "职务", "证件有效期至", "专长", "区划代码", "状态"],
        rows,
    )
}

fn items() -> Sheet {
    let law = "《劳动保障监察条例》第十一条";
    let rows: Vec<[&str; 7]> = vec![
        [
            "RS-001",
            "农民工工资支付情况检查",
            "重点",
            "劳动保障监察大队",
            "《保障农民工工资支付条例》第五十四条、《劳动保障监察条例》第十一条",
            "工资按月足额支付、工资专用账户、实名制管理、工资保证金、维权信息公示",
            "现场、书面",
        ],
        [
            "RS-002",
            "用人单位参加社会保险及缴费情况检查",
            "重点",
            "社会保险科",
            "《中华人民共和国社会保险法》第七十七条、第八十六条",
            "依法参保、足额缴费、代扣代缴",
            "现场、书面",
        ],
        [
            "RS-003",
            "就业和人力资源市场秩序检查",
            "重点",
            "就业促进科",
            "《中华人民共和国就业促进法》第六十二条、《人力资源市场暂行条例》第四十条",
            "就业歧视、招聘信息真实性、职业中介行为",
            "现场、网络监测",
        ],
        [
            "RS-004",
            "劳动合同订立和履行情况检查",
            "一般",
            "劳动保障监察大队",
            law,
            "书面劳动合同订立、试用期、劳务派遣用工比例",
            "书面",
        ],
        [
            "RS-005",
            "工作时间和休息休假规定遵守情况检查",
            "一般",
            "劳动保障监察大队",
            law,
            "工时制度、加班加点、带薪年休假",
            "现场",
        ],
        [
            "RS-006",
            "最低工资规定执行情况检查",
            "一般",
            "劳动保障监察大队",
            "《最低工资规定》第十三条",
            "支付工资不低于当地最低工资标准",
            "书面",
        ],
        [
            "RS-007",
            "禁止使用童工规定遵守情况检查",
            "一般",
            "劳动保障监察大队",
            "《禁止使用童工规定》第十三条",
            "招用未满十六周岁未成年人",
            "现场",
        ],
        [
            "RS-008",
            "女职工和未成年工特殊劳动保护检查",
            "一般",
            "劳动保障监察大队",
            "《女职工劳动保护特别规定》第十四条",
            "孕期、产期、哺乳期保护，禁忌劳动范围",
            "现场",
        ],
        [
            "RS-009",
            "人力资源服务机构经营活动检查",
            "一般",
            "就业促进科",
            "《人力资源市场暂行条例》第三十五条",
            "许可备案、年度报告、服务台账",
            "现场、书面",
        ],
        [
            "RS-010",
            "职业技能培训机构办学行为检查",
            "一般",
            "就业促进科",
            "《中华人民共和国职业教育法》",
            "培训资质、收费公示、结业证书发放",
            "书面",
        ],
        // On the 触发式事项清单 only: what a complaint about wages is checked for.
        [
            "RS-011",
            "拖欠工资投诉举报核查",
            "重点",
            "劳动保障监察大队",
            "《保障农民工工资支付条例》第五十条、《劳动保障监察条例》第十八条",
            "投诉举报事项所涉工资支付记录、考勤记录、劳动合同",
            "现场",
        ],
    ];
    let rows = rows
        .into_iter()
        .map(|r| {
            let ratio = if r[2] == "重点" { "10%" } else { "5%" };
            let mut v: Vec<String> = r.iter().map(|s| s.to_string()).collect();
            v.push(ratio.into());
            v.push("有效".into());
            v.push(if r[0] == "RS-011" { "触发式抽查" } else { "通用" }.into());
            v
        })
        .collect();
    sheet(
        ListKind::Items,
        &[
            "事项编码",
            "事项名称",
            "类别",
            "抽查主体",
            "抽查依据",
            "抽查内容",
            "检查方式",
            "最低比例",
            "状态",
            "适用范围",
        ],
        rows,
    )
}

fn recusals(targets: &Sheet) -> Sheet {
    let positions = targets.positions();
    let key = |i: usize| targets.key(&positions, &targets.rows[i]);
    let rows = vec![
        vec!["豫人社监3071".into(), key(3), "配偶任该单位财务负责人".into()],
        vec!["豫人社监3075".into(), key(12), "曾在该单位任职，离职未满三年".into()],
        vec!["豫人社监3080".into(), key(40), "近亲属为该单位法定代表人".into()],
        vec!["豫人社监3084".into(), key(41), "与该单位存在经济往来".into()],
    ];
    sheet(ListKind::Recusals, &["执法证号", "统一社会信用代码", "原因"], rows)
}

async fn import<R: Stored>(store: &Store, sheet: &Sheet, actor: &Actor, name: &str) -> anyhow::Result<()> {
    let options = ImportOptions {
        actor: actor.clone(),
        file_name: name.to_owned(),
        file_sha256: String::new(),
        retire_missing: false,
        own: None,
    };
    directory::import::<R>(store, sheet, Codes::builtin(), &options, &|_, _, _| {}).await.map_err(
        |e| match e {
            directory::ImportError::Rejected(problems) => {
                let first: Vec<String> = problems.iter().take(3).map(|p| format!("{p:?}")).collect();
                anyhow::anyhow!("demo {name}: {} problems, first: {}", problems.len(), first.join("; "))
            }
            e => anyhow::anyhow!("demo {name}: {e}"),
        },
    )?;
    Ok(())
}

/// Whether the store is empty enough for the demo: no accounts and no targets.
pub async fn is_empty(store: &Store) -> anyhow::Result<bool> {
    Ok(accounts::user_count(store).await? == 0 && directory::count(store, ListKind::Targets).await? == 0)
}

/// Loads the demo bureau.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    // The bureau as set up at the start of last year, last year's inspections as they happened
    // (dated then, in the audit log too), then this year's, today: two years for the
    // statistics and the reports to compare.
    suiji_store::clock::as_of(async {
        let year = chrono::Datelike::year(&suiji_store::workflow::china_today());
        suiji_store::clock::set(Some(at(year - 1, 1, 5)));
        set_up(store).await?;
        last_year(store, year - 1).await.map_err(|e| anyhow::anyhow!("demo, last year: {e}"))?;
        suiji_store::clock::set(None);
        workflow(store).await.map_err(|e| anyhow::anyhow!("demo workflow: {e}"))
    })
    .await
}

/// 9:30 on a day of China's calendar, as the store's clock takes it.
fn at(year: i32, month: u32, day: u32) -> chrono::DateTime<chrono::Utc> {
    let day = chrono::NaiveDate::from_ymd_opt(year, month, day).expect("a day of the demo");
    suiji_store::audit::china_midnight(day) + chrono::Duration::minutes(9 * 60 + 30)
}

/// The bureau, its departments and accounts, and its directory (一单两库).
async fn set_up(store: &Store) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    // The bureau's name first (its organisation's root), then its departments: what the
    // accounts, inspectors and items below belong to.
    let settings = [("bureau_name".into(), BUREAU.into()), ("document_prefix".into(), "偃人社监".into())];
    suiji_store::settings::set(store, &settings, &actor)
        .await
        .map_err(|e| anyhow::anyhow!("demo settings: {e}"))?;
    for &(name, kind) in DEPARTMENTS {
        let spec = DepartmentSpec { name: name.into(), kind, parent_id: None, active: true };
        suiji_store::org::add(store, &spec, &actor)
            .await
            .map_err(|e| anyhow::anyhow!("demo department {name}: {e}"))?;
    }
    for &(username, role, name, unit) in ACCOUNTS {
        let new = NewUser {
            username: username.into(),
            display_name: name.into(),
            role,
            department: Some(unit.into()),
            password: password(username),
        };
        accounts::add_user(store, &new, &actor)
            .await
            .map_err(|e| anyhow::anyhow!("demo account {username}: {e}"))?;
    }
    let targets = targets();
    import::<Item>(store, &items(), &actor, "demo-items").await?;
    import::<Inspector>(store, &inspectors(), &actor, "demo-inspectors").await?;
    import::<Target>(store, &targets, &actor, "demo-targets").await?;
    import::<Recusal>(store, &recusals(&targets), &actor, "demo-recusals").await?;
    Ok(())
}

/// Last year's work, as it happened: the 监察大队's wages task drawn in April and the 社会保险科's
/// task in September, each firm's result entered and published over the following weeks (a
/// few late), the violations ordered corrected and most found rectified on follow-up.
async fn last_year(store: &Store, year: i32) -> Result<(), suiji_store::workflow::WorkflowError> {
    use suiji_domain::workflow::*;
    use suiji_store::clock;
    use suiji_store::workflow::{self as wf, Contribution, SeedInput};
    let organizer = Actor::user("organizer", Role::Organizer);
    let mut g = Gen(0x5eed_2025_0003);
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(year, m, d).expect("a day of last year");
    let tasks = [
        ("农民工工资支付情况专项抽查", "RS-001", "劳动保障监察大队", 4, 1000, "《保障农民工工资支付条例》"),
        ("用人单位参加社会保险情况抽查", "RS-002", "社会保险科", 9, 1000, "《中华人民共和国社会保险法》"),
    ];
    for (title, item, department, month, ratio_bp, basis) in tasks {
        let def = TaskDefinition {
            title: format!("{year}年{title}"),
            kind: TaskKind::Random,
            trigger: String::new(),
            trigger_kind: None,
            leads: Vec::new(),
            exemption: None,
            items: vec![item.into()],
            departments: vec![department.into()],
            eligibility: Eligibility { region_prefixes: vec!["410307".into()], ..Eligibility::default() },
            size: SizeSpec::RatioBp(ratio_bp),
            stratify_by: None,
            weights: CreditWeights::default(),
            risk_weights: None,
            yearly_cap: 2,
            window_start: day(month, 10),
            window_end: day(month + 2, 28),
            method: "on-site".into(),
            team: TeamSpec::Size(2),
            max_load: None,
            reserve: 3,
            control: 0,
        };
        clock::set(Some(at(year, month, 2)));
        let t = wf::save_task(store, None, &wf::Filing::default(), &def, &organizer, None).await?;
        wf::publish_task(store, t.id, &organizer).await?;
        clock::set(Some(at(year, month, 9)));
        let witnesses = vec![
            Contribution {
                name: "王建国（人大代表）".into(),
                digits: format!("{:010}", g.next() % 10_000_000_000),
            },
            Contribution {
                name: "李秀英（社会监督员）".into(),
                digits: format!("{:010}", g.next() % 10_000_000_000),
            },
        ];
        wf::draw_task(store, t.id, SeedInput::Witnesses(witnesses), &organizer).await?;
        let teams = wf::assign_random(store, t.id, &organizer).await?;
        for (n, team) in teams.teams.iter().enumerate() {
            let ended = day(month, 12) + chrono::Duration::days((n as i64 * 3) % 50);
            // About one in five found owing or not paying in, one in twenty left for a case,
            // one in twenty-five not found at its address.
            let roll = g.below(100);
            let conclusion = match roll {
                0..=19 => Conclusion::Corrected,
                20..=24 => Conclusion::PendingHandling,
                25..=28 => Conclusion::Unreachable,
                _ => Conclusion::NoProblem,
            };
            let problem = matches!(conclusion, Conclusion::Corrected | Conclusion::PendingHandling);
            let verdict = match conclusion {
                Conclusion::Unreachable => ItemVerdict::NotChecked,
                _ if problem => ItemVerdict::NonCompliant,
                _ => ItemVerdict::Compliant,
            };
            let handling = match conclusion {
                Conclusion::Corrected => {
                    Handling { rectify_by: Some(ended + chrono::Duration::days(15)), ..Handling::default() }
                }
                Conclusion::PendingHandling if roll % 2 == 0 => {
                    Handling { referred_to: "偃师区人民法院".into(), ..Handling::default() }
                }
                _ => Handling::default(),
            };
            let form = InspectionForm {
                started_on: ended,
                ended_on: ended,
                items: vec![ItemResult {
                    item: item.into(),
                    verdict,
                    basis: basis.into(),
                    note: String::new(),
                }],
                findings: if problem {
                    "台账显示存在未按规定办理的情形。".into()
                } else {
                    String::new()
                },
                conclusion,
                non_cooperation: None,
                handling,
                signed: conclusion != Conclusion::Unreachable,
                unsigned_reason: if conclusion == Conclusion::Unreachable {
                    "在登记的住所无法联系".into()
                } else {
                    String::new()
                },
                summary: "按检查事项逐项核查。".into(),
                public_note: String::new(),
                extension_reason: String::new(),
                follow_up: None,
            };
            let (lead, name) = team.members[0].clone();
            let member = Actor { name, role: "inspector".into() };
            // Published within a fortnight; one in eleven weeks later (counted late).
            let published =
                ended + chrono::Duration::days(if n % 11 == 5 { 45 } else { 1 + (n as i64 % 14) });
            clock::set(Some(suiji_store::audit::china_midnight(published) + chrono::Duration::hours(3)));
            wf::save_form(store, team.inspection_id, &form, Some(&lead), &member).await?;
            wf::publish_result(store, team.inspection_id, Some(&lead), &member).await?;
            // A follow-up after the deadline: rectified, but for one in six.
            let Some(r) = wf::rectification_of(store, team.inspection_id).await? else { continue };
            let checked = r.deadline_in_force + chrono::Duration::days(3);
            clock::set(Some(suiji_store::audit::china_midnight(checked) + chrono::Duration::hours(2)));
            let r = wf::schedule_follow_up(store, r.id, false, &organizer).await?;
            let Some(f) = r.pending_follow_up().cloned() else { continue };
            let outcome = if n % 6 == 1 { FollowUpOutcome::NotRectified } else { FollowUpOutcome::Rectified };
            let found = InspectionForm {
                items: vec![ItemResult {
                    item: item.into(),
                    verdict: if outcome == FollowUpOutcome::Rectified {
                        ItemVerdict::Compliant
                    } else {
                        ItemVerdict::NonCompliant
                    },
                    basis: basis.into(),
                    note: String::new(),
                }],
                findings: if outcome == FollowUpOutcome::Rectified {
                    String::new()
                } else {
                    "复查时仍未补缴、补发。".into()
                },
                conclusion: if outcome == FollowUpOutcome::Rectified {
                    Conclusion::NoProblem
                } else {
                    Conclusion::PendingHandling
                },
                handling: Handling::default(),
                signed: true,
                unsigned_reason: String::new(),
                follow_up: Some(outcome),
                started_on: checked,
                ended_on: checked,
                summary: "复查整改情况。".into(),
                ..form
            };
            let (lead, name) = f.members[0].clone();
            let member = Actor { name, role: "inspector".into() };
            wf::save_form(store, f.inspection_id, &found, Some(&lead), &member).await?;
            wf::publish_result(store, f.inspection_id, Some(&lead), &member).await?;
            if outcome == FollowUpOutcome::NotRectified {
                wf::escalate(store, r.id, Escalation::Case, "逾期未整改，转立案查处。", &organizer).await?;
            }
        }
    }
    Ok(())
}

/// The inspector account's certificate: 劳动保障监察大队, valid through 2027.
const DEMO_CERT: &str = "豫人社监3070";

/// A year's plans, one per department, approved and published together as the bureau's
/// annual plan; the 监察大队's task drawn at a ceremony, its teams assigned and results
/// published; each 业务科室 running its own task; and the joint task the 监察大队 coordinates
/// for the two 科, published and waiting for its draw.
async fn workflow(store: &Store) -> Result<(), suiji_store::workflow::WorkflowError> {
    use suiji_domain::workflow::*;
    use suiji_store::workflow::{self as wf, Contribution, NewPlan, SeedInput};
    let organizer = Actor::user("organizer", Role::Organizer);
    let inspector = Actor::user("inspector", Role::Inspector);
    accounts::link_inspector(store, "inspector", Some(DEMO_CERT), &Actor::system("demo"))
        .await
        .map_err(|e| wf::WorkflowError::State { zh: e.to_string(), en: e.to_string() })?;
    // Everything is dated by the day the demo is loaded: the draw is made today, so what
    // follows it (inspections, decisions, notices) is today too, and a firm's dossier reads
    // in the order things happened.
    let today = wf::china_today();
    let year = chrono::Datelike::year(&today);
    let days = |n| today + chrono::Duration::days(n);
    // Each department's plan, line by line, submitted to the 牵头科室 (the 监察大队), approved
    // — the 就业促进科's after it was returned once — and published: the bureau's annual plan.
    let year_end = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let line = |item: &str, count: Option<u32>, ratio: Option<u32>, joint: &[&str], note: &str| PlanLine {
        item: item.into(),
        expected_count: count,
        expected_ratio_bp: ratio,
        window_start: today,
        window_end: year_end,
        joint_departments: joint.iter().map(|d| (*d).to_owned()).collect(),
        note: note.into(),
        industries: Vec::new(),
    };
    // 人力资源服务业 (GB/T 4754 L726): the kind of firm two departments each plan to visit.
    let agencies = |l: PlanLine| PlanLine { industries: vec!["L726".into()], ..l };
    let plan = NewPlan {
        year,
        department: "劳动保障监察大队".into(),
        title: format!("{year}年度“双随机、一公开”抽查工作计划"),
        description: "全年开展农民工工资支付、社会保险、就业三类重点事项随机抽查。".into(),
        lines: vec![
            line("RS-001", None, Some(1000), &[], "重点事项，按区内在册用人单位的10%抽取"),
            line("RS-002", Some(20), None, &["社会保险科", "就业促进科"], "与就业事项合并为一次联合检查"),
            agencies(line("RS-004", Some(5), None, &[], "劳务派遣、职业中介机构的劳动合同")),
        ],
    };
    let plan = wf::save_plan(store, None, &plan, &organizer, None).await?;
    wf::plan_step(store, plan.id, PlanStep::Submit, "", &organizer, None).await?;
    wf::plan_step(store, plan.id, PlanStep::Approve, "同意。", &organizer, None).await?;
    let plan = wf::plan_step(store, plan.id, PlanStep::Publish, "", &organizer, None).await?;
    let insurance = (Actor::user("unit", Role::Unit), Some("社会保险科"));
    let employment = (Actor::user("unit2", Role::Unit), Some("就业促进科"));
    let new = NewPlan {
        year,
        department: "社会保险科".into(),
        title: format!("{year}年度社会保险领域抽查计划"),
        description: "社会保险登记、申报、缴费情况抽查。".into(),
        lines: vec![line("RS-002", None, Some(1000), &[], "按区内在册用人单位的10%抽取")],
    };
    let insurance_plan = wf::save_plan(store, None, &new, &insurance.0, insurance.1).await?;
    wf::plan_step(store, insurance_plan.id, PlanStep::Submit, "", &insurance.0, insurance.1).await?;
    wf::plan_step(store, insurance_plan.id, PlanStep::Approve, "同意。", &organizer, None).await?;
    let insurance_plan =
        wf::plan_step(store, insurance_plan.id, PlanStep::Publish, "", &organizer, None).await?;
    let mut new = NewPlan {
        year,
        department: "就业促进科".into(),
        title: format!("{year}年度就业和人力资源市场领域抽查计划"),
        description: "人力资源服务机构经营活动抽查。".into(),
        lines: vec![line("RS-009", Some(10), None, &[], "")],
    };
    let employment_plan = wf::save_plan(store, None, &new, &employment.0, employment.1).await?;
    let id = employment_plan.id;
    wf::plan_step(store, id, PlanStep::Submit, "", &employment.0, employment.1).await?;
    let why = "人力资源服务机构抽查数量偏少，请按不少于在册机构的5%重新测算后报送。";
    wf::plan_step(store, id, PlanStep::Return, why, &organizer, None).await?;
    // With a second line on the same kind of firms as one of the 监察大队's: the plans page
    // offers the two for one joint task (综合查一次).
    new.lines = vec![
        line("RS-009", None, Some(500), &[], "按在册机构的5%抽取"),
        agencies(line("RS-003", Some(5), None, &[], "职业中介行为")),
    ];
    wf::save_plan(store, Some(id), &new, &employment.0, employment.1).await?;
    wf::plan_step(store, id, PlanStep::Submit, "已按意见修改。", &employment.0, employment.1).await?;
    wf::plan_step(store, id, PlanStep::Approve, "同意。", &organizer, None).await?;
    let employment_plan = wf::plan_step(store, id, PlanStep::Publish, "", &organizer, None).await?;
    let wages = TaskDefinition {
        title: format!("{year}年农民工工资支付情况专项抽查"),
        kind: TaskKind::Random,
        trigger: String::new(),
        trigger_kind: None,
        leads: Vec::new(),
        exemption: None,
        items: vec!["RS-001".into()],
        departments: vec!["劳动保障监察大队".into()],
        eligibility: Eligibility { region_prefixes: vec!["410307".into()], ..Eligibility::default() },
        size: SizeSpec::RatioBp(1000),
        stratify_by: None,
        weights: CreditWeights::default(),
        risk_weights: None,
        yearly_cap: 2,
        window_start: today,
        window_end: days(42),
        method: "on-site".into(),
        team: TeamSpec::Size(2),
        max_load: None,
        reserve: 3,
        control: 0,
    };
    let t = wf::save_task(store, None, &wf::Filing::line(plan.lines[0].id), &wages, &organizer, None).await?;
    wf::publish_task(store, t.id, &organizer).await?;
    let witnesses = vec![
        Contribution { name: "刘芳（人大代表）".into(), digits: "5820749163".into() },
        Contribution { name: "陈志强（企业代表）".into(), digits: "0374926518".into() },
    ];
    wf::draw_task(store, t.id, SeedInput::Witnesses(witnesses), &organizer).await?;
    let teams = wf::assign_random(store, t.id, &organizer).await?;
    let wages_task = t.id;
    // The firms of the wages task's last teams: where the complaints below come from.
    let complained: Vec<(String, String)> =
        teams.teams.iter().rev().take(2).map(|t| (t.uscc.clone(), t.target_name.clone())).collect();
    if let Some(team) = teams.teams.iter().find(|t| t.members.iter().any(|(c, _)| c == DEMO_CERT)) {
        let form = InspectionForm {
            started_on: today,
            ended_on: today,
            items: vec![ItemResult {
                item: "RS-001".into(),
                verdict: ItemVerdict::Compliant,
                basis: "《保障农民工工资支付条例》".into(),
                note: String::new(),
            }],
            findings: String::new(),
            conclusion: Conclusion::NoProblem,
            non_cooperation: None,
            handling: Handling::default(),
            signed: true,
            unsigned_reason: String::new(),
            summary: "查阅本年度工资支付台账，工资按月足额支付。".into(),
            public_note: String::new(),
            extension_reason: String::new(),
            follow_up: None,
        };
        wf::save_form(store, team.inspection_id, &form, Some(DEMO_CERT), &inspector).await?;
        wf::publish_result(store, team.inspection_id, Some(DEMO_CERT), &inspector).await?;
    }
    // Two firms ordered to pay wages owed (责令整改), whose rectifications are followed: one
    // with a follow-up by its team under way.
    let others = teams.teams.iter().filter(|t| !t.members.iter().any(|(c, _)| c == DEMO_CERT));
    for (n, team) in others.take(2).enumerate() {
        let lead = team.members[0].0.clone();
        let form = InspectionForm {
            started_on: today,
            ended_on: today,
            items: vec![ItemResult {
                item: "RS-001".into(),
                verdict: ItemVerdict::NonCompliant,
                basis: "《保障农民工工资支付条例》第十一条".into(),
                note: "上月工资未按约定日期支付".into(),
            }],
            findings: "拖欠3名劳动者上月工资共计1.2万元".into(),
            conclusion: Conclusion::Corrected,
            non_cooperation: None,
            handling: Handling { rectify_by: Some(days(8 + 8 * n as i64)), ..Handling::default() },
            signed: true,
            unsigned_reason: String::new(),
            summary: "已当场送达责令改正指令书，限期足额支付拖欠工资。".into(),
            public_note: String::new(),
            extension_reason: String::new(),
            follow_up: None,
        };
        // Entered by the team's lead (who has no account in the demo: named as a person).
        let member = Actor { name: team.members[0].1.clone(), role: "inspector".into() };
        wf::save_form(store, team.inspection_id, &form, Some(&lead), &member).await?;
        wf::publish_result(store, team.inspection_id, Some(&lead), &member).await?;
        if n == 0
            && let Some(r) = wf::rectification_of(store, team.inspection_id).await?
        {
            wf::schedule_follow_up(store, r.id, false, &organizer).await?;
        }
        // The other owed wages before: fined under 一般程序, the notice published; a second
        // decision, a warning on the spot (简易程序), is recorded with no notice of its own.
        if n == 1 {
            let fine = PenaltyDecision {
                procedure: Procedure::General,
                decision_no: format!("偃人社监罚〔{year}〕12号"),
                decided_on: today,
                facts: "拖欠3名劳动者上月工资共计1.2万元，且未按规定书面记录工资支付情况。".into(),
                basis: "《保障农民工工资支付条例》第五十五条".into(),
                penalty: "罚款人民币5000元".into(),
            };
            let p = wf::record_penalty(store, team.inspection_id, &fine, &organizer).await?;
            wf::publish_penalty(store, p.id, &organizer).await?;
            // …made public as a serious violation, and put on the wage-arrears list after it
            // was told and stated its case.
            use suiji_domain::lists::{Kind, ListName};
            use suiji_store::credit::{NewEntry, lists};
            let major = NewEntry { kinds: vec![Kind::Wages], ..NewEntry::default() };
            let m = lists::propose(store, p.id, ListName::MajorViolations, &major, &organizer).await?;
            lists::publish(store, m.id, &organizer).await?;
            let arrears = NewEntry { kinds: vec![Kind::ArrearsMassIncident], ..NewEntry::default() };
            let w = lists::propose(store, p.id, ListName::WageArrears, &arrears, &organizer).await?;
            lists::notify(store, w.id, today, &organizer).await?;
            let said = "当事人书面陈述称资金周转困难，未提供已支付工资的证明，陈述理由不予采纳。";
            lists::decide(store, w.id, said, None, &organizer).await?;
        }
    }
    // A result kept off the portal (不予公开): it names a minor employee's personal details.
    let withheld = teams.teams.iter().filter(|t| !t.members.iter().any(|(c, _)| c == DEMO_CERT)).nth(2);
    if let Some(team) = withheld {
        let lead = team.members[0].0.clone();
        let form = InspectionForm {
            started_on: today,
            ended_on: today,
            items: vec![ItemResult {
                item: "RS-001".into(),
                verdict: ItemVerdict::Compliant,
                basis: "《保障农民工工资支付条例》".into(),
                note: String::new(),
            }],
            findings: "涉及一名未成年工的个人信息，已另案移交处理。".into(),
            conclusion: Conclusion::NoProblem,
            non_cooperation: None,
            handling: Handling::default(),
            signed: true,
            unsigned_reason: String::new(),
            summary: "工资按月支付；检查记录涉及未成年人个人信息。".into(),
            public_note: String::new(),
            extension_reason: String::new(),
            follow_up: None,
        };
        let member = Actor { name: team.members[0].1.clone(), role: "inspector".into() };
        wf::save_form(store, team.inspection_id, &form, Some(&lead), &member).await?;
        let basis = "《中华人民共和国未成年人保护法》（涉及未成年人个人信息）";
        wf::withhold_result(store, team.inspection_id, basis, &organizer).await?;
    }
    let joint = TaskDefinition {
        title: format!("{year}年社会保险与就业联合抽查"),
        items: vec!["RS-002".into(), "RS-003".into()],
        departments: vec!["社会保险科".into(), "就业促进科".into()],
        eligibility: Eligibility { region_prefixes: vec!["410307".into()], ..Eligibility::default() },
        team: TeamSpec::Joint([("社会保险科".to_owned(), 1), ("就业促进科".to_owned(), 1)].into()),
        ..wages.clone()
    };
    // Coordinated by the 监察大队 (its plan's line), with a team from each 科.
    let t = wf::save_task(store, None, &wf::Filing::line(plan.lines[1].id), &joint, &organizer, None).await?;
    wf::publish_task(store, t.id, &organizer).await?;
    // Each 业务科室 runs its own task on its own plan's line (谁主管、谁发起): the 社会保险科's
    // drawn before its witnesses and its teams assigned; the 就业促进科's published.
    let own = TaskDefinition {
        title: format!("{year}年用人单位参加社会保险及缴费情况抽查"),
        items: vec!["RS-002".into()],
        departments: vec!["社会保险科".into()],
        eligibility: Eligibility { region_prefixes: vec!["410307".into()], ..Eligibility::default() },
        size: SizeSpec::RatioBp(1000),
        team: TeamSpec::Size(2),
        window_start: days(7),
        window_end: days(60),
        ..wages.clone()
    };
    let (unit, dept) = &insurance;
    let t =
        wf::save_task(store, None, &wf::Filing::line(insurance_plan.lines[0].id), &own, unit, *dept).await?;
    wf::publish_task(store, t.id, unit).await?;
    let witnesses = vec![
        Contribution { name: "孙晓红（企业职工代表）".into(), digits: "7305168249".into() },
        Contribution { name: "马立新（社会监督员）".into(), digits: "1948372605".into() },
    ];
    wf::draw_task(store, t.id, SeedInput::Witnesses(witnesses), unit).await?;
    let teams = wf::assign_random(store, t.id, unit).await?;
    // One member of the first team falls ill: replaced by a draw from the pool, the other stays.
    if let Some(team) = teams.teams.first()
        && let Some((cert, _)) = team.members.get(1)
    {
        wf::replace_member(store, team.inspection_id, cert, "因病住院治疗，不能参加本次检查", unit).await?;
    }
    // 综合查一次: the wages task and this one drew some of the same firms for overlapping weeks.
    // The visits neither has made are merged: one joint team a firm, two of each department,
    // drawn from both tasks' pools; each task will publish its own result.
    let both = wf::mergeable(store, wages_task).await?.into_iter().find(|m| m.task_id == t.id);
    if let Some(both) = both {
        wf::merge_visits(store, wages_task, t.id, &both.targets, &organizer).await?;
    }
    let own = TaskDefinition {
        title: format!("{year}年人力资源服务机构经营活动抽查"),
        items: vec!["RS-009".into()],
        departments: vec!["就业促进科".into()],
        eligibility: Eligibility { region_prefixes: vec!["410307".into()], ..Eligibility::default() },
        // 分类抽查 (seed 002 第六条): a share of each 信用风险分类, more of the riskier, at least
        // three of class D, and some of every class.
        size: SizeSpec::Shares(
            [("A", 200, 0), ("B", 500, 0), ("C", 1000, 0), ("D", 2000, 3)]
                .into_iter()
                .map(|(class, ratio_bp, floor)| (class.to_owned(), StratumShare { ratio_bp, floor }))
                .collect(),
        ),
        stratify_by: Some(StratumField::RiskClass),
        // 对照样本: five more, without weights or strata, from those the shares did not draw,
        // to tell at the year's end whether drawing by risk found more problems.
        control: 5,
        team: TeamSpec::Size(2),
        method: "written".into(),
        window_start: days(14),
        window_end: days(75),
        ..wages.clone()
    };
    let (unit, dept) = &employment;
    let t =
        wf::save_task(store, None, &wf::Filing::line(employment_plan.lines[0].id), &own, unit, *dept).await?;
    wf::publish_task(store, t.id, unit).await?;
    let witnesses = vec![
        Contribution {
            name: "郑晓东（人力资源服务行业协会代表）".into(), digits: "6047291538".into()
        },
        Contribution { name: "何丽萍（社会监督员）".into(), digits: "2831950746".into() },
    ];
    wf::draw_task(store, t.id, SeedInput::Witnesses(witnesses), unit).await?;
    // 线索: a complaint about a firm the wages task drew, and a referral on the same firm a few
    // days later (多点触发); the complaint taken up by a triggered task directed at the firm —
    // its public page names 投诉举报 and nothing the complaint says. A monitoring alert on
    // another firm waits in the register.
    if let [(firm, _), (other, _)] = complained.as_slice() {
        let lead = |source, received_on, target: &str, reference: &str, summary: &str| NewLead {
            source,
            received_on,
            targets: vec![target.to_owned()],
            reference: reference.into(),
            summary: summary.into(),
        };
        let dept = Some("劳动保障监察大队");
        let complaint = lead(
            LeadSource::Complaint,
            days(-6),
            firm,
            "12345-20261201-0031",
            "职工张某来电反映：该单位自今年九月起拖欠一线职工工资，涉及约二十人，已提供工资条和考勤记录照片。",
        );
        let complaint = wf::register_lead(store, &complaint, dept, &organizer).await?;
        wf::add_lead_file(
            store,
            complaint.id,
            "工资条及考勤记录（照片说明）.txt",
            "text/plain",
            "举报人提供的工资条和考勤记录照片共6张，原件存档。".as_bytes().to_vec(),
            None,
            &organizer,
        )
        .await?;
        let referral = lead(
            LeadSource::Referral,
            days(-2),
            firm,
            "洛人社转〔2026〕17号",
            "市局转办：该单位多名职工到市局信访反映欠薪问题，请核查处理并报告结果。",
        );
        wf::register_lead(store, &referral, dept, &organizer).await?;
        let alert = lead(
            LeadSource::Monitoring,
            days(-1),
            other,
            "",
            "网络招聘信息监测：该单位发布的招聘信息含性别限制条件。",
        );
        wf::register_lead(store, &alert, dept, &organizer).await?;
        // 不予立项: a complaint settled before anyone was sent.
        let settled = lead(
            LeadSource::Complaint,
            days(-9),
            other,
            "12345-20261128-0107",
            "职工反映该单位未支付十一月加班费。",
        );
        let settled = wf::register_lead(store, &settled, dept, &organizer).await?;
        wf::close_lead(
            store,
            settled.id,
            "经电话核实，该单位已于12月1日补发加班费，投诉人确认并撤回投诉",
            None,
            &organizer,
        )
        .await?;
        let triggered = TaskDefinition {
            title: "投诉举报线索核查（拖欠工资）".into(),
            kind: TaskKind::Triggered,
            trigger_kind: Some(LeadSource::Complaint),
            leads: vec![complaint.id],
            // A complaint with evidence: the firm is inspected even at its yearly limit.
            exemption: Some(Exemption::ComplaintEvidence),
            // The wages item and the complaint check of the 触发式事项清单.
            items: vec!["RS-001".into(), "RS-011".into()],
            eligibility: Eligibility { targets: vec![firm.clone()], ..Eligibility::default() },
            size: SizeSpec::Count(1),
            reserve: 0,
            window_start: today,
            window_end: days(20),
            ..wages.clone()
        };
        let t = wf::save_task(store, None, &wf::Filing::default(), &triggered, &organizer, None).await?;
        wf::publish_task(store, t.id, &organizer).await?;
    }
    // The year's 守法诚信等级评价, proposed and waiting for the organizer to review and confirm.
    suiji_store::credit::evaluate(store, year, &organizer).await?;
    Ok(())
}
