//! What the workflow's pages and API share: reading a task's and an inspection's forms into the
//! domain's documents, and a refused step as a page or a JSON error.

use crate::error::{ApiError, PageError};
use crate::lang::Lang;
use axum::http::StatusCode;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use suiji_domain::workflow::{
    Conclusion, CreditWeights, Eligibility, Handling, InspectionForm, Invalid, ItemResult, ItemVerdict,
    NonCooperation, SizeSpec, StratumField, StratumShare, TaskDefinition, TaskKind, TeamSpec,
};
use suiji_store::workflow::WorkflowError;

/// The status a refused step answers with.
pub fn status_of(e: &WorkflowError) -> StatusCode {
    match e {
        WorkflowError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        WorkflowError::NotFound { .. } => StatusCode::NOT_FOUND,
        WorkflowError::State { .. } => StatusCode::CONFLICT,
        WorkflowError::Forbidden { .. } => StatusCode::FORBIDDEN,
        WorkflowError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Where a visit of a firm stands: `drawn` (selected, no team yet) or its inspection's status.
pub fn stage(lang: Lang, status: &str) -> &'static str {
    match status {
        "drawn" => lang.t("已抽中，待选派检查组", "drawn, awaiting a team"),
        s if lang.is_en() => suiji_store::workflow::status_en(s),
        s => suiji_store::workflow::status_zh(s),
    }
}

pub fn page_error(lang: Lang, e: WorkflowError) -> PageError {
    match e {
        WorkflowError::Store(e) => PageError::internal(lang, e),
        e => PageError::new(status_of(&e), lang, if lang.is_en() { e.en() } else { e.zh() }),
    }
}

impl From<WorkflowError> for ApiError {
    fn from(e: WorkflowError) -> ApiError {
        match e {
            WorkflowError::Store(e) => e.into(),
            WorkflowError::Invalid(problems) => {
                let mut err = ApiError::field(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &problems.first().map(|p| p.field.clone()).unwrap_or_default(),
                    problems.iter().map(|p| format!("{} ({})", p.zh, p.en)).collect::<Vec<_>>().join("; "),
                );
                err.problems = problems.iter().map(|p| serde_json::to_value(p).unwrap_or_default()).collect();
                err
            }
            e => ApiError::new(status_of(&e), e.to_string()),
        }
    }
}

/// A long workflow step taken from a page (publishing a task freezes its population, a draw
/// writes its list, teams write an inspection each), run as a job of `viewer`'s about task
/// `task_id`, whose page for the step is `link`: its result when it ends within the server's
/// wait, so that the page answers as it always did; else the browser is sent to the job's
/// page, and the step goes on.
pub async fn step_as_job<T, F, Fut>(
    state: &crate::state::AppState,
    lang: Lang,
    viewer: &crate::auth::Viewer,
    kind: &str,
    task_id: i64,
    link: &str,
    work: F,
) -> Result<Result<T, WorkflowError>, axum::response::Response>
where
    T: Send + 'static,
    F: FnOnce(crate::jobs::Reporter) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<T, WorkflowError>> + Send + 'static,
{
    use axum::response::IntoResponse;
    let task = match suiji_store::workflow::task(&state.store, task_id).await {
        Ok(t) => t,
        Err(e) => return Err(page_error(lang, e).into_response()),
    };
    let title = format!("{} {}", task.code, task.definition.title);
    let started = crate::jobs::start(state, viewer, kind, &title, "开始 starting", Some(link), work)
        .await
        .map_err(|e| PageError::internal(lang, e).into_response())?;
    let id = started.id;
    started.wait(state.job_wait).await.ok_or_else(|| crate::jobs::page_of(id))
}

/// A step taken from a page: on to `to` when it was done, else the page saying why not.
/// Each problem's message in the page's language, in one line (as a refused form shows them).
pub fn problems_text(lang: Lang, problems: &[Invalid]) -> String {
    problems.iter().map(|p| lang.t(&p.zh, &p.en).to_owned()).collect::<Vec<_>>().join(lang.t("；", "; "))
}

pub fn done_or_error<T>(lang: Lang, result: Result<T, WorkflowError>, to: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    match result {
        Ok(_) => axum::response::Redirect::to(to).into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// A form's fields as sent: a name may come more than once (check boxes).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A list typed in one box, separated by commas, 、, semicolons, spaces or lines.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .split([',', '，', '、', ';', '；', '\n', '\r', ' ', '\u{3000}'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    pub(crate) fn number<T: std::str::FromStr>(&self, name: &str, out: &mut Vec<Invalid>, default: T) -> T {
        let v = self.get(name);
        if v.is_empty() {
            return default;
        }
        v.parse().unwrap_or_else(|_| {
            out.push(Invalid::new(name, format!("“{v}”不是整数"), format!("{v:?} is not a whole number")));
            default
        })
    }

    pub(crate) fn date(&self, name: &str, out: &mut Vec<Invalid>) -> Option<NaiveDate> {
        let v = self.get(name);
        if v.is_empty() {
            return None;
        }
        NaiveDate::parse_from_str(v, "%Y-%m-%d").map(Some).unwrap_or_else(|_| {
            out.push(Invalid::new(
                name,
                format!("“{v}”不是日期（YYYY-MM-DD）"),
                format!("{v:?} is not a date (YYYY-MM-DD)"),
            ));
            None
        })
    }

    pub(crate) fn required_date(&self, name: &str, out: &mut Vec<Invalid>) -> NaiveDate {
        self.date(name, out).unwrap_or_else(|| {
            if self.get(name).is_empty() {
                out.push(Invalid::new(name, "请填写日期", "a date is required"));
            }
            NaiveDate::default()
        })
    }

    /// Lines of `name=count`.
    fn counts(&self, name: &str, out: &mut Vec<Invalid>) -> BTreeMap<String, u64> {
        let mut map = BTreeMap::new();
        for line in self.get(name).lines().map(str::trim).filter(|l| !l.is_empty()) {
            let parsed = line
                .rsplit_once(['=', '＝', ':', '：'])
                .and_then(|(k, n)| n.trim().parse::<u64>().ok().map(|n| (k.trim().to_owned(), n)));
            match parsed {
                Some((k, n)) => {
                    map.insert(k, n);
                }
                None => out.push(Invalid::new(
                    name,
                    format!("“{line}”应写成 名称=数量"),
                    format!("{line:?} should read name=count"),
                )),
            }
        }
        map
    }
}

/// The shares as typed, one stratum a line: `D=20%,10` (20% of the stratum, at least 10),
/// `C=10`; the empty stratum (no class, no grade) is written `（空）`.
fn shares(f: &Fields, out: &mut Vec<Invalid>) -> BTreeMap<String, StratumShare> {
    let mut map = BTreeMap::new();
    for line in f.get("size_shares").lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parsed = line.split_once(['=', '＝', ':', '：']).and_then(|(k, v)| {
            let (ratio, floor) = v.split_once([',', '，', '、', ' ']).unwrap_or((v, ""));
            let floor = match floor.trim().trim_end_matches('户') {
                "" => 0,
                n => n.parse::<u64>().ok()?,
            };
            let key = match k.trim() {
                "（空）" | "(空)" | "空" => "",
                k => k,
            };
            Some((key.to_owned(), StratumShare { ratio_bp: ratio_bp(ratio)?, floor }))
        });
        match parsed {
            Some((k, share)) => {
                map.insert(k, share);
            }
            None => out.push(Invalid::new(
                "size_shares",
                format!("“{line}”应写成 层=比例%,最少户数，如 D=20%,10"),
                format!("{line:?} should read stratum=ratio%,least, e.g. D=20%,10"),
            )),
        }
    }
    map
}

