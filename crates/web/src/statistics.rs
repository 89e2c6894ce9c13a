//! 统计: a period's figures (docs/statistics.md), pages and API side by side — the staff page
//! (`/staff/stats`, each figure as a table with its bar chart beside, and as `.xlsx`) and
//! `GET /api/v1/stats`. The workbench's numbers and the portal's 抽查情况 are to come here too.

use crate::api::ApiQuery;
use crate::auth::Viewer;
use crate::error::{ApiError, PageError};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::page_error;
use askama::Template;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::Deserialize;
use suiji_domain::stats::{Group, Period, Share, Stats};

/// `?from=&to=&department=`: a period (this year when neither day is given) and one
/// department's tasks (the whole bureau's when absent).
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// The period's first day (1 January of `to`'s year when only `to` is given).
    #[serde(default)]
    from: Option<NaiveDate>,
    /// The period's last day (31 December of `from`'s year when only `from` is given).
    #[serde(default)]
    to: Option<NaiveDate>,
    /// The department running the tasks (主办部门).
    #[serde(default)]
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    department: Option<String>,
}

/// The longest period asked for at once: ten years.
const MAX_DAYS: i64 = 3_660;

impl StatsQuery {
    /// The period asked for, or why it cannot be.
    pub fn period(&self) -> Result<Period, ApiError> {
        self.checked().map_err(|(field, _, en)| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, field, en))
    }

    /// The period, or the field at fault and why (Chinese, English).
    fn checked(&self) -> Result<Period, (&'static str, &'static str, &'static str)> {
        let invalid = |field: &'static str, zh: &'static str, en: &'static str| Err((field, zh, en));
        let this_year = suiji_store::workflow::china_today().year();
        let year_of = |d: Option<NaiveDate>| d.map_or(this_year, |d| d.year());
        let from = self.from.or_else(|| NaiveDate::from_ymd_opt(year_of(self.to), 1, 1));
        let to = self.to.or_else(|| NaiveDate::from_ymd_opt(year_of(self.from), 12, 31));
        let (Some(from), Some(to)) = (from, to) else {
            return invalid("from", "没有这一天", "no such day");
        };
        for (field, day) in [("from", from), ("to", to)] {
            if !(2000..=2100).contains(&day.year()) {
                return invalid(field, "日期应在 2000 年至 2100 年之间", "a day from 2000 to 2100");
            }
        }
        if from > to {
            return invalid("to", "结束日期早于开始日期", "the period ends before it starts");
        }
        if (to - from).num_days() > MAX_DAYS {
            return invalid("to", "统计期间最长十年", "a period of ten years at most");
        }
        if let Some(d) = &self.department
            && (d.trim().is_empty() || d.chars().count() > suiji_domain::text::MAX_NAME)
        {
            return invalid(
                "department",
                "部门名称应为 1–200 个字",
                "a department's name, 1 to 200 characters",
            );
        }
        Ok(Period { from, to })
    }
}

/// `GET /api/v1/stats?from=&to=&department=`
pub async fn api_stats(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Json<Stats>, ApiError> {
    let period = q.period()?;
    Ok(Json(suiji_store::stats::stats(&state.store, &period, q.department.as_deref().map(str::trim)).await?))
}

/// Reads a page's query as [`StatsQuery`]: an empty department (the form's 全局) is none, and
/// `lang` (which any page takes) is the language's, not the figures'.
fn page_query(raw: Option<&str>) -> Result<StatsQuery, String> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| e.to_string())?;
    let ours: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "lang").collect();
    let ours = serde_urlencoded::to_string(ours).map_err(|e| e.to_string())?;
    let mut q: StatsQuery = serde_urlencoded::from_str(&ours).map_err(|e| e.to_string())?;
    q.department = q.department.filter(|d| !d.trim().is_empty());
    Ok(q)
}

#[derive(Template)]
#[template(path = "stats.html")]
struct Page<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    /// The period and department asked for, as the form shows them.
    from: String,
    to: String,
    department: String,
    departments: Vec<String>,
    /// Why the figures could not be counted (a bad period), in the page's language.
    error: Option<String>,
    s: Option<Stats>,
    /// The query string, for the `.xlsx` link.
    query: String,
}

