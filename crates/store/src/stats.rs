//! 统计: the figures of [`suiji_domain::stats`] counted for a period (and a department's tasks),
//! each by a grouped query in SQL whatever the number of firms and inspections; only the tasks
//! and draws themselves (tens a year) are read whole. The same queries on SQLite and PostgreSQL.

use crate::Store;
use crate::workflow::{TO_INSPECT, WorkflowError};
use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, QueryResult};
use std::collections::{BTreeMap, HashMap, HashSet};
use suiji_domain::stats::{
    Coverage, Findings, Group, HandlingCounts, Headline, ItemCoverage, Kinds, Period, Share, Stats,
    Timeliness, Workload, found_problem, median, not_inspectable,
};
use suiji_domain::workflow::{Conclusion, ItemVerdict, TaskDefinition};

/// Statuses of an inspection whose result is final.
const COMPLETED: [&str; 2] = ["published", "withheld"];

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

fn n(row: &QueryResult, name: &str) -> Result<u64, sea_orm::DbErr> {
    Ok(u64::try_from(row.try_get::<i64>("", name)?).unwrap_or(0))
}

fn text(row: &QueryResult, name: &str) -> Result<String, sea_orm::DbErr> {
    Ok(row.try_get::<Option<String>>("", name)?.unwrap_or_default())
}

async fn rows(db: &impl ConnectionTrait, q: &SelectStatement) -> Result<Vec<QueryResult>, sea_orm::DbErr> {
    db.query_all(db.get_database_backend().build(q)).await
}

/// The `COUNT(*)` of a query, as `n`.
fn counted(q: &mut SelectStatement) -> &mut SelectStatement {
    q.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
}

/// A query's single count (`n`).
async fn count_of(db: &impl ConnectionTrait, q: &mut SelectStatement) -> Result<u64, sea_orm::DbErr> {
    rows(db, counted(q)).await?.first().map_or(Ok(0), |r| n(r, "n"))
}

/// Keeps rows whose `column` is a day of `period`.
fn within(q: &mut SelectStatement, column: Expr, period: &Period) {
    q.and_where(column.between(period.from, period.to));
}

/// Keeps rows of the given tasks only, if any.
fn of_tasks(q: &mut SelectStatement, column: Expr, tasks: Option<&[i64]>) {
    if let Some(t) = tasks {
        q.and_where(column.is_in(t.iter().copied()));
    }
}

/// The rows (a timestamp `at` each) whose day on China's calendar falls in `period`: changes
/// are a few a task, read with their times.
async fn at_in(
    db: &impl ConnectionTrait,
    q: &SelectStatement,
    period: &Period,
) -> Result<u64, sea_orm::DbErr> {
    let mut count = 0;
    for row in rows(db, q).await? {
        count += u64::from(period.contains(crate::audit::china_day(row.try_get("", "at")?)));
    }
    Ok(count)
}

/// A conclusion's code as the inspection's column holds it, "" for none.
const CONCLUSION: &str = "COALESCE(i.conclusion, '')";

/// Completed inspections counted by conclusion: all of them, and those that found a problem.
#[derive(Default)]
struct Tally {
    found: u64,
    all: u64,
}

impl Tally {
    fn add(&mut self, conclusion: &str, count: u64) {
        self.all += count;
        if Conclusion::parse(conclusion).is_some_and(found_problem) {
            self.found += count;
        }
    }

    fn share(&self) -> Share {
        Share::new(self.found, self.all)
    }
}

/// A task as the figures need it.
struct TaskRow {
    id: i64,
    kind: String,
    /// The department running it (主办部门).
    department: String,
    definition: Option<TaskDefinition>,
    population: u64,
}

/// Which tasks the figures count.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Bureau,
    Department(&'a str),
    Task(i64),
}

impl Scope<'_> {
    fn holds(&self, t: &TaskRow) -> bool {
        match self {
            Scope::Bureau => true,
            Scope::Department(d) => *d == t.department,
            Scope::Task(id) => *id == t.id,
        }
    }
}

/// Every figure for `period`, over the tasks `department` runs (all tasks when none).
pub async fn stats(store: &Store, period: &Period, department: Option<&str>) -> Result<Stats, WorkflowError> {
    let scope = department.map_or(Scope::Bureau, Scope::Department);
    figures(store, period, scope, &COMPLETED).await
}

/// The figures of one task over its whole life (the task report's): its draw, its completed
/// inspections and what was done about them, whenever they happened. Coverage is against the
/// whole directory, as in the bureau's figures.
pub async fn task_stats(store: &Store, task_id: i64) -> Result<Stats, WorkflowError> {
    figures(store, &Period::all(), Scope::Task(task_id), &COMPLETED).await
}