/// A percentage as typed (`5`, `5.5`, `12.25%`) in basis points.
fn ratio_bp(text: &str) -> Option<u32> {
    let t = text.trim().trim_end_matches(['%', '％']);
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let frac: u32 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

/// The task form, read into a definition; what cannot be read is named by field.
pub fn task_definition(f: &Fields) -> Result<TaskDefinition, Vec<Invalid>> {
    let mut out = Vec::new();
    let size = match f.get("size_kind") {
        "ratio" => match ratio_bp(f.get("size_ratio")) {
            Some(bp) => SizeSpec::RatioBp(bp),
            None => {
                out.push(Invalid::new(
                    "size",
                    "抽查比例应为百分数，如 5 或 5.5",
                    "the ratio is a percentage, e.g. 5 or 5.5",
                ));
                SizeSpec::RatioBp(0)
            }
        },
        "quotas" => SizeSpec::Quotas(f.counts("size_quotas", &mut out)),
        "shares" => SizeSpec::Shares(shares(f, &mut out)),
        _ => SizeSpec::Count(f.number("size_count", &mut out, 0)),
    };
    let joint = f.counts("team_joint", &mut out);
    let team = if joint.is_empty() {
        TeamSpec::Size(f.number("team_size", &mut out, 2))
    } else {
        TeamSpec::Joint(joint.into_iter().map(|(k, v)| (k, v.min(u64::from(u32::MAX)) as u32)).collect())
    };
    let defaults = CreditWeights::default();
    let def = TaskDefinition {
        title: f.get("title").to_owned(),
        kind: if f.get("kind") == "triggered" { TaskKind::Triggered } else { TaskKind::Random },
        trigger: f.get("trigger").to_owned(),
        trigger_kind: match f.get("trigger_kind") {
            "" => None,
            code => {
                let k = suiji_domain::workflow::LeadSource::parse(code);
                if k.is_none() {
                    out.push(Invalid::new("trigger_kind", "没有这种触发类型", "no such kind of trigger"));
                }
                k
            }
        },
        leads: f
            .list("leads")
            .iter()
            .filter_map(|v| {
                let id = v.trim_start_matches('#').parse::<i64>().ok();
                if id.is_none() {
                    out.push(Invalid::new(
                        "leads",
                        format!("线索编号“{}”应为数字", suiji_domain::text::shorten(v, 20)),
                        format!("a lead's number is a number, not {:?}", suiji_domain::text::shorten(v, 20)),
                    ));
                }
                id
            })
            .collect(),
        exemption: match f.get("exemption") {
            "" => None,
            code => {
                let e = suiji_domain::workflow::Exemption::parse(code);
                if e.is_none() {
                    out.push(Invalid::new("exemption", "没有这项豁免事由", "no such exemption"));
                }
                e
            }
        },
        items: f.all("items"),
        departments: f.list("departments"),
        eligibility: Eligibility {
            kinds: f.list("kinds"),
            scales: f.all("scales"),
            industry_prefixes: f.list("industry_prefixes"),
            region_prefixes: f.list("region_prefixes"),
            credit_grades: f.all("credit_grades"),
            risk_classes: f.all("risk_classes"),
            targets: f.list("targets").into_iter().map(|t| t.to_uppercase()).collect(),
        },
        size,
        stratify_by: StratumField::parse(f.get("stratify_by")),
        weights: CreditWeights {
            a: f.number("weight_a", &mut out, defaults.a),
            b: f.number("weight_b", &mut out, defaults.b),
            c: f.number("weight_c", &mut out, defaults.c),
            unrated: f.number("weight_unrated", &mut out, defaults.unrated),
        },
        // Weights by risk class only when one of them is filled in; a blank one is 1.
        risk_weights: ["risk_a", "risk_b", "risk_c", "risk_d", "risk_none"]
            .iter()
            .any(|n| !f.get(n).is_empty())
            .then(|| suiji_domain::workflow::RiskWeights {
                a: f.number("risk_a", &mut out, 1),
                b: f.number("risk_b", &mut out, 1),
                c: f.number("risk_c", &mut out, 1),
                d: f.number("risk_d", &mut out, 1),
                unclassified: f.number("risk_none", &mut out, 1),
            }),
        yearly_cap: f.number("yearly_cap", &mut out, suiji_domain::rules::DEFAULT_YEARLY_CAP),
        window_start: f.required_date("window_start", &mut out),
        window_end: f.required_date("window_end", &mut out),
        method: f.get("method").to_owned(),
        team,
        max_load: Some(f.get("max_load"))
            .filter(|v| !v.is_empty())
            .map(|_| f.number("max_load", &mut out, 1)),
        reserve: f.number("reserve", &mut out, 0),
        control: f.number("control", &mut out, 0),
    };
    if out.is_empty() { Ok(def) } else { Err(out) }
}

/// The inspection form, read for the task's items.
pub fn inspection_form(f: &Fields, items: &[String]) -> Result<InspectionForm, Vec<Invalid>> {
    let mut out = Vec::new();
    let mut results = Vec::new();
    for code in items {
        match ItemVerdict::parse(f.get(&format!("verdict_{code}"))) {
            Some(verdict) => results.push(ItemResult {
                item: code.clone(),
                verdict,
                basis: f.get(&format!("basis_{code}")).to_owned(),
                note: f.get(&format!("note_{code}")).to_owned(),
            }),
            None => out.push(Invalid::new(
                "items",
                format!("请选择事项 {code} 的检查结果"),
                format!("choose the result of {code}"),
            )),
        }
    }
    let conclusion = Conclusion::parse(f.get("conclusion"));
    if conclusion.is_none() {
        out.push(Invalid::new("conclusion", "请选择检查结论", "choose a conclusion"));
    }
    let form = InspectionForm {
        started_on: f.required_date("started_on", &mut out),
        ended_on: f.required_date("ended_on", &mut out),
        items: results,
        findings: f.get("findings").to_owned(),
        conclusion: conclusion.unwrap_or(Conclusion::NoProblem),
        non_cooperation: NonCooperation::parse(f.get("non_cooperation")),
        handling: Handling {
            rectify_by: f.date("rectify_by", &mut out),
            penalty_decision_no: f.get("penalty_decision_no").to_owned(),
            penalty_date: f.date("penalty_date", &mut out),
            referred_to: f.get("referred_to").to_owned(),
        },
        signed: f.get("signed") != "no",
        unsigned_reason: f.get("unsigned_reason").to_owned(),
        summary: f.get("summary").to_owned(),
        public_note: f.get("public_note").to_owned(),
        extension_reason: f.get("extension_reason").to_owned(),
        follow_up: match f.get("follow_up") {
            "" => None,
            code => match suiji_domain::workflow::FollowUpOutcome::parse(code) {
                Some(outcome) => Some(outcome),
                None => {
                    out.push(Invalid::new("follow_up", "复查结论无效", "not a follow-up outcome"));
                    None
                }
            },
        },
    };
    if out.is_empty() { Ok(form) } else { Err(out) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn ratios_in_basis_points() {
        assert_eq!(ratio_bp("5"), Some(500));
        assert_eq!(ratio_bp("5.5%"), Some(550));
        assert_eq!(ratio_bp("12.25"), Some(1225));
        assert_eq!(ratio_bp("1.234"), None);
        assert_eq!(ratio_bp("abc"), None);
    }

    #[test]
    fn a_task_form_reads_into_a_definition() {
        let f = fields(&[
            ("title", "专项抽查"),
            ("items", "RS-001"),
            ("items", "RS-010"),
            ("departments", "劳动保障监察科、社会保险科"),
            ("credit_grades", "C"),
            ("region_prefixes", "4103 1508"),
            ("size_kind", "quotas"),
            ("size_quotas", "C=3\nB：2"),
            ("stratify_by", "credit_grade"),
            ("window_start", "2026-06-01"),
            ("window_end", "2026-06-30"),
            ("method", "on-site"),
            ("team_joint", "劳动保障监察科=1\n社会保险科=1"),
            ("reserve", "2"),
            ("control", "5"),
        ]);
        let d = task_definition(&f).unwrap();
        assert_eq!(d.items, ["RS-001", "RS-010"]);
        assert_eq!(d.departments, ["劳动保障监察科", "社会保险科"]);
        assert_eq!(d.eligibility.region_prefixes, ["4103", "1508"]);
        assert_eq!(d.control, 5);
        assert_eq!(d.size, SizeSpec::Quotas(BTreeMap::from([("C".into(), 3), ("B".into(), 2)])));
        assert_eq!(d.team.size(), 2);
        let bad = fields(&[("size_kind", "count"), ("size_count", "x"), ("window_start", "June")]);
        let problems: Vec<String> = task_definition(&bad).unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(problems, ["size_count", "window_start", "window_end"]);
    }

    #[test]
    fn shares_read_a_ratio_and_a_floor_per_stratum() {
        let f = fields(&[(
            "size_shares",
            "D=20%,10
C＝10
（空）=5%，2户
",
        )]);
        let share = |ratio_bp, floor| StratumShare { ratio_bp, floor };
        assert_eq!(
            shares(&f, &mut Vec::new()),
            BTreeMap::from([
                ("D".into(), share(2000, 10)),
                ("C".into(), share(1000, 0)),
                ("".into(), share(500, 2))
            ])
        );
        let mut out = Vec::new();
        shares(
            &fields(&[(
                "size_shares",
                "D=20%,ten
C",
            )]),
            &mut out,
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].field, "size_shares");
    }
}