impl Page<'_> {
    /// The year whose 工作总结 the page offers: the period's first day's.
    fn summary_year(&self, s: &Stats) -> i32 {
        use chrono::Datelike;
        s.period.from.year()
    }

    fn bar(&self, share: &Share) -> String {
        share_bar(share)
    }

    /// A bar for a count, against the largest of its table.
    fn count_bar(&self, part: &u64, groups: &[Group]) -> String {
        let most = groups.iter().map(|g| g.share.part).max().unwrap_or(0);
        bar(u32::try_from(*part).unwrap_or(u32::MAX), u32::try_from(most).unwrap_or(u32::MAX))
    }

    /// The coverage's tables.
    fn coverage_tables<'s>(&self, s: &'s Stats) -> Vec<Table<'s>> {
        let lang = self.lang;
        let table = |title, groups, by, show_key| Table { title, head: "", counts: "", groups, by, show_key };
        vec![
            table(lang.t("按区划", "By region"), &s.coverage.by_region, "region", true),
            table(lang.t("按行业门类", "By industry section"), &s.coverage.by_industry, "industry", true),
            // A scale's code is an English word: not worth showing beside its name.
            table(lang.t("按规模", "By scale"), &s.coverage.by_scale, "scale", false),
        ]
    }

    /// The findings' tables.
    fn finding_tables<'s>(&self, s: &'s Stats) -> Vec<Table<'s>> {
        let lang = self.lang;
        let found = lang.t("发现问题 / 已办结", "With a problem / completed");
        let table =
            |title, head, counts, groups, by| Table { title, head, counts, groups, by, show_key: false };
        vec![
            table(
                lang.t("按检查结论", "By conclusion"),
                lang.t("结论", "Conclusion"),
                lang.t("检查次数 / 已办结", "Inspections / completed"),
                &s.findings.by_conclusion,
                "conclusion",
            ),
            table(
                lang.t("按诚信等级", "By credit grade"),
                lang.t("等级", "Grade"),
                found,
                &s.findings.by_grade,
                "grade",
            ),
            table(
                lang.t("按信用风险分类", "By risk class"),
                lang.t("分类", "Class"),
                found,
                &s.findings.by_risk_class,
                "class",
            ),
            Table {
                title: lang.t("按检查事项", "By item"),
                head: lang.t("事项", "Item"),
                counts: lang.t("不符合规定 / 已检查", "Not complied with / checked"),
                groups: &s.findings.by_item,
                by: "item",
                show_key: true,
            },
        ]
    }

    /// The workload's tables.
    fn workload_tables<'s>(&self, s: &'s Stats) -> Vec<Table<'s>> {
        let lang = self.lang;
        let table =
            |title, head, groups, by, show_key| Table { title, head, counts: "", groups, by, show_key };
        vec![
            table(
                lang.t("按主办部门（已办结检查）", "By department (completed inspections)"),
                lang.t("部门", "Department"),
                &s.workload.by_department,
                "department",
                false,
            ),
            table(
                lang.t("按检查人员（前 20 名）", "By inspector (the first 20)"),
                lang.t("检查人员", "Inspector"),
                &s.workload.by_inspector,
                "inspector",
                true,
            ),
        ]
    }

    fn name(&self, by: &str, g: &Group) -> String {
        group_name(self.lang, by, g)
    }

    fn days(&self, d: &Option<i64>) -> String {
        days(*d)
    }

    fn least(&self, bp: &Option<u32>) -> String {
        bp.map_or_else(|| "—".to_owned(), suiji_domain::directory::percent)
    }
}

/// One table of groups on the statistics page.
struct Table<'s> {
    title: &'static str,
    /// The groups' column heading, and the counts' (none where the table has its own).
    head: &'static str,
    counts: &'static str,
    groups: &'s [Group],
    /// What the groups are (see [`group_name`]).
    by: &'static str,
    /// Whether the group's code is shown beside its name.
    show_key: bool,
}

/// A group's name in the page's language: the store names groups in Chinese; in English a
/// conclusion, list, grade, class or scale is named in English, and data (a region's, an
/// industry's, a department's or a person's name) stays as it is.
fn group_name(lang: Lang, by: &str, g: &Group) -> String {
    if !lang.is_en() {
        return g.name.clone();
    }
    let key = g.key.as_str();
    match by {
        "conclusion" => suiji_domain::workflow::Conclusion::parse(key)
            .map_or_else(|| g.name.clone(), |c| c.en().to_owned()),
        "list" => {
            suiji_domain::lists::ListName::parse(key).map_or_else(|| g.name.clone(), |l| l.en().to_owned())
        }
        "grade" if key.is_empty() => "unrated".to_owned(),
        "grade" => format!("grade {key}"),
        "class" if key.is_empty() => "unclassified".to_owned(),
        "class" => format!("class {key}"),
        _ if key.is_empty() => "(none)".to_owned(),
        "scale" => key.to_owned(),
        _ => g.name.clone(),
    }
}

/// A bar for a share (its rate of 100%), drawn as an SVG rectangle: no inline style, so the
/// pages keep their strict content policy; the numbers are in the table beside.
pub(crate) fn share_bar(share: &Share) -> String {
    bar(share.rate_bp.unwrap_or(0), 10_000)
}