/// The figures the portal shows (抽查情况): the whole bureau's, with the inspections completed
/// counted by their published results only — a result kept off the portal (不予公开) is not
/// told, even in a count by conclusion.
pub async fn public_stats(store: &Store, period: &Period) -> Result<Stats, WorkflowError> {
    figures(store, period, Scope::Bureau, &["published"]).await
}

/// The years of the tasks the portal shows (published or later), for its yearly archive.
pub async fn public_years(store: &Store) -> Result<Vec<i32>, WorkflowError> {
    let mut q = Query::select();
    q.distinct()
        .column(Alias::new("year"))
        .from(Alias::new("tasks"))
        .and_where(Expr::col(Alias::new("status")).ne(suiji_domain::workflow::TaskStatus::Draft.code()));
    let db = store.connection();
    rows(db, &q)
        .await?
        .iter()
        .map(|r| Ok(i32::try_from(r.try_get::<i64>("", "year")?).unwrap_or(0)))
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}

/// The tasks a scope counts, with their valid draws made in the period and up to its end.
struct Counted {
    tasks: HashMap<i64, TaskRow>,
    in_period: Vec<i64>,
    up_to_end: Vec<i64>,
    /// The tasks drawn in the period.
    drawn_tasks: HashSet<i64>,
    /// The tasks counted, for the queries on inspections (none: every task).
    of_tasks: Option<Vec<i64>>,
}

async fn counted_tasks(
    db: &impl ConnectionTrait,
    period: &Period,
    scope: Scope<'_>,
) -> Result<Counted, WorkflowError> {
    // The tasks and their valid draws: tens a year, read whole. A task's department is the one
    // running it as everywhere else (`owner`: a task from before departments, its first).
    let mut q = Query::select();
    q.from(Alias::new("tasks"))
        .columns(["id", "kind", "department", "definition", "population_size"].map(Alias::new));
    let mut tasks: HashMap<i64, TaskRow> = HashMap::new();
    for row in rows(db, &q).await? {
        let definition: Option<TaskDefinition> =
            serde_json::from_str(&row.try_get::<String>("", "definition")?).ok();
        let stored: Option<String> = row.try_get("", "department")?;
        let population: Option<i64> = row.try_get("", "population_size")?;
        let t = TaskRow {
            id: row.try_get("", "id")?,
            kind: row.try_get("", "kind")?,
            department: definition.as_ref().map_or_else(
                || stored.clone().unwrap_or_default(),
                |d| crate::workflow::task_owner(stored.clone(), d),
            ),
            definition,
            population: population.and_then(|p| u64::try_from(p).ok()).unwrap_or(0),
        };
        if scope.holds(&t) {
            tasks.insert(t.id, t);
        }
    }
    let mut q = Query::select();
    q.from(Alias::new("draws"))
        .columns(["id", "task_id", "drawn_at"].map(Alias::new))
        .and_where(Expr::col(Alias::new("status")).eq("valid"));
    // Valid draws of the tasks counted: made in the period, and made by its end.
    let (mut in_period, mut up_to_end) = (Vec::new(), Vec::new());
    let mut drawn_tasks: HashSet<i64> = HashSet::new();
    for row in rows(db, &q).await? {
        let (id, task_id): (i64, i64) = (row.try_get("", "id")?, row.try_get("", "task_id")?);
        let day = crate::audit::china_day(row.try_get("", "drawn_at")?);
        if !tasks.contains_key(&task_id) || day > period.to {
            continue;
        }
        up_to_end.push(id);
        if period.contains(day) {
            in_period.push(id);
            drawn_tasks.insert(task_id);
        }
    }
    let of_tasks = (!matches!(scope, Scope::Bureau)).then(|| tasks.keys().copied().collect());
    Ok(Counted { tasks, in_period, up_to_end, drawn_tasks, of_tasks })
}

