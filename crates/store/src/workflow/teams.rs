//! 检查组 and 选派: teams for a drawn task, by `suiji-assign/1` with the draw's seed, or — for a
//! triggered task only — chosen directly with a recorded reason. Either way the pool is the
//! active inspectors of the task's departments whose certificate is valid through the whole
//! inspection window (持证上岗), and no inspector is put on a target they are recused from.

use super::draws::valid_draw;
use super::tasks::find;
use super::{WorkflowError, csv_field, parse_json};
use crate::Store;
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{assignment, inspection, inspection_member, task};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};
use suiji_domain::rules::MIN_TEAM_SIZE;
use suiji_domain::workflow::{Invalid, TaskDefinition, TaskKind, TaskStatus, TeamSpec};
use suiji_draw::{Inspector, Recusal, TeamRule};

/// A team chosen directly: the target and its inspectors' certificate numbers, leader first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectTeam {
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_CODE))]
    pub uscc: String,
    #[schemars(length(min = 2, max = MAX_DIRECT_TEAM), inner(length(min = 1, max = suiji_domain::text::MAX_CODE)))]
    pub inspectors: Vec<String>,
}

/// The most inspectors a team chosen directly may have.
pub const MAX_DIRECT_TEAM: usize = 50;

/// One team as shown: the target, its members (certificate number and name), its inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TeamView {
    pub rank: i64,
    pub uscc: String,
    pub target_name: String,
    pub members: Vec<(String, String)>,
    pub inspection_id: i64,
    pub inspection_status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AssignmentView {
    pub id: i64,
    pub draw_id: i64,
    /// `random` or `direct`.
    pub mode: String,
    pub reason: String,
    /// The `suiji-assign/1` document, or the chosen teams.
    pub document: serde_json::Value,
    /// The pool and the recusals it was made from, as published (`id,department`;
    /// `inspector_id,target_id` — recusals without their reasons).
    pub inspectors_csv: String,
    pub recusals_csv: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub teams: Vec<TeamView>,
}

/// An inspector who may be on this task's teams.
pub(super) struct Member {
    pub(super) cert_no: String,
    pub(super) name: String,
    pub(super) department: String,
}

/// The pool: active inspectors of the departments, certificates valid through `until`, and
/// trained within `training_months` of it when the bureau's rules ask (0: not asked).
pub(super) async fn pool(
    db: &impl ConnectionTrait,
    departments: &[String],
    until: NaiveDate,
    training_months: u32,
) -> Result<Vec<Member>, WorkflowError> {
    let mut q = Query::select();
    q.from(Alias::new("inspectors"))
        .columns(["cert_no", "name", "department"].map(Alias::new))
        .and_where(Expr::col(Alias::new("status")).eq("active"))
        .and_where(Expr::col(Alias::new("department")).is_in(departments.iter().cloned()))
        .and_where(Expr::col(Alias::new("cert_valid_until")).gte(until));
    let mut out = Vec::new();
    for row in db.query_all(db.get_database_backend().build(&q)).await? {
        out.push(Member {
            cert_no: row.try_get("", "cert_no")?,
            name: row.try_get("", "name")?,
            department: row.try_get("", "department")?,
        });
    }
    // Where the bureau asks for recent training, only the trained are drawn.
    if training_months > 0 {
        let certs: Vec<String> = out.iter().map(|m| m.cert_no.clone()).collect();
        let latest = crate::training::latest(db, &certs).await?;
        out.retain(|m| {
            suiji_domain::training::recent_enough(latest.get(&m.cert_no).copied(), training_months, until)
        });
    }
    out.sort_by(|a, b| a.cert_no.as_bytes().cmp(b.cert_no.as_bytes()));
    Ok(out)
}

/// The active recusals between the pool and the targets.
pub(super) async fn recusals(
    db: &impl ConnectionTrait,
    pool: &[Member],
    targets: &[String],
) -> Result<Vec<Recusal>, WorkflowError> {
    let certs: HashSet<&str> = pool.iter().map(|m| m.cert_no.as_str()).collect();
    let mut out = Vec::new();
    // A thousand targets a query: SQLite takes at most 32,766 parameters in one statement.
    for chunk in targets.chunks(1_000) {
        let mut q = Query::select();
        q.from(Alias::new("recusals"))
            .columns(["cert_no", "uscc"].map(Alias::new))
            .and_where(Expr::col(Alias::new("status")).eq("active"))
            .and_where(Expr::col(Alias::new("uscc")).is_in(chunk.iter().cloned()));
        for row in db.query_all(db.get_database_backend().build(&q)).await? {
            let r =
                Recusal { inspector_id: row.try_get("", "cert_no")?, target_id: row.try_get("", "uscc")? };
            if certs.contains(r.inspector_id.as_str()) {
                out.push(r);
            }
        }
    }
    out.sort_by(|a, b| {
        (a.inspector_id.as_bytes(), a.target_id.as_bytes())
            .cmp(&(b.inspector_id.as_bytes(), b.target_id.as_bytes()))
    });
    Ok(out)
}