/// A number of days, or "—" of nothing.
fn days(d: Option<i64>) -> String {
    d.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

/// An SVG bar `value / of` of the width (none of nothing).
fn bar(value: u32, of: u32) -> String {
    let width = if of == 0 { 0.0 } else { (f64::from(value.min(of)) * 100.0 / f64::from(of)).max(0.0) };
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect class=\"track\" width=\"100\" height=\"8\"></rect><rect width=\"{width:.1}\" height=\"8\"></rect></svg>"
    )
}

/// The figures a page's query asks for — or, for a query that asks for none, why (in the
/// page's language) — with the query as read, for the form.
async fn figures(
    state: &AppState,
    lang: Lang,
    raw: Option<&str>,
) -> Result<(StatsQuery, Result<Stats, String>), PageError> {
    let q = match page_query(raw) {
        Ok(q) => q,
        Err(e) => {
            return Ok((StatsQuery::default(), Err(lang.t("查询条件有误：", "bad query: ").to_owned() + &e)));
        }
    };
    let period = match q.checked() {
        Ok(p) => p,
        Err((_, zh, en)) => return Ok((q, Err(lang.t(zh, en).to_owned()))),
    };
    let s = suiji_store::stats::stats(&state.store, &period, q.department.as_deref().map(str::trim))
        .await
        .map_err(|e| page_error(lang, e))?;
    Ok((q, Ok(s)))
}

/// `GET /staff/stats?from=&to=&department=`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let departments =
        suiji_store::org::active_names(state.store.connection()).await.map_err(|e| page_error(lang, e))?;
    let (q, outcome) = figures(&state, lang, raw.as_deref()).await?;
    let (from, to, error, s) = match outcome {
        Ok(s) => (s.period.from.to_string(), s.period.to.to_string(), None, Some(s)),
        Err(e) => (
            q.from.map(|d| d.to_string()).unwrap_or_default(),
            q.to.map(|d| d.to_string()).unwrap_or_default(),
            Some(e),
            None,
        ),
    };
    let department = q.department.clone().unwrap_or_default();
    let query = serde_urlencoded::to_string([("from", &from), ("to", &to), ("department", &department)])
        .unwrap_or_default();
    let status = crate::error::form_status(error.is_some());
    let page = Page { lang, viewer: Some(&viewer), from, to, department, departments, error, s, query };
    Ok(crate::error::render_status(status, lang, &page))
}

/// One row's numbers in the `.xlsx`.
enum Value<'a> {
    Share(&'a Share),
    Count(u64),
    Label,
}