async fn figures(
    store: &Store,
    period: &Period,
    scope: Scope<'_>,
    completed: &[&'static str],
) -> Result<Stats, WorkflowError> {
    let db = store.connection();
    let Counted { tasks, in_period, up_to_end, drawn_tasks, of_tasks } =
        counted_tasks(db, period, scope).await?;
    let completed = Completed { period, tasks: of_tasks.as_deref(), statuses: completed };
    Ok(Stats {
        period: period.clone(),
        department: match scope {
            Scope::Department(d) => Some(d.to_owned()),
            _ => None,
        },
        tasks: drawn_tasks.len() as u64,
        coverage: coverage(db, &in_period, &up_to_end).await?,
        items: items(db, &tasks, &drawn_tasks, &in_period).await?,
        findings: findings(db, &completed, &tasks).await?,
        handling: handling(db, period, &completed, of_tasks.as_deref()).await?,
        timeliness: timeliness(db, period, of_tasks.as_deref()).await?,
        workload: workload(db, period, &completed, &tasks, &in_period).await?,
        kinds: kinds(db, &completed, &tasks).await?,
    })
}

/// The completed inspections of `period` the inspector `cert_no` was on (an inspector's
/// workbench): one count, not the whole 统计.
pub async fn completed_by_inspector(
    store: &Store,
    period: &Period,
    cert_no: &str,
) -> Result<u64, WorkflowError> {
    let completed = Completed { period, tasks: None, statuses: &COMPLETED };
    let mut q = completed.query(true);
    q.join_as(
        sea_orm::sea_query::JoinType::InnerJoin,
        Alias::new("inspection_members"),
        Alias::new("m"),
        col("m", "inspection_id").equals((Alias::new("i"), Alias::new("id"))),
    )
    .and_where(col("m", "cert_no").eq(cert_no));
    Ok(count_of(store.connection(), &mut q).await?)
}

/// The workbench's few figures for `period` over the tasks `department` runs: the same
/// counts as [stats], without the ones that read the whole directory or every inspector
/// (coverage, items, workload), so that a page shown at every sign-in stays quick.
pub async fn headline(
    store: &Store,
    period: &Period,
    department: Option<&str>,
) -> Result<Headline, WorkflowError> {
    let db = store.connection();
    let scope = department.map_or(Scope::Bureau, Scope::Department);
    let c = counted_tasks(db, period, scope).await?;
    let completed = Completed { period, tasks: c.of_tasks.as_deref(), statuses: &COMPLETED };
    let mut q = completed.query(false);
    q.expr_as(Expr::cust(CONCLUSION), Alias::new("c")).add_group_by([Expr::cust(CONCLUSION)]);
    let mut found = Tally::default();
    for r in rows(db, counted(&mut q)).await? {
        found.add(&text(&r, "c")?, n(&r, "n")?);
    }
    let h = handling(db, period, &completed, c.of_tasks.as_deref()).await?;
    let t = timeliness(db, period, c.of_tasks.as_deref()).await?;
    Ok(Headline {
        tasks: c.drawn_tasks.len() as u64,
        found: found.share(),
        results_on_time: t.results_on_time,
        rectifications: h.rectifications,
        rectified: h.rectified,
    })
}

/// The entries of the given draws whose firms are to be inspected (the caller picks columns).
fn to_inspect(draws: &[i64]) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new("draw_entries"))
        .and_where(Expr::col(Alias::new("draw_id")).is_in(draws.iter().copied()))
        .and_where(Expr::col(Alias::new("state")).is_in(TO_INSPECT));
    q
}

/// What a firm is grouped by in the coverage: region, industry section (GB/T 4754 letter), kind
/// and scale, "" for none.
const FIRM_GROUPS: [&str; 4] = [
    "COALESCE(tg.region, '')",
    "COALESCE(SUBSTR(tg.industry, 1, 1), '')",
    "COALESCE(tg.kind, '')",
    "COALESCE(tg.scale, '')",
];

/// Active firms counted by [FIRM_GROUPS] together, one grouped query (a few thousand groups
/// at most, folded into each grouping after): of the whole directory, or of the firms `drawn`.
async fn firm_groups(
    db: &impl ConnectionTrait,
    drawn: Option<SelectStatement>,
) -> Result<Vec<([String; 4], u64)>, sea_orm::DbErr> {
    let mut q = Query::select();
    match drawn {
        None => {
            q.from_as(Alias::new("targets"), Alias::new("tg"));
        }
        Some(firms) => {
            q.from_subquery(firms, Alias::new("dr")).join_as(
                sea_orm::sea_query::JoinType::InnerJoin,
                Alias::new("targets"),
                Alias::new("tg"),
                col("tg", "uscc").equals((Alias::new("dr"), Alias::new("uscc"))),
            );
        }
    }
    for (n, g) in FIRM_GROUPS.iter().enumerate() {
        q.expr_as(Expr::cust(*g), Alias::new(format!("g{n}")));
    }
    q.and_where(col("tg", "status").eq("active")).add_group_by(FIRM_GROUPS.map(Expr::cust));
    rows(db, counted(&mut q))
        .await?
        .iter()
        .map(|r| Ok(([text(r, "g0")?, text(r, "g1")?, text(r, "g2")?, text(r, "g3")?], n(r, "n")?)))
        .collect()
}