/// The names of the targets in `draws` — selected, reserve and replacements — by USCC, for
/// every page and document that lists a draw (those the directory has).
pub async fn names_in_draws(
    store: &Store,
    draws: &[super::DrawView],
) -> Result<HashMap<String, String>, WorkflowError> {
    let mut usccs: Vec<String> = draws
        .iter()
        .flat_map(|d| {
            d.document
                .selected
                .iter()
                .chain(&d.document.reserve)
                .chain(d.control.iter().flat_map(|c| &c.selected))
        })
        .map(|t| t.id.clone())
        .collect();
    usccs.sort_unstable();
    usccs.dedup();
    target_names(store.connection(), &usccs).await
}

/// The names the directory has for `usccs` (a named firm of a directed task, say), by USCC.
pub async fn names_of(store: &Store, usccs: &[String]) -> Result<HashMap<String, String>, WorkflowError> {
    target_names(store.connection(), usccs).await
}

pub(super) async fn target_names(
    db: &impl ConnectionTrait,
    usccs: &[String],
) -> Result<HashMap<String, String>, WorkflowError> {
    let mut out = HashMap::new();
    for chunk in usccs.chunks(1_000) {
        let mut q = Query::select();
        q.from(Alias::new("targets"))
            .columns(["uscc", "name"].map(Alias::new))
            .and_where(Expr::col(Alias::new("uscc")).is_in(chunk.iter().cloned()));
        for row in db.query_all(db.get_database_backend().build(&q)).await? {
            out.insert(row.try_get("", "uscc")?, row.try_get("", "name")?);
        }
    }
    Ok(out)
}

/// The pool as the assignment published it (`id,department`).
pub(super) fn published_pool(csv_text: &str) -> Result<Vec<Inspector>, WorkflowError> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            WorkflowError::state(
                format!("选派时的人员名单无法读取：{e}"),
                format!("the assignment's pool cannot be read: {e}"),
            )
        })?;
        out.push(Inspector { id: row[0].to_owned(), department: row[1].to_owned() });
    }
    Ok(out)
}

pub(super) fn pool_csv(pool: &[Member]) -> String {
    let mut out = String::from("id,department\n");
    for m in pool {
        out.push_str(&format!("{},{}\n", csv_field(&m.cert_no), csv_field(&m.department)));
    }
    out
}

pub(super) fn recusals_csv(recusals: &[Recusal]) -> String {
    let mut out = String::from("inspector_id,target_id\n");
    for r in recusals {
        out.push_str(&format!("{},{}\n", csv_field(&r.inspector_id), csv_field(&r.target_id)));
    }
    out
}

/// What both ways of assigning start from: the task, its drawn targets, the pool, the recusals.
struct Ground {
    task: task::Model,
    def: TaskDefinition,
    /// The rules the task was published under.
    rules: suiji_domain::rules::Rules,
    draw: super::draws::DrawView,
    pool: Vec<Member>,
    recusals: Vec<Recusal>,
}

async fn ground(db: &impl ConnectionTrait, task_id: i64) -> Result<Ground, WorkflowError> {
    let task = find(db, task_id).await?;
    if task.status != TaskStatus::Drawn.code() {
        return Err(WorkflowError::state(
            "只能为已抽取、尚未选派的任务选派检查组",
            "teams are assigned to a drawn task that has none yet",
        ));
    }
    let def: TaskDefinition = parse_json("a task's definition", &task.definition)?;
    let draw = valid_draw(db, task_id)
        .await?
        .ok_or_else(|| WorkflowError::state("任务没有有效的抽取", "the task has no valid draw"))?;
    let rules = super::tasks::rules_of(&task)?;
    let pool = pool(db, &def.team_departments(), def.window_end, rules.training_months).await?;
    let targets: Vec<String> = draw.targets.iter().map(|s| s.id.clone()).collect();
    let recusals = recusals(db, &pool, &targets).await?;
    Ok(Ground { task, def, rules, draw, pool, recusals })
}