/// `GET /staff/stats.xlsx?from=&to=&department=`: every figure of the page as rows of one
/// sheet — figure, group, count, of, rate.
pub async fn xlsx(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let (_, outcome) = figures(&state, lang, raw.as_deref()).await?;
    let s = outcome.map_err(|e| PageError::new(StatusCode::UNPROCESSABLE_ENTITY, lang, e))?;
    let period = &s.period;
    let mut rows: Vec<Vec<String>> = Vec::new();
    // A figure is a share (count, of, rate), a count alone, or a label (neither).
    let mut row = |figure: &str, group: &str, value: Value| {
        let (count, of, rate) = match value {
            Value::Share(s) => (
                s.part.to_string(),
                s.whole.to_string(),
                s.rate_bp.map(suiji_domain::directory::percent).unwrap_or_default(),
            ),
            Value::Count(n) => (n.to_string(), String::new(), String::new()),
            Value::Label => (String::new(), String::new(), String::new()),
        };
        rows.push(vec![figure.to_owned(), group.to_owned(), count, of, rate]);
    };
    use Value::{Count, Label};
    row("统计期间", &format!("{} 至 {}", period.from, period.to), Label);
    row("主办部门", s.department.as_deref().unwrap_or("全局"), Label);
    row("抽取任务数", "", Count(s.tasks));
    row("抽查覆盖率", "全部", Value::Share(&s.coverage.drawn));
    for (figure, groups) in [
        ("抽查覆盖率（按区划）", &s.coverage.by_region),
        ("抽查覆盖率（按行业门类）", &s.coverage.by_industry),
        ("抽查覆盖率（按类型）", &s.coverage.by_kind),
        ("抽查覆盖率（按规模）", &s.coverage.by_scale),
        ("最近一次被抽中的年度", &s.coverage.last_drawn),
    ] {
        for g in groups {
            row(figure, &format!("{} {}", g.name, g.key), Value::Share(&g.share));
        }
    }
    for i in &s.items {
        let meets = match i.meets {
            Some(true) => "达到",
            Some(false) => "未达到",
            None => "",
        };
        row(
            "事项覆盖",
            &format!(
                "{} {}（最低 {}，{meets}）",
                i.code,
                i.name,
                i.least_bp.map(suiji_domain::directory::percent).unwrap_or_default()
            ),
            Value::Share(&i.drawn),
        );
    }
    row("问题发现率", "全部", Value::Share(&s.findings.found));
    row("未能检查（无法联系、无经营活动、已注销）", "", Count(s.findings.not_inspectable));
    for (figure, groups) in [
        ("检查结论", &s.findings.by_conclusion),
        ("问题发现率（按诚信等级）", &s.findings.by_grade),
        ("问题发现率（按信用风险分类）", &s.findings.by_risk_class),
        ("问题发现率（按检查事项：不符合规定 / 已检查）", &s.findings.by_item),
    ] {
        for g in groups {
            row(figure, &g.name, Value::Share(&g.share));
        }
    }
    row("问题发现率（定向抽取）", "", Value::Share(&s.findings.directed));
    row("问题发现率（对照样本）", "", Value::Share(&s.findings.control));
    let h = &s.handling;
    row("责令整改", "", Count(h.rectifications));
    row("整改到位", "", Count(h.rectified));
    row("整改不到位转立案或移送", "", Count(h.escalated));
    row("行政处罚", "", Count(h.penalties));
    row("移送", "", Count(h.referrals));
    for g in &h.listed {
        row("列入名单", &g.name, Count(g.share.part));
    }
    row("检查结果按时公示", "", Value::Share(&s.timeliness.results_on_time));
    row(
        "检查结果公示用时中位数（日）",
        "",
        s.timeliness.results_median_days.and_then(|d| u64::try_from(d).ok()).map_or(Label, Count),
    );
    row("处罚决定按时公示", "", Value::Share(&s.timeliness.penalties_on_time));
    row(
        "处罚公示用时中位数（日）",
        "",
        s.timeliness.penalties_median_days.and_then(|d| u64::try_from(d).ok()).map_or(Label, Count),
    );
    for g in &s.workload.by_department {
        row("完成检查（按部门）", &g.name, Count(g.share.part));
    }
    for g in &s.workload.by_inspector {
        row("完成检查（按检查人员）", &format!("{} {}", g.name, g.key), Count(g.share.part));
    }
    row("更换检查组成员", "", Count(s.workload.member_changes));
    row("检查对象递补", "", Count(s.workload.target_replacements));
    row("回避", "", Count(s.workload.recusals));
    row("随机抽查占比", "", Value::Share(&s.kinds.random));
    row("触发式检查", "", Count(s.kinds.triggered));
    row("复查", "", Count(s.kinds.follow_up));
    let headers = ["指标", "分组", "数量", "总数", "比例"];
    let bytes = suiji_sheets::write(suiji_sheets::Format::Xlsx, &headers, &[false; 5], None, &rows)
        .map_err(|e| PageError::internal(lang, e))?;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(crate::pages::edit::download(bytes, &format!("统计-{}-{}", period.from, period.to), "xlsx", xlsx))
}

#[derive(Template)]
#[template(path = "public_stats.html")]
struct PublicPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    year: i32,
    /// The years with published tasks, newest first (this year among them).
    years: Vec<i32>,
    s: Stats,
}

impl PublicPage<'_> {
    fn bar(&self, share: &Share) -> String {
        share_bar(share)
    }

    fn name(&self, by: &str, g: &Group) -> String {
        group_name(self.lang, by, g)
    }

    fn days(&self, d: &Option<i64>) -> String {
        days(*d)
    }
}

/// `GET /public/stats?year=`: 抽查情况 — a year's public figures, live from the records: tasks
/// drawn, the directory's coverage, inspections completed and their published results by
/// conclusion, what was done, how fast results went public; and the years before.
pub async fn public_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: crate::auth::MaybeViewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    let asked = pairs.iter().find(|(k, _)| k == "year").map(|(_, v)| v.trim().to_owned());
    let this_year = suiji_store::workflow::china_today().year();
    let year = match asked.as_deref() {
        None | Some("") => this_year,
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => {
                return Err(PageError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    lang,
                    lang.t(
                        "年度应为 2000 至 2100 之间的整数。",
                        "The year is a whole number from 2000 to 2100.",
                    ),
                ));
            }
        },
    };
    let period = Period::year(year).expect("a year from 2000 to 2100 has its days");
    let s = suiji_store::stats::public_stats(&state.store, &period).await.map_err(|e| page_error(lang, e))?;
    let mut years = suiji_store::stats::public_years(&state.store).await.map_err(|e| page_error(lang, e))?;
    years.extend([this_year, year]);
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Ok(crate::error::render(lang, &PublicPage { lang, viewer: viewer.0.as_ref(), year, years, s }))
}