async fn coverage(
    db: &impl ConnectionTrait,
    in_period: &[i64],
    up_to_end: &[i64],
) -> Result<Coverage, WorkflowError> {
    let codes = suiji_domain::codes::Codes::builtin();
    // The directory's active firms and those the period's draws had, by each grouping: two
    // grouped queries, the second over the drawn firms only.
    let mut groups: [BTreeMap<String, (u64, u64)>; 4] = Default::default();
    for ([a, b, c, d], count) in firm_groups(db, None).await? {
        for (i, key) in [a, b, c, d].into_iter().enumerate() {
            groups[i].entry(key).or_default().1 += count;
        }
    }
    let firms = to_inspect(in_period).distinct().column(Alias::new("uscc")).to_owned();
    for ([a, b, c, d], count) in firm_groups(db, Some(firms)).await? {
        for (i, key) in [a, b, c, d].into_iter().enumerate() {
            groups[i].entry(key).or_default().0 += count;
        }
    }
    let as_groups = |m: BTreeMap<String, (u64, u64)>| {
        let mut out: Vec<Group> = m
            .into_iter()
            .map(|(key, (part, whole))| Group { name: key.clone(), key, share: Share::new(part, whole) })
            .collect();
        out.sort_by(|a, b| b.share.whole.cmp(&a.share.whole).then_with(|| a.key.cmp(&b.key)));
        out
    };
    let [by_region, by_industry, by_kind, by_scale] = groups;
    let (mut by_region, mut by_industry, mut by_kind, mut by_scale) =
        (as_groups(by_region), as_groups(by_industry), as_groups(by_kind), as_groups(by_scale));
    for g in &mut by_region {
        g.name = codes.region(&g.key).map_or_else(|| none_or(&g.key, "（未填区划）"), |r| r.name.clone());
    }
    for g in &mut by_scale {
        g.name = suiji_domain::directory::Scale::parse(&g.key)
            .map_or_else(|| none_or(&g.key, "（未填规模）"), |s| s.zh().to_owned());
    }
    for g in &mut by_kind {
        g.name = none_or(&g.key, "（未填类型）");
    }
    for g in &mut by_industry {
        g.name = codes.industry(&g.key).map_or_else(|| none_or(&g.key, "（未填行业）"), |i| i.name.clone());
    }
    let (part, whole) = by_region.iter().fold((0, 0), |(p, w), g| (p + g.share.part, w + g.share.whole));

    // The year each active firm was last drawn (by the year of the task that drew it), counted
    // over the drawn firms; the rest of the active firms were never drawn.
    let mut last = to_inspect(up_to_end);
    last.column(Alias::new("uscc"))
        .expr_as(Expr::cust("MAX(year)"), Alias::new("last"))
        .group_by_col(Alias::new("uscc"));
    let mut q = Query::select();
    q.from_subquery(last, Alias::new("ld"))
        .expr_as(Expr::col((Alias::new("ld"), Alias::new("last"))), Alias::new("last"))
        .join_as(
            sea_orm::sea_query::JoinType::InnerJoin,
            Alias::new("targets"),
            Alias::new("tg"),
            col("tg", "uscc").equals((Alias::new("ld"), Alias::new("uscc"))),
        )
        .and_where(col("tg", "status").eq("active"))
        .group_by_col((Alias::new("ld"), Alias::new("last")));
    counted(&mut q);
    let mut last_drawn = Vec::new();
    let mut ever = 0;
    for row in rows(db, &q).await? {
        let year: i64 = row.try_get("", "last")?;
        let firms = n(&row, "n")?;
        ever += firms;
        last_drawn.push(Group {
            key: year.to_string(),
            name: format!("{year}年"),
            share: Share::new(firms, whole),
        });
    }
    let never_drawn = whole.saturating_sub(ever);
    if never_drawn > 0 {
        last_drawn.push(Group {
            key: String::new(),
            name: "从未抽中".to_owned(),
            share: Share::new(never_drawn, whole),
        });
    }
    last_drawn.sort_by(|a, b| b.key.cmp(&a.key));
    Ok(Coverage {
        drawn: Share::new(part, whole),
        by_region,
        by_industry,
        by_kind,
        by_scale,
        last_drawn,
        never_drawn,
    })
}

fn none_or(key: &str, none: &str) -> String {
    if key.is_empty() { none.to_owned() } else { key.to_owned() }
}