/// Assigns teams by `suiji-assign/1` with the draw's seed.
pub async fn assign_random(
    store: &Store,
    task_id: i64,
    actor: &Actor,
) -> Result<AssignmentView, WorkflowError> {
    assign_random_reporting(store, task_id, actor, &crate::unreported).await
}

/// [`assign_random`], telling `report` how far it has got.
pub async fn assign_random_reporting(
    store: &Store,
    task_id: i64,
    actor: &Actor,
    report: crate::Report<'_>,
) -> Result<AssignmentView, WorkflowError> {
    report("读取抽取结果、检查人员和回避关系 reading the draw, the inspectors and the recusals", 0, 0);
    let txn = audit::begin(store).await?;
    let g = ground(&txn, task_id).await?;
    report("组成检查组 making the teams", 0, 0);
    let inspectors: Vec<Inspector> = g
        .pool
        .iter()
        .map(|m| Inspector { id: m.cert_no.clone(), department: m.department.clone() })
        .collect();
    let rule = match &g.def.team {
        TeamSpec::Size(n) => TeamRule::Size(*n),
        TeamSpec::Joint(counts) => TeamRule::Require(counts.clone()),
    };
    let document =
        suiji_draw::assign(&g.draw.effective_document(), &inspectors, &g.recusals, &rule, g.def.max_load)
            .map_err(|e| {
                WorkflowError::state(
                    format!("无法组成检查组：{e}（可用检查人员 {} 人，须持有效执法证且在岗）", g.pool.len()),
                    format!("cannot make the teams: {e} ({} inspectors available)", g.pool.len()),
                )
            })?;
    let teams: Vec<DirectTeam> = document
        .teams
        .iter()
        .map(|t| DirectTeam { uscc: t.target.clone(), inspectors: t.inspectors.clone() })
        .collect();
    let document = serde_json::to_value(&document).expect("an assignment document serialises");
    let view = record(&txn, g, "random", "", document, &teams, actor, report).await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    Ok(view)
}