async fn items(
    db: &impl ConnectionTrait,
    tasks: &HashMap<i64, TaskRow>,
    drawn_tasks: &HashSet<i64>,
    in_period: &[i64],
) -> Result<Vec<ItemCoverage>, WorkflowError> {
    // Firms to inspect per task in the period's draws.
    let mut q = to_inspect(in_period);
    counted(q.column(Alias::new("task_id"))).group_by_col(Alias::new("task_id"));
    let mut drawn: HashMap<i64, u64> = HashMap::new();
    for row in rows(db, &q).await? {
        drawn.insert(row.try_get("", "task_id")?, n(&row, "n")?);
    }
    // Per item: (tasks, drawn, population).
    let mut per: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    for t in drawn_tasks.iter().filter_map(|id| tasks.get(id)) {
        for code in t.definition.iter().flat_map(|d| &d.items) {
            let e = per.entry(code.clone()).or_default();
            e.0 += 1;
            e.1 += drawn.get(&t.id).copied().unwrap_or(0);
            e.2 += t.population;
        }
    }
    let codes: Vec<String> = per.keys().cloned().collect();
    let facts = crate::workflow::item_facts_of(db, &codes).await?;
    let rules = crate::settings::load_in(db).await?.rules;
    Ok(per
        .into_iter()
        .map(|(code, (tasks, drawn, population))| {
            let f = facts.iter().find(|f| f.code == code);
            let bureau = f.map(|f| match f.category {
                suiji_domain::directory::ItemCategory::General => rules.general_floor_bp,
                suiji_domain::directory::ItemCategory::Key => rules.key_floor_bp,
            });
            let least_bp =
                [bureau.filter(|&bp| bp > 0), f.and_then(|f| f.min_ratio_bp)].into_iter().flatten().max();
            let share = Share::new(drawn, population);
            ItemCoverage {
                name: f.map(|f| f.name.clone()).unwrap_or_default(),
                code,
                tasks,
                meets: least_bp.zip(share.rate_bp).map(|(least, rate)| rate >= least),
                drawn: share,
                least_bp,
            }
        })
        .collect())
}

/// The completed inspections of a period: final results of inspections that ended in it (of
/// the given tasks only, if any).
struct Completed<'a> {
    period: &'a Period,
    tasks: Option<&'a [i64]>,
    /// The statuses of a final result counted: published and withheld, or published only.
    statuses: &'a [&'static str],
}

impl Completed<'_> {
    /// A query on them as `i`, follow-ups (复查) included when `follow_ups`.
    fn query(&self, follow_ups: bool) -> SelectStatement {
        let mut q = Query::select();
        q.from_as(Alias::new("inspections"), Alias::new("i"))
            .and_where(col("i", "status").is_in(self.statuses.iter().copied()));
        within(&mut q, col("i", "ended_on"), self.period);
        if !follow_ups {
            q.and_where(col("i", "follow_up_of").is_null());
        }
        of_tasks(&mut q, col("i", "task_id"), self.tasks);
        q
    }

    /// Their counts by task and by whether they are follow-ups (复查), follow-ups included, to
    /// be read with the tasks.
    async fn by_task(&self, db: &impl ConnectionTrait) -> Result<Vec<(i64, bool, u64)>, sea_orm::DbErr> {
        let follow_up = "CASE WHEN i.follow_up_of IS NULL THEN 0 ELSE 1 END";
        let mut q = self.query(true);
        q.column((Alias::new("i"), Alias::new("task_id")))
            .expr_as(Expr::cust(follow_up), Alias::new("follow_up"))
            .group_by_col((Alias::new("i"), Alias::new("task_id")))
            .add_group_by([Expr::cust(follow_up)]);
        rows(db, counted(&mut q))
            .await?
            .iter()
            .map(|r| Ok((r.try_get("", "task_id")?, r.try_get::<i32>("", "follow_up")? == 1, n(r, "n")?)))
            .collect()
    }
}

/// Counts by (key, conclusion) folded into groups: the completed, and those that found a problem.
fn fold(rows: &[(String, String, u64)], name: impl Fn(&str) -> String) -> Vec<Group> {
    let mut by: BTreeMap<&str, Tally> = BTreeMap::new();
    for (key, conclusion, count) in rows {
        by.entry(key.as_str()).or_default().add(conclusion, *count);
    }
    by.into_iter().map(|(k, t)| Group { key: k.to_owned(), name: name(k), share: t.share() }).collect()
}