/// 直接选派: the organizer names each team — triggered tasks only, with a reason.
pub async fn assign_direct(
    store: &Store,
    task_id: i64,
    teams: &[DirectTeam],
    reason: &str,
    actor: &Actor,
) -> Result<AssignmentView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let g = ground(&txn, task_id).await?;
    if g.def.kind != TaskKind::Triggered {
        return Err(WorkflowError::state(
            "直接选派只用于触发式抽查；随机抽查的检查组须随机选派",
            "direct assignment is for triggered tasks only",
        ));
    }
    let mut problems = Vec::new();
    suiji_domain::workflow::check_texts(
        &mut problems,
        &[("reason", reason, suiji_domain::text::Shape::Line)],
    );
    if reason.trim().is_empty() {
        problems.push(Invalid::new("reason", "直接选派须说明理由", "direct assignment needs a reason"));
    }
    let by_cert: HashMap<&str, &Member> = g.pool.iter().map(|m| (m.cert_no.as_str(), m)).collect();
    let recused: HashSet<(&str, &str)> =
        g.recusals.iter().map(|r| (r.inspector_id.as_str(), r.target_id.as_str())).collect();
    let wanted: Vec<&str> = g.draw.targets.iter().map(|s| s.id.as_str()).collect();
    let given: Vec<&str> = teams.iter().map(|t| t.uscc.as_str()).collect();
    let (mut w, mut gv) = (wanted.clone(), given.clone());
    w.sort_unstable();
    gv.sort_unstable();
    if w != gv {
        problems.push(Invalid::new(
            "teams",
            "须为每个抽中的检查对象各选派一个检查组",
            "one team for each drawn target",
        ));
    }
    // Teams of the task's least size (the bureau's rules; 2 at the least).
    let least_team = g.rules.team_size.max(MIN_TEAM_SIZE) as usize;
    for t in teams {
        suiji_domain::workflow::check_texts(
            &mut problems,
            &[("teams", &t.uscc, suiji_domain::text::Shape::Code)],
        );
        if t.inspectors.len() > MAX_DIRECT_TEAM {
            problems.push(Invalid::new(
                "teams",
                format!("检查组最多 {MAX_DIRECT_TEAM} 人"),
                format!("a team has at most {MAX_DIRECT_TEAM} inspectors"),
            ));
        }
        let distinct: HashSet<&str> = t.inspectors.iter().map(String::as_str).collect();
        if distinct.len() != t.inspectors.len() || t.inspectors.len() < least_team {
            problems.push(Invalid::new(
                "teams",
                format!("{} 的检查组须有至少 {least_team} 名不同的检查人员", t.uscc),
                format!("the team for {} needs at least {least_team} different inspectors", t.uscc),
            ));
        }
        let mut per_department: BTreeMap<&str, u32> = BTreeMap::new();
        for cert in &t.inspectors {
            match by_cert.get(cert.as_str()) {
                None => problems.push(Invalid::new(
                    "teams",
                    format!("{cert} 不能选派：不在参与部门、不在岗或执法证在检查期间无效"),
                    format!("{cert} cannot be assigned: not in the departments, not active, or certificate not valid"),
                )),
                Some(m) => *per_department.entry(m.department.as_str()).or_insert(0) += 1,
            }
            if recused.contains(&(cert.as_str(), t.uscc.as_str())) {
                problems.push(Invalid::new(
                    "teams",
                    format!("{cert} 须回避 {}", t.uscc),
                    format!("{cert} is recused from {}", t.uscc),
                ));
            }
        }
        if let TeamSpec::Joint(counts) = &g.def.team {
            for (department, n) in counts {
                if per_department.get(department.as_str()).copied().unwrap_or(0) < *n {
                    problems.push(Invalid::new(
                        "teams",
                        format!("{} 的检查组须有 {department} {n} 人", t.uscc),
                        format!("the team for {} needs {n} from {department}", t.uscc),
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    // In the draw's rank order, whatever order the form gave.
    let mut ordered: Vec<DirectTeam> = Vec::new();
    for uscc in &wanted {
        ordered.extend(teams.iter().find(|t| t.uscc == *uscc).cloned());
    }
    let document = json!({"mode": "direct", "reason": reason.trim(), "teams": ordered});
    let view =
        record(&txn, g, "direct", reason.trim(), document, &ordered, actor, &crate::unreported).await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    Ok(view)
}

/// Writes the assignment, one inspection per team with its members, and moves the task on.
/// Rows are written a thousand at a time: a province's task has tens of thousands of teams.
#[allow(clippy::too_many_arguments)]
async fn record(
    txn: &sea_orm::DatabaseTransaction,
    g: Ground,
    mode: &str,
    reason: &str,
    document: serde_json::Value,
    teams: &[DirectTeam],
    actor: &Actor,
    report: crate::Report<'_>,
) -> Result<AssignmentView, WorkflowError> {
    let now = crate::clock::now();
    let a = assignment::ActiveModel {
        task_id: Set(g.task.id),
        draw_id: Set(g.draw.id),
        mode: Set(mode.into()),
        reason: Set(reason.into()),
        document: Set(document.to_string()),
        inspectors_csv: Set(pool_csv(&g.pool)),
        recusals_csv: Set(recusals_csv(&g.recusals)),
        status: Set("valid".into()),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let total = teams.len() as u64;
    let usccs: Vec<String> = teams.iter().map(|t| t.uscc.clone()).collect();
    let names = target_names(txn, &usccs).await?;
    let rank_of: HashMap<&str, i64> = g.draw.target_ranks();
    // Each inspection's deadline from the start (20 working days after the window ends), so
    // that what is overdue is one indexed query; entering a result may bring it forward.
    let calendar = crate::calendar::calendar_in(txn).await?;
    let workdays = g.rules.publication_workdays;
    let publish_by =
        suiji_domain::workflow::publication_deadline(&calendar, g.def.window_end, workdays).value;
    for (n, chunk) in teams.chunks(BATCH).enumerate() {
        report("写入检查组 writing the teams", (n * BATCH) as u64, total);
        let rows = chunk.iter().map(|team| inspection::ActiveModel {
            publish_by: Set(Some(publish_by)),
            task_id: Set(g.task.id),
            assignment_id: Set(a.id),
            rank: Set(rank_of.get(team.uscc.as_str()).copied().unwrap_or(0)),
            uscc: Set(team.uscc.clone()),
            target_name: Set(names.get(&team.uscc).cloned().unwrap_or_default()),
            status: Set("assigned".into()),
            ..Default::default()
        });
        inspection::Entity::insert_many(rows).exec(txn).await?;
    }
    // The inspections' numbers, by target (a target has one team in an assignment).
    let ids: HashMap<String, i64> = inspection::Entity::find()
        .select_only()
        .columns([inspection::Column::Uscc, inspection::Column::Id])
        .filter(inspection::Column::AssignmentId.eq(a.id))
        .into_tuple::<(String, i64)>()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    let member_names: HashMap<&str, &str> =
        g.pool.iter().map(|m| (m.cert_no.as_str(), m.name.as_str())).collect();
    let inspections: Vec<i64> = teams.iter().filter_map(|t| ids.get(&t.uscc).copied()).collect();
    let members: Vec<inspection_member::ActiveModel> = teams
        .iter()
        .zip(&inspections)
        .flat_map(|(team, id)| {
            team.inspectors.iter().enumerate().map(|(position, cert)| inspection_member::ActiveModel {
                inspection_id: Set(*id),
                cert_no: Set(cert.clone()),
                name: Set(member_names.get(cert.as_str()).copied().unwrap_or_default().to_owned()),
                position: Set(position as i64),
            })
        })
        .collect();
    for chunk in members.chunks(BATCH) {
        inspection_member::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    report("记录留痕 recording the audit entry", total, total);
    let code = g.task.code.clone();
    let task_id = g.task.id;
    let mut tm: task::ActiveModel = g.task.into();
    tm.status = Set(TaskStatus::Assigned.code().into());
    tm.updated_at = Set(now);
    tm.update(txn).await?;
    audit::append_touching(
        txn,
        actor,
        "teams.assign",
        &format!("task/{code}/assignment/{}", a.id),
        json!({"mode": mode, "reason": reason, "teams": teams, "pool": g.pool.len(), "recusals": g.recusals.len()}),
        &[
            Touched::one(&records::TEAMS, a.id),
            Touched::new(&records::INSPECTIONS, inspections),
            Touched::one(&records::TASKS, task_id),
        ],
    )
    .await?;
    load(txn, a.id).await?.ok_or_else(|| WorkflowError::state("选派记录丢失", "the assignment vanished"))
}

/// Rows written in one statement (SQLite takes at most 32,766 parameters in one).
const BATCH: usize = 1_000;

async fn load(
    db: &impl ConnectionTrait,
    assignment_id: i64,
) -> Result<Option<AssignmentView>, WorkflowError> {
    let Some(a) = assignment::Entity::find_by_id(assignment_id).one(db).await? else { return Ok(None) };
    // The teams the assignment made: follow-ups (复查) share its number but are not its teams.
    let inspections = inspection::Entity::find()
        .filter(inspection::Column::AssignmentId.eq(a.id))
        .filter(inspection::Column::FollowUpOf.is_null())
        .order_by_asc(inspection::Column::Rank)
        .all(db)
        .await?;
    // The members of the assignment's inspections, by a subquery: a list of ids would pass
    // SQLite's limit of parameters on a large task.
    let of_assignment = Query::select()
        .column(inspection::Column::Id)
        .from(inspection::Entity)
        .and_where(inspection::Column::AssignmentId.eq(a.id))
        .and_where(inspection::Column::FollowUpOf.is_null())
        .to_owned();
    let mut members: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for m in inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.in_subquery(of_assignment))
        .order_by_asc(inspection_member::Column::InspectionId)
        .order_by_asc(inspection_member::Column::Position)
        .all(db)
        .await?
    {
        members.entry(m.inspection_id).or_default().push((m.cert_no, m.name));
    }
    let teams = inspections
        .into_iter()
        .map(|i| TeamView {
            members: members.remove(&i.id).unwrap_or_default(),
            rank: i.rank,
            uscc: i.uscc,
            target_name: i.target_name,
            inspection_id: i.id,
            inspection_status: i.status,
        })
        .collect();
    Ok(Some(AssignmentView {
        id: a.id,
        draw_id: a.draw_id,
        mode: a.mode,
        reason: a.reason,
        document: parse_json("an assignment document", &a.document)?,
        inspectors_csv: a.inspectors_csv,
        recusals_csv: a.recusals_csv,
        created_by: a.created_by,
        created_at: a.created_at,
        teams,
    }))
}

/// The task's current (not annulled) assignment.
pub async fn assignment_of_task(
    store: &Store,
    task_id: i64,
) -> Result<Option<AssignmentView>, WorkflowError> {
    let db = store.connection();
    let a = assignment::Entity::find()
        .filter(assignment::Column::TaskId.eq(task_id))
        .filter(assignment::Column::Status.eq("valid"))
        .one(db)
        .await?;
    match a {
        Some(a) => load(db, a.id).await,
        None => Ok(None),
    }
}

/// The assignment made from a draw (annulled with it, if the draw was annulled).
pub async fn assignment_of_draw(
    store: &Store,
    draw_id: i64,
) -> Result<Option<AssignmentView>, WorkflowError> {
    let db = store.connection();
    let a = assignment::Entity::find()
        .filter(assignment::Column::DrawId.eq(draw_id))
        .order_by_desc(assignment::Column::Id)
        .one(db)
        .await?;
    match a {
        Some(a) => load(db, a.id).await,
        None => Ok(None),
    }
}