async fn findings(
    db: &impl ConnectionTrait,
    completed: &Completed<'_>,
    tasks: &HashMap<i64, TaskRow>,
) -> Result<Findings, WorkflowError> {
    let grouped = |key: SimpleExpr| {
        let mut q = completed.query(false);
        q.expr_as(key.clone(), Alias::new("k"))
            .expr_as(Expr::cust(CONCLUSION), Alias::new("c"))
            .join_as(
                sea_orm::sea_query::JoinType::LeftJoin,
                Alias::new("targets"),
                Alias::new("tg"),
                col("tg", "uscc").equals((Alias::new("i"), Alias::new("uscc"))),
            )
            .add_group_by([key, Expr::cust(CONCLUSION)]);
        counted(&mut q);
        q
    };
    let read = |rows: Vec<QueryResult>| -> Result<Vec<(String, String, u64)>, sea_orm::DbErr> {
        rows.iter().map(|r| Ok((text(r, "k")?, text(r, "c")?, n(r, "n")?))).collect()
    };
    // Keyed by the conclusion itself (PostgreSQL groups by no constant).
    let by_conclusion_rows = read(rows(db, &grouped(Expr::cust(CONCLUSION))).await?)?;
    // Grade and class together: one pass over the firms inspected, folded into each after.
    let (grade, class) = ("COALESCE(tg.credit_grade, '')", "COALESCE(tg.risk_class, '')");
    let mut q = grouped(Expr::cust(grade));
    q.expr_as(Expr::cust(class), Alias::new("r")).add_group_by([Expr::cust(class)]);
    let (mut grades, mut classes) = (Vec::new(), Vec::new());
    for r in rows(db, &q).await? {
        let (c, count) = (text(&r, "c")?, n(&r, "n")?);
        grades.push((text(&r, "k")?, c.clone(), count));
        classes.push((text(&r, "r")?, c, count));
    }
    let mut overall = Tally::default();
    for (_, c, count) in &by_conclusion_rows {
        overall.add(c, *count);
    }
    let overall = overall.share();
    let mut by_conclusion: Vec<Group> = Conclusion::ALL
        .into_iter()
        .map(|c| {
            let count = by_conclusion_rows.iter().filter(|(_, k, _)| k == c.code()).map(|r| r.2).sum();
            Group {
                key: c.code().to_owned(),
                name: c.zh().to_owned(),
                share: Share::new(count, overall.whole),
            }
        })
        .collect();
    by_conclusion.retain(|g| g.share.part > 0);
    let not_inspectable = by_conclusion_rows
        .iter()
        .filter(|(_, c, _)| Conclusion::parse(c).is_some_and(not_inspectable))
        .map(|r| r.2)
        .sum();

    // Directed draws with a control sample: the control sample's inspections apart.
    let with_control: Vec<i64> = tasks
        .values()
        .filter(|t| t.definition.as_ref().is_some_and(|d| d.control > 0))
        .map(|t| t.id)
        .collect();
    let (mut directed, mut control) = (Tally::default(), Tally::default());
    if !with_control.is_empty() {
        let mut q = completed.query(false);
        let is_control = "CASE WHEN EXISTS (SELECT 1 FROM draw_entries de JOIN draws d ON d.id = de.draw_id \
             WHERE d.status = 'valid' AND de.task_id = i.task_id AND de.uscc = i.uscc AND de.state = 'control') \
             THEN 'control' ELSE '' END";
        q.expr_as(Expr::cust(is_control), Alias::new("k"))
            .expr_as(Expr::cust(CONCLUSION), Alias::new("c"))
            .and_where(col("i", "task_id").is_in(with_control))
            .add_group_by([Expr::cust(is_control), Expr::cust(CONCLUSION)]);
        counted(&mut q);
        for (k, c, count) in read(rows(db, &q).await?)? {
            if k == "control" { &mut control } else { &mut directed }.add(&c, count);
        }
    }
    // Per item: of the completed inspections that checked it, those finding it not complied with.
    let mut q = completed.query(false);
    q.expr_as(col("v", "item"), Alias::new("k"))
        .expr_as(Expr::cust("COUNT(CASE WHEN v.verdict = 'non_compliant' THEN 1 END)"), Alias::new("found"))
        .join_as(
            sea_orm::sea_query::JoinType::InnerJoin,
            Alias::new("inspection_verdicts"),
            Alias::new("v"),
            col("v", "inspection_id").equals((Alias::new("i"), Alias::new("id"))),
        )
        .and_where(col("v", "verdict").ne(ItemVerdict::NotChecked.code()))
        .group_by_col((Alias::new("v"), Alias::new("item")));
    let mut by_item = Vec::new();
    for row in rows(db, counted(&mut q)).await? {
        let key = text(&row, "k")?;
        by_item.push(Group { name: String::new(), key, share: Share::new(n(&row, "found")?, n(&row, "n")?) });
    }
    let codes: Vec<String> = by_item.iter().map(|g| g.key.clone()).collect();
    let facts = crate::workflow::item_facts_of(db, &codes).await?;
    for g in &mut by_item {
        g.name = facts.iter().find(|f| f.code == g.key).map(|f| f.name.clone()).unwrap_or_default();
    }
    by_item.sort_by(|a, b| a.key.cmp(&b.key));

    let none = |k: &str, label: &str| if k.is_empty() { label.to_owned() } else { format!("{k}级") };
    Ok(Findings {
        found: overall,
        not_inspectable,
        by_conclusion,
        by_grade: fold(&grades, |k| none(k, "未评级")),
        by_risk_class: fold(&classes, |k| if k.is_empty() { "未分类".to_owned() } else { format!("{k}类") }),
        by_item,
        directed: directed.share(),
        control: control.share(),
    })
}

async fn handling(
    db: &impl ConnectionTrait,
    period: &Period,
    completed: &Completed<'_>,
    tasks: Option<&[i64]>,
) -> Result<HandlingCounts, WorkflowError> {
    let mut q = Query::select();
    q.from(Alias::new("rectifications"))
        .expr_as(Expr::cust("COUNT(CASE WHEN status = 'rectified' THEN 1 END)"), Alias::new("rectified"))
        .expr_as(Expr::cust("COUNT(CASE WHEN status = 'escalated' THEN 1 END)"), Alias::new("escalated"));
    within(&mut q, Expr::col(Alias::new("ordered_on")), period);
    of_tasks(&mut q, Expr::col(Alias::new("task_id")), tasks);
    let r = rows(db, counted(&mut q)).await?;
    let r = r.first();
    let get = |name: &str| r.map_or(Ok(0), |r| n(r, name));
    let (rectifications, rectified, escalated) = (get("n")?, get("rectified")?, get("escalated")?);

    let mut q = Query::select();
    q.from(Alias::new("penalties"));
    within(&mut q, Expr::col(Alias::new("decided_on")), period);
    of_tasks(&mut q, Expr::col(Alias::new("task_id")), tasks);
    let penalties = count_of(db, &mut q).await?;

    let mut q = completed.query(false);
    q.and_where(col("i", "referred").eq(true));
    let referrals = count_of(db, &mut q).await?;

    let mut q = Query::select();
    q.from_as(Alias::new("list_entries"), Alias::new("l"))
        .expr_as(Expr::col((Alias::new("l"), Alias::new("list"))), Alias::new("k"))
        .group_by_col((Alias::new("l"), Alias::new("list")));
    within(&mut q, col("l", "listed_on"), period);
    if let Some(t) = tasks {
        let mut of = Query::select();
        of.column(Alias::new("id"))
            .from(Alias::new("penalties"))
            .and_where(Expr::col(Alias::new("task_id")).is_in(t.iter().copied()));
        q.and_where(col("l", "penalty_id").in_subquery(of));
    }
    counted(&mut q);
    let mut listed = Vec::new();
    for row in rows(db, &q).await? {
        let key = text(&row, "k")?;
        let name = suiji_domain::lists::ListName::parse(&key).map_or(key.clone(), |l| l.zh().to_owned());
        let count = n(&row, "n")?;
        listed.push(Group { key, name, share: Share::new(count, count) });
    }
    Ok(HandlingCounts { rectifications, rectified, escalated, penalties, referrals, listed })
}

async fn timeliness(
    db: &impl ConnectionTrait,
    period: &Period,
    tasks: Option<&[i64]>,
) -> Result<Timeliness, WorkflowError> {
    // Results by (ended, first published, deadline): few distinct days however many results.
    let mut q = Query::select();
    q.from(Alias::new("inspections"))
        .columns(["ended_on", "published_on", "publish_by"].map(Alias::new))
        .group_by_columns(["ended_on", "published_on", "publish_by"].map(Alias::new));
    within(&mut q, Expr::col(Alias::new("published_on")), period);
    of_tasks(&mut q, Expr::col(Alias::new("task_id")), tasks);
    counted(&mut q);
    let (mut on_time, mut all, mut days) = (0, 0, Vec::new());
    for row in rows(db, &q).await? {
        let ended: Option<NaiveDate> = row.try_get("", "ended_on")?;
        let published: NaiveDate = row.try_get("", "published_on")?;
        let due: Option<NaiveDate> = row.try_get("", "publish_by")?;
        let count = n(&row, "n")?;
        all += count;
        if due.is_none_or(|d| published <= d) {
            on_time += count;
        }
        if let Some(e) = ended {
            days.push(((published - e).num_days(), count));
        }
    }
    // Penalty notices: a few per inspection at most, read with their first publication.
    let mut q = Query::select();
    q.from_as(Alias::new("penalties"), Alias::new("p"))
        .columns([
            (Alias::new("p"), Alias::new("id")),
            (Alias::new("p"), Alias::new("decided_on")),
            (Alias::new("p"), Alias::new("due_on")),
        ])
        .expr_as(Expr::cust("MIN(pn.published_at)"), Alias::new("first"))
        .join_as(
            sea_orm::sea_query::JoinType::InnerJoin,
            Alias::new("penalty_notices"),
            Alias::new("pn"),
            col("pn", "penalty_id").equals((Alias::new("p"), Alias::new("id"))),
        )
        .group_by_columns([
            (Alias::new("p"), Alias::new("id")),
            (Alias::new("p"), Alias::new("decided_on")),
            (Alias::new("p"), Alias::new("due_on")),
        ]);
    of_tasks(&mut q, col("p", "task_id"), tasks);
    let (mut p_on_time, mut p_all, mut p_days) = (0, 0, Vec::new());
    for row in rows(db, &q).await? {
        let first = crate::audit::china_day(row.try_get("", "first")?);
        if !period.contains(first) {
            continue;
        }
        let decided: NaiveDate = row.try_get("", "decided_on")?;
        let due: Option<NaiveDate> = row.try_get("", "due_on")?;
        p_all += 1;
        if due.is_none_or(|d| first <= d) {
            p_on_time += 1;
        }
        p_days.push(((first - decided).num_days(), 1));
    }
    Ok(Timeliness {
        results_on_time: Share::new(on_time, all),
        results_median_days: median(&days),
        penalties_on_time: Share::new(p_on_time, p_all),
        penalties_median_days: median(&p_days),
    })
}

async fn workload(
    db: &impl ConnectionTrait,
    period: &Period,
    completed: &Completed<'_>,
    tasks: &HashMap<i64, TaskRow>,
    in_period: &[i64],
) -> Result<Workload, WorkflowError> {
    let mut per: BTreeMap<String, u64> = BTreeMap::new();
    for (task, _, count) in completed.by_task(db).await? {
        *per.entry(tasks.get(&task).map(|t| t.department.clone()).unwrap_or_default()).or_default() += count;
    }
    let mut by_department: Vec<Group> = per
        .into_iter()
        .map(|(key, count)| Group {
            name: none_or(&key, "（未指定部门）"),
            key,
            share: Share::new(count, count),
        })
        .collect();
    by_department.sort_by(|a, b| b.share.part.cmp(&a.share.part).then_with(|| a.key.cmp(&b.key)));
    let mut q = completed.query(true);
    q.expr_as(col("m", "cert_no"), Alias::new("k"))
        .expr_as(col("m", "name"), Alias::new("name"))
        .join_as(
            sea_orm::sea_query::JoinType::InnerJoin,
            Alias::new("inspection_members"),
            Alias::new("m"),
            col("m", "inspection_id").equals((Alias::new("i"), Alias::new("id"))),
        )
        .group_by_columns([(Alias::new("m"), Alias::new("cert_no")), (Alias::new("m"), Alias::new("name"))]);
    counted(&mut q);
    let mut by_inspector = Vec::new();
    for row in rows(db, &q).await? {
        let count = n(&row, "n")?;
        by_inspector.push(Group {
            key: text(&row, "k")?,
            name: text(&row, "name")?,
            share: Share::new(count, count),
        });
    }
    by_inspector.sort_by(|a, b| b.share.part.cmp(&a.share.part).then_with(|| a.key.cmp(&b.key)));

    let mut q = Query::select();
    q.column(Alias::new("at")).from(Alias::new("member_changes"));
    of_tasks(&mut q, Expr::col(Alias::new("task_id")), completed.tasks);
    let member_changes = at_in(db, &q, period).await?;
    let mut q = Query::select();
    q.column(Alias::new("at"))
        .from(Alias::new("draw_replacements"))
        .and_where(Expr::col(Alias::new("draw_id")).is_in(in_period.iter().copied()));
    let target_replacements = at_in(db, &q, period).await?;
    let mut q = Query::select();
    q.from(Alias::new("recusals")).and_where(Expr::col(Alias::new("status")).eq("active"));
    let recusals = count_of(db, &mut q).await?;
    Ok(Workload { by_department, by_inspector, member_changes, target_replacements, recusals })
}

async fn kinds(
    db: &impl ConnectionTrait,
    completed: &Completed<'_>,
    tasks: &HashMap<i64, TaskRow>,
) -> Result<Kinds, WorkflowError> {
    // Follow-ups (复查) apart; the others by their task's kind.
    let (mut random, mut triggered, mut follow_up) = (0, 0, 0);
    for (task, is_follow_up, count) in completed.by_task(db).await? {
        match (is_follow_up, tasks.get(&task).map(|t| t.kind.as_str())) {
            (true, _) => follow_up += count,
            (false, Some("random")) => random += count,
            (false, Some("triggered")) => triggered += count,
            _ => {}
        }
    }
    Ok(Kinds { random: Share::new(random, random + triggered + follow_up), triggered, follow_up })
}
