//! 检查 and 检查结果: the team enters the form, adds evidence and publishes (谁检查、谁录入、
//! 谁公示); the organizer may return an entered result with a comment; a published result is
//! corrected by publishing a new version with its reason, the old one kept as corrected.

use super::tasks::{find, item_names};
use super::uploads::checked_upload;
use super::{WorkflowError, parse_json};
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{evidence, inspection, inspection_member, publication, withholding};
use crate::{Store, calendar};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;
use suiji_domain::workflow::{
    FormDates, InspectionForm, PublicResult, TaskDefinition, penalty_deadline, publication_deadline,
};

/// An evidence file's record (its bytes are fetched by [`evidence_file`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EvidenceFile {
    pub id: i64,
    pub inspection_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
    #[serde(skip)]
    pub data: Vec<u8>,
}

/// A published version of a result. `C` is its content: read into [`PublicResult`], or passed
/// through as the stored JSON text (`Box<RawValue>`, for the open data: a page of results then
/// costs no parsing and writing again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PublicationView<C = PublicResult> {
    pub id: i64,
    pub inspection_id: i64,
    pub version: i64,
    pub uscc: String,
    pub target_name: String,
    pub content: C,
    /// `current` or `corrected`.
    pub status: String,
    /// Why this version corrects the one before (empty for the first).
    pub reason: String,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    /// Published after its deadline (China's date of publication later than `due_on`).
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct InspectionView {
    pub id: i64,
    pub task_id: i64,
    pub task_code: String,
    pub task_title: String,
    pub rank: i64,
    pub uscc: String,
    pub target_name: String,
    /// assigned, entered, returned, published, annulled.
    pub status: String,
    pub form: Option<InspectionForm>,
    pub review_comment: Option<String>,
    /// The last day to publish: 20 working days after the inspection's end (earlier for a
    /// penalty), or after the task's window while no end is entered.
    pub publish_by: Option<NaiveDate>,
    pub members: Vec<(String, String)>,
    pub evidence: Vec<EvidenceFile>,
    pub publications: Vec<PublicationView>,
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Who approved the entered result for publication (the `approve_results` setting).
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// A follow-up (复查): the rectification it checks.
    pub follow_up_of: Option<i64>,
    /// 不予公开: the organizer kept the result off the portal, on this basis.
    pub withheld: Option<Withholding>,
}

/// 不予公开: a result kept off the portal, the legal basis named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Withholding {
    pub basis: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

impl InspectionView {
    pub fn is_member(&self, cert_no: Option<&str>) -> bool {
        cert_no.is_some_and(|c| self.members.iter().any(|(m, _)| m == c))
    }

    /// Its deadline as of `today` (China's date), while it is not yet published.
    pub fn due(&self, today: NaiveDate) -> Option<DueItem> {
        if !matches!(self.status.as_str(), "assigned" | "entered" | "returned") {
            return None;
        }
        let publish_by = self.publish_by.unwrap_or(today);
        Some(DueItem {
            inspection_id: self.id,
            task_id: self.task_id,
            task_code: self.task_code.clone(),
            uscc: self.uscc.clone(),
            target_name: self.target_name.clone(),
            status: self.status.clone(),
            publish_by,
            overdue: publish_by < today,
            due_soon: publish_by >= today && publish_by <= today + chrono::Duration::days(7),
        })
    }
}

pub fn status_zh(status: &str) -> &'static str {
    match status {
        "assigned" => "待检查",
        "entered" => "已录入待公示",
        "returned" => "已退回修改",
        "published" => "已公示",
        "withheld" => "不予公开",
        "annulled" => "已作废",
        _ => "未知",
    }
}

/// An inspection's status as an English reader calls it.
pub fn status_en(status: &str) -> &'static str {
    match status {
        "assigned" => "to inspect",
        "entered" => "entered, to publish",
        "returned" => "returned for changes",
        "published" => "published",
        "withheld" => "withheld from publication",
        "annulled" => "annulled",
        _ => "unknown",
    }
}

/// Today's date in China, which deadlines are counted in.
pub fn china_today() -> NaiveDate {
    audit::china_day(crate::clock::now())
}

fn publication_view(m: publication::Model) -> Result<PublicationView, WorkflowError> {
    let content = parse_json("a publication", &m.content)?;
    Ok(view_with(m, content))
}

/// The stored JSON, checked to be JSON but not read.
fn raw_publication_view(mut m: publication::Model) -> Result<PublicationView<Box<RawValue>>, WorkflowError> {
    let content = RawValue::from_string(std::mem::take(&mut m.content)).map_err(|e| {
        WorkflowError::state(format!("公示内容无法读取：{e}"), format!("a publication cannot be read: {e}"))
    })?;
    Ok(view_with(m, content))
}

fn view_with<C>(m: publication::Model, content: C) -> PublicationView<C> {
    let published_on = audit::china_day(m.published_at);
    PublicationView {
        content,
        late: m.due_on.is_some_and(|due| published_on > due),
        id: m.id,
        inspection_id: m.inspection_id,
        version: m.version,
        uscc: m.uscc,
        target_name: m.target_name,
        status: m.status,
        reason: m.reason,
        published_by: m.published_by,
        published_at: m.published_at,
        due_on: m.due_on,
    }
}

/// An inspection with its task, members, evidence and publications. `cal` is read once by the
/// caller: a list of inspections needs it for every one not yet entered.
async fn load(
    db: &impl ConnectionTrait,
    cal: &suiji_domain::calendar::WorkCalendar,
    i: inspection::Model,
) -> Result<InspectionView, WorkflowError> {
    let t = find(db, i.task_id).await?;
    let members = inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.eq(i.id))
        .order_by_asc(inspection_member::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.cert_no, m.name))
        .collect();
    let evidence = evidence::Entity::find()
        .filter(evidence::Column::InspectionId.eq(i.id))
        .order_by_asc(evidence::Column::Id)
        .select_only()
        .columns([
            evidence::Column::Id,
            evidence::Column::InspectionId,
            evidence::Column::FileName,
            evidence::Column::ContentType,
            evidence::Column::Sha256,
            evidence::Column::Size,
            evidence::Column::AddedBy,
            evidence::Column::AddedAt,
        ])
        .into_tuple::<(i64, i64, String, String, String, i64, String, DateTime<Utc>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, inspection_id, file_name, content_type, sha256, size, added_by, added_at)| EvidenceFile {
            id,
            inspection_id,
            file_name,
            content_type,
            sha256,
            size,
            added_by,
            added_at,
            data: Vec::new(),
        })
        .collect();
    let publications = publication::Entity::find()
        .filter(publication::Column::InspectionId.eq(i.id))
        .order_by_desc(publication::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(publication_view)
        .collect::<Result<_, _>>()?;
    let form = i.form.as_deref().map(|f| parse_json("an inspection form", f)).transpose()?;
    let withheld = if i.status == "withheld" {
        withholding::Entity::find()
            .filter(withholding::Column::InspectionId.eq(i.id))
            .one(db)
            .await?
            .map(|w| Withholding { basis: w.basis, decided_by: w.decided_by, decided_at: w.decided_at })
    } else {
        None
    };
    let publish_by = match i.publish_by {
        Some(d) => Some(d),
        None => {
            let def: TaskDefinition = parse_json("a task's definition", &t.definition)?;
            Some(
                publication_deadline(cal, def.window_end, super::tasks::rules_of(&t)?.publication_workdays)
                    .value,
            )
        }
    };
    Ok(InspectionView {
        id: i.id,
        task_id: i.task_id,
        task_code: t.code,
        task_title: t.title,
        rank: i.rank,
        uscc: i.uscc,
        target_name: i.target_name,
        status: i.status,
        form,
        review_comment: i.review_comment,
        publish_by,
        members,
        evidence,
        publications,
        updated_by: i.updated_by,
        updated_at: i.updated_at,
        approved_by: i.approved_by,
        approved_at: i.approved_at,
        follow_up_of: i.follow_up_of,
        withheld,
    })
}

async fn find_inspection(db: &impl ConnectionTrait, id: i64) -> Result<inspection::Model, WorkflowError> {
    inspection::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| WorkflowError::not_found(format!("没有检查 {id}"), format!("no inspection {id}")))
}

pub async fn inspection(store: &Store, id: i64) -> Result<InspectionView, WorkflowError> {
    let db = store.connection();
    load(db, &calendar::calendar_in(db).await?, find_inspection(db, id).await?).await
}

/// Who asks to read an inspection, for the scope of its findings and evidence
/// (`suiji_domain::access::reads_findings`).
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub role: suiji_domain::access::Role,
    /// An inspector's certificate: which teams are its.
    pub cert_no: Option<&'a str>,
    pub department: Option<&'a str>,
}

/// What `reader` reads of one task's inspections: the findings and evidence of each, or not.
#[derive(Debug, Clone)]
pub struct TaskReading {
    role: suiji_domain::access::Role,
    cert_no: Option<String>,
    /// Its department takes part in the task and the bureau lets inspectors read their
    /// department's inspections.
    through_department: bool,
}

impl TaskReading {
    /// Whether the reader reads `i`'s findings and evidence (`i` of the task it was made for).
    pub fn reads(&self, i: &InspectionView) -> bool {
        let on_team = self.cert_no.as_deref().is_some_and(|c| i.members.iter().any(|(m, _)| m == c));
        suiji_domain::access::reads_findings(self.role, on_team, self.through_department, true)
    }
}

/// How `reader` reads the inspections of task `task_id` (at most two queries, for an inspector).
pub async fn task_reading(
    store: &Store,
    task_id: i64,
    reader: &Reader<'_>,
) -> Result<TaskReading, WorkflowError> {
    let mut through_department = false;
    if reader.role == suiji_domain::access::Role::Inspector
        && let Some(d) = reader.department
        && crate::settings::load(store).await?.inspector_reads_department
    {
        through_department = super::task(store, task_id).await?.definition.departments.iter().any(|t| t == d);
    }
    Ok(TaskReading { role: reader.role, cert_no: reader.cert_no.map(str::to_owned), through_department })
}

/// An inspection, if `reader` may read its findings; refused (403) otherwise.
pub async fn inspection_for(
    store: &Store,
    id: i64,
    reader: &Reader<'_>,
) -> Result<InspectionView, WorkflowError> {
    let i = inspection(store, id).await?;
    if task_reading(store, i.task_id, reader).await?.reads(&i) {
        Ok(i)
    } else {
        Err(WorkflowError::Forbidden {
            zh: "检查结果和证据材料仅供本检查组成员查阅".into(),
            en: "an inspection's results and evidence are its team's to read".into(),
        })
    }
}

/// `i` without what only its readers see (the form, the evidence, the review's comment), for
/// lists shown to one who may not read it.
pub fn without_findings(mut i: InspectionView) -> InspectionView {
    i.form = None;
    i.evidence.clear();
    i.review_comment = None;
    i
}

/// Only the team's members enter, publish and correct (谁检查、谁录入、谁公示).
async fn as_member(db: &impl ConnectionTrait, id: i64, cert_no: Option<&str>) -> Result<(), WorkflowError> {
    let member = match cert_no {
        Some(c) => inspection_member::Entity::find()
            .filter(inspection_member::Column::InspectionId.eq(id))
            .filter(inspection_member::Column::CertNo.eq(c))
            .one(db)
            .await?
            .is_some(),
        None => false,
    };
    if member {
        Ok(())
    } else {
        Err(WorkflowError::Forbidden {
            zh: "只有本检查组的成员才能录入、公示或更正检查结果".into(),
            en: "only the team's members enter, publish or correct its result".into(),
        })
    }
}

/// The deadline of a form's publication: 20 working days after the inspection's end, or 7
/// after a penalty decision when that is sooner (or fewer, as the task's rules say).
async fn deadline(
    db: &impl ConnectionTrait,
    task_id: i64,
    form: &InspectionForm,
) -> Result<NaiveDate, WorkflowError> {
    let cal = calendar::calendar_in(db).await?;
    let rules = super::tasks::task_rules(db, task_id).await?;
    let mut due = publication_deadline(&cal, form.ended_on, rules.publication_workdays).value;
    if let Some(decided) = form.handling.penalty_date {
        due = due.min(penalty_deadline(&cal, decided, rules.penalty_workdays).value);
    }
    Ok(due)
}

/// The form's rules for inspection `i`. A follow-up (复查) lies between the result it
/// follows up and today, and says what it found; no other form does.
async fn checked(
    db: &impl ConnectionTrait,
    i: &inspection::Model,
    form: &InspectionForm,
) -> Result<(), WorkflowError> {
    let t = find(db, i.task_id).await?;
    let def: TaskDefinition = parse_json("a task's definition", &t.definition)?;
    let today = china_today();
    let dates = match i.follow_up_of {
        None => FormDates { window_start: def.window_start, window_end: def.window_end, today },
        Some(of) => {
            let ordered_on = crate::entity::rectification::Entity::find_by_id(of)
                .one(db)
                .await?
                .map_or(def.window_start, |r| r.ordered_on);
            FormDates { window_start: ordered_on, window_end: today, today }
        }
    };
    let mut problems = form.check(&def.items, dates);
    match (i.follow_up_of, form.follow_up) {
        (Some(_), None) => problems.push(suiji_domain::workflow::Invalid::new(
            "follow_up",
            "复查须写明整改情况（已整改、部分整改或未整改）",
            "a follow-up says what it found: rectified, partly or not rectified",
        )),
        (None, Some(_)) => problems.push(suiji_domain::workflow::Invalid::new(
            "follow_up",
            "只有复查记录整改情况",
            "only a follow-up records a rectification's outcome",
        )),
        _ => {}
    }
    if problems.is_empty() { Ok(()) } else { Err(WorkflowError::Invalid(problems)) }
}

/// What an entered form says that the statistics count, kept in columns beside it (migration
/// 30 fills them for the forms saved before, from the JSON).
struct InspectionFacts {
    conclusion: String,
    ended_on: chrono::NaiveDate,
    referred: bool,
}

impl InspectionFacts {
    fn of(form: &InspectionForm) -> InspectionFacts {
        InspectionFacts {
            conclusion: form.conclusion.code().to_owned(),
            ended_on: form.ended_on,
            referred: !form.handling.referred_to.trim().is_empty(),
        }
    }

    fn set(self, m: &mut inspection::ActiveModel) {
        m.conclusion = Set(Some(self.conclusion));
        m.ended_on = Set(Some(self.ended_on));
        m.referred = Set(Some(self.referred));
    }
}

/// Puts `form` on inspection `id` (`m`, updated by the caller) with what the statistics count
/// beside it: the facts above and each item's verdict as a row (migration 31 filled those for
/// the forms saved before).
async fn keep_form(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
    m: &mut inspection::ActiveModel,
    form: &InspectionForm,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::{Alias, Expr, Query};
    m.form = Set(Some(serde_json::to_string(form).expect("a form serialises")));
    InspectionFacts::of(form).set(m);
    let table = || Alias::new("inspection_verdicts");
    let mut delete = Query::delete();
    delete.from_table(table()).and_where(Expr::col(Alias::new("inspection_id")).eq(id));
    txn.execute(txn.get_database_backend().build(&delete)).await?;
    if !form.items.is_empty() {
        let mut insert = Query::insert();
        insert.into_table(table()).columns(["inspection_id", "item", "verdict"].map(Alias::new));
        for r in &form.items {
            insert.values_panic([id.into(), r.item.clone().into(), r.verdict.code().into()]);
        }
        txn.execute(txn.get_database_backend().build(&insert)).await?;
    }
    Ok(())
}

/// Enters (or re-enters) the form of an inspection not yet published. An inspection of a
/// joint visit (合并检查) is entered with one form holding both tasks' items: each task's
/// inspection keeps its own items' verdicts and the rest of the form.
pub async fn save_form(
    store: &Store,
    id: i64,
    form: &InspectionForm,
    cert_no: Option<&str>,
    actor: &Actor,
) -> Result<InspectionView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let i = find_inspection(&txn, id).await?;
    as_member(&txn, id, cert_no).await?;
    match super::merges::partner(&txn, id).await? {
        None => enter(&txn, i, form, None, actor).await?,
        Some(p) => {
            let other = find_inspection(&txn, p.inspection_id).await?;
            let (ours, theirs) =
                (task_items_of(&txn, i.task_id).await?, task_items_of(&txn, other.task_id).await?);
            let part = |items: &[String]| InspectionForm {
                items: form.items.iter().filter(|r| items.contains(&r.item)).cloned().collect(),
                ..form.clone()
            };
            // An item of neither task is named, not dropped.
            let mut problems = Vec::new();
            for r in &form.items {
                if !ours.contains(&r.item) && !theirs.contains(&r.item) {
                    problems.push(suiji_domain::workflow::Invalid::new(
                        "items",
                        format!("事项 {} 不属于合并检查的两项任务", r.item),
                        format!("item {} is neither task's", r.item),
                    ));
                }
            }
            if !problems.is_empty() {
                return Err(WorkflowError::Invalid(problems));
            }
            enter(&txn, i, &part(&ours), Some(p.merge_id), actor).await?;
            enter(&txn, other, &part(&theirs), Some(p.merge_id), actor).await?;
        }
    }
    txn.commit().await?;
    inspection(store, id).await
}

async fn task_items_of(db: &impl ConnectionTrait, task_id: i64) -> Result<Vec<String>, WorkflowError> {
    let def: TaskDefinition = parse_json("a task's definition", &find(db, task_id).await?.definition)?;
    Ok(def.items)
}

/// Enters `form` on inspection `i` (one half of joint visit `merge`, if any).
async fn enter(
    txn: &sea_orm::DatabaseTransaction,
    i: inspection::Model,
    form: &InspectionForm,
    merge: Option<i64>,
    actor: &Actor,
) -> Result<(), WorkflowError> {
    let id = i.id;
    match i.status.as_str() {
        "assigned" | "entered" | "returned" => {}
        "published" => {
            return Err(WorkflowError::state(
                "结果已公示；如需修改请更正",
                "the result is published: correct it instead",
            ));
        }
        _ => return Err(WorkflowError::state("该检查已作废", "the inspection is annulled")),
    }
    checked(txn, &i, form).await?;
    let due = deadline(txn, i.task_id, form).await?;
    let mut m: inspection::ActiveModel = i.into();
    keep_form(txn, id, &mut m, form).await?;
    m.status = Set("entered".into());
    m.publish_by = Set(Some(due));
    // A changed form is approved again before it is published.
    m.approved_by = Set(None);
    m.approved_at = Set(None);
    m.updated_by = Set(Some(actor.name.clone()));
    m.updated_at = Set(Some(crate::clock::now()));
    m.update(txn).await?;
    let mut change = json!(form);
    if let Some(merge) = merge {
        change["merge"] = json!(merge);
    }
    let touched = [Touched::one(&records::INSPECTIONS, id)];
    audit::append_touching(txn, actor, "inspection.enter", &format!("inspection/{id}"), change, &touched)
        .await?;
    Ok(())
}

async fn public_result(
    db: &impl ConnectionTrait,
    i: &inspection::Model,
    form: &InspectionForm,
) -> Result<PublicResult, WorkflowError> {
    let t = find(db, i.task_id).await?;
    let def: TaskDefinition = parse_json("a task's definition", &t.definition)?;
    let members = inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.eq(i.id))
        .order_by_asc(inspection_member::Column::Position)
        .all(db)
        .await?;
    Ok(PublicResult {
        task_code: t.code,
        task_title: t.title,
        uscc: i.uscc.clone(),
        target_name: i.target_name.clone(),
        items: item_names(db, &def.items).await?,
        started_on: form.started_on,
        ended_on: form.ended_on,
        conclusion: form.conclusion.zh().to_owned(),
        handling: form.handling.describe(),
        note: form.public_note.trim().to_owned(),
        inspectors: members.into_iter().map(|m| format!("{}（{}）", m.name, m.cert_no)).collect(),
        follow_up: form.follow_up.map(|o| format!("复查：{}", o.zh())),
        merged_with: super::merges::partner(db, i.id)
            .await?
            .map(|p| format!("与{}（{}）合并检查", p.task_code, p.task_title)),
    })
}

async fn add_publication(
    txn: &sea_orm::DatabaseTransaction,
    i: &inspection::Model,
    form: &InspectionForm,
    version: i64,
    reason: &str,
    due_on: NaiveDate,
    actor: &Actor,
) -> Result<(PublicResult, i64), WorkflowError> {
    let content = public_result(txn, i, form).await?;
    let p = publication::ActiveModel {
        inspection_id: Set(i.id),
        version: Set(version),
        uscc: Set(i.uscc.clone()),
        target_name: Set(i.target_name.clone()),
        content: Set(serde_json::to_string(&content).expect("a public result serialises")),
        status: Set("current".into()),
        reason: Set(reason.to_owned()),
        published_by: Set(actor.name.clone()),
        published_at: Set(crate::clock::now()),
        due_on: Set(Some(due_on)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok((content, p.id))
}

/// Publishes an entered result on the portal.
pub async fn publish_result(
    store: &Store,
    id: i64,
    cert_no: Option<&str>,
    actor: &Actor,
) -> Result<InspectionView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let i = find_inspection(&txn, id).await?;
    as_member(&txn, id, cert_no).await?;
    if i.status != "entered" {
        return Err(WorkflowError::state(
            match i.status.as_str() {
                "published" => "结果已公示",
                "returned" => "结果已退回，请修改后重新录入",
                _ => "尚未录入检查结果",
            },
            "only an entered result can be published",
        ));
    }
    if i.approved_at.is_none() && crate::settings::load_in(&txn).await?.approve_results {
        return Err(WorkflowError::state(
            "本单位要求检查结果经任务负责人审核后方可公示，该结果尚未审核",
            "the bureau requires the organizer's approval before publication, and this result has none",
        ));
    }
    let form: InspectionForm = parse_json("an inspection form", i.form.as_deref().unwrap_or("null"))?;
    let due = deadline(&txn, i.task_id, &form).await?;
    let (content, publication) = add_publication(&txn, &i, &form, 1, "", due, actor).await?;
    crate::push::enqueue(&txn, "result.published", &format!("inspection/{id}"), json!(content)).await?;
    // A result that orders rectification opens one; a follow-up's records what it found.
    let rectification = super::rectifications::on_publication(&txn, &i, &form, actor).await?;
    let mut m: inspection::ActiveModel = i.into();
    m.status = Set("published".into());
    m.published_on = Set(Some(china_today()));
    m.updated_by = Set(Some(actor.name.clone()));
    m.updated_at = Set(Some(crate::clock::now()));
    m.update(&txn).await?;
    let mut touched =
        vec![Touched::one(&records::INSPECTIONS, id), Touched::one(&records::PUBLICATIONS, publication)];
    touched.extend(rectification.map(|r| Touched::one(&records::RECTIFICATIONS, r)));
    audit::append_touching(
        &txn,
        actor,
        "inspection.publish",
        &format!("inspection/{id}"),
        json!(content),
        &touched,
    )
    .await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    inspection(store, id).await
}

/// 不予公开 (001 三(五)): the organizer keeps an entered result off the portal, naming the legal
/// basis. It leaves the list of what is due and is never overdue; a rectification it orders is
/// opened all the same, and the portal counts such results without showing them.
pub async fn withhold_result(
    store: &Store,
    id: i64,
    basis: &str,
    actor: &Actor,
) -> Result<InspectionView, WorkflowError> {
    let basis = basis.trim();
    let problems = suiji_domain::workflow::check_withholding(basis);
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let txn = audit::begin(store).await?;
    let i = find_inspection(&txn, id).await?;
    if i.status != "entered" {
        return Err(WorkflowError::state(
            match i.status.as_str() {
                "published" => "结果已公示，不能再决定不予公开",
                "withheld" => "该结果已决定不予公开",
                "returned" => "结果已退回修改，请待检查组重新录入",
                _ => "尚未录入检查结果",
            },
            "only an entered, unpublished result can be withheld",
        ));
    }
    let form: InspectionForm = parse_json("an inspection form", i.form.as_deref().unwrap_or("null"))?;
    let now = crate::clock::now();
    let w = withholding::ActiveModel {
        inspection_id: Set(id),
        basis: Set(basis.to_owned()),
        decided_by: Set(actor.name.clone()),
        decided_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The result takes effect unpublished: a rectification it orders is followed all the same.
    let rectification = super::rectifications::on_publication(&txn, &i, &form, actor).await?;
    let mut m: inspection::ActiveModel = i.into();
    m.status = Set("withheld".into());
    m.updated_by = Set(Some(actor.name.clone()));
    m.updated_at = Set(Some(now));
    m.update(&txn).await?;
    let mut touched =
        vec![Touched::one(&records::INSPECTIONS, id), Touched::one(&records::WITHHOLDINGS, w.id)];
    touched.extend(rectification.map(|r| Touched::one(&records::RECTIFICATIONS, r)));
    audit::append_touching(
        &txn,
        actor,
        "inspection.withhold",
        &format!("inspection/{id}"),
        json!({"basis": basis}),
        &touched,
    )
    .await?;
    txn.commit().await?;
    inspection(store, id).await
}

/// The task's organizer (负责人) approves an entered result for publication, where the bureau
/// requires it (the `approve_results` setting); entering the form again withdraws it.
pub async fn approve_result(store: &Store, id: i64, actor: &Actor) -> Result<InspectionView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let i = find_inspection(&txn, id).await?;
    if i.status != "entered" {
        return Err(WorkflowError::state(
            "只能审核已录入、未公示的结果",
            "only an entered, unpublished result can be approved",
        ));
    }
    if i.approved_at.is_some() {
        return Err(WorkflowError::state("该结果已审核", "the result is already approved"));
    }
    let mut m: inspection::ActiveModel = i.into();
    m.approved_by = Set(Some(actor.name.clone()));
    m.approved_at = Set(Some(crate::clock::now()));
    m.update(&txn).await?;
    let touched = [Touched::one(&records::INSPECTIONS, id)];
    audit::append_touching(
        &txn,
        actor,
        "inspection.approve",
        &format!("inspection/{id}"),
        json!({}),
        &touched,
    )
    .await?;
    txn.commit().await?;
    inspection(store, id).await
}

/// The organizer sends an entered result back to the team with a comment.
pub async fn return_inspection(
    store: &Store,
    id: i64,
    comment: &str,
    actor: &Actor,
) -> Result<InspectionView, WorkflowError> {
    let comment = comment.trim();
    suiji_domain::workflow::texts(&[("comment", comment, suiji_domain::text::Shape::Text)])
        .map_err(WorkflowError::Invalid)?;
    if comment.is_empty() {
        return Err(WorkflowError::invalid("comment", "退回须写明意见", "a return needs a comment"));
    }
    let txn = audit::begin(store).await?;
    let i = find_inspection(&txn, id).await?;
    if i.status != "entered" {
        return Err(WorkflowError::state(
            "只能退回已录入、未公示的结果",
            "only an entered, unpublished result can be returned",
        ));
    }
    let mut m: inspection::ActiveModel = i.into();
    m.status = Set("returned".into());
    m.review_comment = Set(Some(comment.to_owned()));
    m.approved_by = Set(None);
    m.approved_at = Set(None);
    m.updated_by = Set(Some(actor.name.clone()));
    m.updated_at = Set(Some(crate::clock::now()));
    m.update(&txn).await?;
    let touched = [Touched::one(&records::INSPECTIONS, id)];
    let change = json!({"comment": comment});
    audit::append_touching(&txn, actor, "inspection.return", &format!("inspection/{id}"), change, &touched)
        .await?;
    txn.commit().await?;
    inspection(store, id).await
}

/// Publishes a corrected result (002 第十六条): a new version with its reason; the old one
/// stays on the portal marked as corrected.
pub async fn correct_result(
    store: &Store,
    id: i64,
    form: &InspectionForm,
    reason: &str,
    cert_no: Option<&str>,
    actor: &Actor,
) -> Result<InspectionView, WorkflowError> {
    let reason = reason.trim();
    suiji_domain::workflow::texts(&[("reason", reason, suiji_domain::text::Shape::Line)])
        .map_err(WorkflowError::Invalid)?;
    if reason.is_empty() {
        return Err(WorkflowError::invalid("reason", "更正须说明理由", "a correction needs its reason"));
    }
    let txn = audit::begin(store).await?;
    let i = find_inspection(&txn, id).await?;
    as_member(&txn, id, cert_no).await?;
    if i.status != "published" {
        return Err(WorkflowError::state("只能更正已公示的结果", "only a published result is corrected"));
    }
    checked(&txn, &i, form).await?;
    let last = publication::Entity::find()
        .filter(publication::Column::InspectionId.eq(id))
        .order_by_desc(publication::Column::Version)
        .one(&txn)
        .await?
        .ok_or_else(|| WorkflowError::state("没有已公示的版本", "no published version"))?;
    let version = last.version + 1;
    // A correction is due when what it adds is: a penalty decided since the last version within
    // 7 working days of its decision; anything else keeps the last version's deadline.
    let previous: InspectionForm = parse_json("an inspection form", i.form.as_deref().unwrap_or("null"))?;
    let due = match form.handling.penalty_date {
        Some(decided) if previous.handling.penalty_date != Some(decided) => {
            let workdays = super::tasks::task_rules(&txn, i.task_id).await?.penalty_workdays;
            penalty_deadline(&calendar::calendar_in(&txn).await?, decided, workdays).value
        }
        _ => last.due_on.unwrap_or(deadline(&txn, i.task_id, form).await?),
    };
    let corrected = last.id;
    let mut old: publication::ActiveModel = last.into();
    old.status = Set("corrected".into());
    old.update(&txn).await?;
    let mut m: inspection::ActiveModel = i.clone().into();
    keep_form(&txn, id, &mut m, form).await?;
    m.updated_by = Set(Some(actor.name.clone()));
    m.updated_at = Set(Some(crate::clock::now()));
    let i = m.update(&txn).await?;
    let (content, publication) = add_publication(&txn, &i, form, version, reason, due, actor).await?;
    let event = json!({"version": version, "reason": reason, "result": content});
    crate::push::enqueue(&txn, "result.corrected", &format!("inspection/{id}"), event).await?;
    let rectification = super::rectifications::on_publication(&txn, &i, form, actor).await?;
    let mut touched = vec![
        Touched::one(&records::INSPECTIONS, id),
        Touched::new(&records::PUBLICATIONS, [corrected, publication]),
    ];
    touched.extend(rectification.map(|r| Touched::one(&records::RECTIFICATIONS, r)));
    audit::append_touching(
        &txn,
        actor,
        "inspection.correct",
        &format!("inspection/{id}"),
        json!({"version": version, "reason": reason, "form": form, "public": content}),
        &touched,
    )
    .await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    inspection(store, id).await
}

/// Keeps a file with an inspection, by its SHA-256.
pub async fn add_evidence(
    store: &Store,
    id: i64,
    file_name: &str,
    content_type: &str,
    data: Vec<u8>,
    cert_no: Option<&str>,
    actor: &Actor,
) -> Result<EvidenceFile, WorkflowError> {
    let (file_name, content_type, sha256) = checked_upload(file_name, content_type, &data)?;
    let txn = audit::begin(store).await?;
    let i = find_inspection(&txn, id).await?;
    as_member(&txn, id, cert_no).await?;
    if i.status == "annulled" {
        return Err(WorkflowError::state("该检查已作废", "the inspection is annulled"));
    }
    let now = crate::clock::now();
    let size = data.len() as i64;
    let m = evidence::ActiveModel {
        inspection_id: Set(id),
        file_name: Set(file_name.clone()),
        content_type: Set(content_type),
        sha256: Set(sha256.clone()),
        size: Set(size),
        data: Set(data),
        added_by: Set(actor.name.clone()),
        added_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::append(
        &txn,
        actor,
        "evidence.add",
        &format!("inspection/{id}/evidence/{}", m.id),
        json!({"file_name": file_name, "sha256": sha256, "size": size}),
    )
    .await?;
    txn.commit().await?;
    Ok(EvidenceFile { data: Vec::new(), ..to_file(m) })
}

fn to_file(m: evidence::Model) -> EvidenceFile {
    EvidenceFile {
        id: m.id,
        inspection_id: m.inspection_id,
        file_name: m.file_name,
        content_type: m.content_type,
        sha256: m.sha256,
        size: m.size,
        added_by: m.added_by,
        added_at: m.added_at,
        data: m.data,
    }
}

/// An evidence file with its bytes.
pub async fn evidence_file(store: &Store, evidence_id: i64) -> Result<EvidenceFile, WorkflowError> {
    let m = evidence::Entity::find_by_id(evidence_id).one(store.connection()).await?.ok_or_else(|| {
        WorkflowError::not_found(format!("没有证据文件 {evidence_id}"), format!("no evidence {evidence_id}"))
    })?;
    Ok(to_file(m))
}

async fn views(
    db: &impl ConnectionTrait,
    models: Vec<inspection::Model>,
) -> Result<Vec<InspectionView>, WorkflowError> {
    let cal = calendar::calendar_in(db).await?;
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        out.push(load(db, &cal, m).await?);
    }
    Ok(out)
}

/// The inspections an inspector is on (annulled ones left out), newest task first.
pub async fn inspections_of_inspector(
    store: &Store,
    cert_no: &str,
) -> Result<Vec<InspectionView>, WorkflowError> {
    let db = store.connection();
    let ids: Vec<i64> = inspection_member::Entity::find()
        .filter(inspection_member::Column::CertNo.eq(cert_no))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.inspection_id)
        .collect();
    let models = inspection::Entity::find()
        .filter(inspection::Column::Id.is_in(ids))
        .filter(inspection::Column::Status.ne("annulled"))
        .order_by_desc(inspection::Column::TaskId)
        .order_by_asc(inspection::Column::Rank)
        .all(db)
        .await?;
    views(db, models).await
}

/// A firm's inspections (annulled ones left out), oldest first: its dossier's.
pub async fn inspections_of_target(store: &Store, uscc: &str) -> Result<Vec<InspectionView>, WorkflowError> {
    let db = store.connection();
    let models = inspection::Entity::find()
        .filter(inspection::Column::Uscc.eq(uscc))
        .filter(inspection::Column::Status.ne("annulled"))
        .order_by_asc(inspection::Column::Id)
        .all(db)
        .await?;
    views(db, models).await
}

/// A task's inspections (annulled ones left out), in rank order.
pub async fn inspections_of_task(store: &Store, task_id: i64) -> Result<Vec<InspectionView>, WorkflowError> {
    let db = store.connection();
    let models = inspection::Entity::find()
        .filter(inspection::Column::TaskId.eq(task_id))
        .filter(inspection::Column::Status.ne("annulled"))
        .order_by_asc(inspection::Column::Rank)
        .all(db)
        .await?;
    views(db, models).await
}

/// An unpublished inspection and its deadline, for the organizer's list and the portal's marks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DueItem {
    pub inspection_id: i64,
    pub task_id: i64,
    pub task_code: String,
    pub uscc: String,
    pub target_name: String,
    pub status: String,
    pub publish_by: NaiveDate,
    pub overdue: bool,
    /// Due within the coming week.
    pub due_soon: bool,
}

/// Every inspection not yet published, soonest deadline first, marked when overdue (China's
/// today is past its last day).
pub async fn due_list(store: &Store) -> Result<Vec<DueItem>, WorkflowError> {
    let db = store.connection();
    let models = inspection::Entity::find()
        .filter(inspection::Column::Status.is_in(["assigned", "entered", "returned"]))
        .all(db)
        .await?;
    let today = china_today();
    let mut out = Vec::new();
    for view in views(db, models).await? {
        out.extend(view.due(today));
    }
    out.sort_by_key(|d| (d.publish_by, d.inspection_id));
    Ok(out)
}

/// A page of published results, newest first, and where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ResultsPage<C = PublicResult> {
    pub results: Vec<PublicationView<C>>,
    /// Pass as `after` for the next page; `None` on the last.
    pub next: Option<i64>,
}

/// Published results, newest first: every version (corrected ones marked), found by a whole
/// USCC or a part of the target's name; `after` continues a previous page (keyset paging on the
/// publication's id, so a page deep in the list costs what the first does).
pub async fn public_results(
    store: &Store,
    query: Option<&str>,
    after: Option<i64>,
    limit: u64,
) -> Result<ResultsPage, WorkflowError> {
    let (rows, next) = publication_page(store, query, after, limit).await?;
    let results = rows.into_iter().map(publication_view).collect::<Result<_, _>>()?;
    Ok(ResultsPage { results, next })
}

/// [`public_results`] with each result's content passed through as stored (the same JSON).
pub async fn public_results_raw(
    store: &Store,
    query: Option<&str>,
    after: Option<i64>,
    limit: u64,
) -> Result<ResultsPage<Box<RawValue>>, WorkflowError> {
    let (rows, next) = publication_page(store, query, after, limit).await?;
    let results = rows.into_iter().map(raw_publication_view).collect::<Result<_, _>>()?;
    Ok(ResultsPage { results, next })
}

async fn publication_page(
    store: &Store,
    query: Option<&str>,
    after: Option<i64>,
    limit: u64,
) -> Result<(Vec<publication::Model>, Option<i64>), WorkflowError> {
    let mut q = publication::Entity::find().order_by_desc(publication::Column::Id);
    if let Some(text) = query.map(str::trim).filter(|t| !t.is_empty()) {
        q = q.filter(
            sea_orm::Condition::any()
                .add(publication::Column::Uscc.eq(text.to_uppercase()))
                .add(publication::Column::TargetName.contains(text)),
        );
    }
    if let Some(after) = after {
        q = q.filter(publication::Column::Id.lt(after));
    }
    let rows = q.limit(limit + 1).all(store.connection()).await?;
    Ok(super::keyset_page(rows, limit, |r| r.id))
}

/// The inspections past their deadline and not published: the first few and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Overdue {
    pub total: u64,
    /// Oldest deadline first.
    pub items: Vec<DueItem>,
}

/// An open inspection, written as the partial index `inspections_open_due` writes it: a
/// literal (not a bound value), or neither database could tell that the index applies.
const OPEN: &str = "inspections.status IN ('assigned', 'entered', 'returned')";

/// What is overdue (China's today past its deadline): two queries on the open inspections'
/// index, however many results are published.
pub async fn overdue(store: &Store, limit: u64) -> Result<Overdue, WorkflowError> {
    use sea_orm::sea_query::{Alias, Expr, Order, Query};
    let db = store.connection();
    let today = china_today();
    let (i, t) = (Alias::new("inspections"), Alias::new("tasks"));
    let overdue = || Expr::col((i.clone(), Alias::new("publish_by"))).lt(today);
    let mut q = Query::select();
    q.from(i.clone())
        .inner_join(
            t.clone(),
            Expr::col((t.clone(), Alias::new("id"))).equals((i.clone(), Alias::new("task_id"))),
        )
        .columns(
            ["id", "task_id", "uscc", "target_name", "status", "publish_by"]
                .map(|c| (i.clone(), Alias::new(c))),
        )
        .expr_as(Expr::col((t.clone(), Alias::new("code"))), Alias::new("task_code"))
        .and_where(Expr::cust(OPEN))
        .and_where(overdue())
        .order_by((i.clone(), Alias::new("publish_by")), Order::Asc)
        .order_by((i.clone(), Alias::new("id")), Order::Asc)
        .limit(limit);
    let backend = db.get_database_backend();
    let mut items = Vec::new();
    for row in db.query_all(backend.build(&q)).await? {
        let publish_by: NaiveDate = row.try_get("", "publish_by")?;
        items.push(DueItem {
            inspection_id: row.try_get("", "id")?,
            task_id: row.try_get("", "task_id")?,
            task_code: row.try_get("", "task_code")?,
            uscc: row.try_get("", "uscc")?,
            target_name: row.try_get("", "target_name")?,
            status: row.try_get("", "status")?,
            publish_by,
            overdue: true,
            due_soon: false,
        });
    }
    let mut count = Query::select();
    count
        .from(i.clone())
        .expr_as(Expr::col(Alias::new("id")).count(), Alias::new("n"))
        .and_where(Expr::cust(OPEN))
        .and_where(overdue());
    let total = match db.query_one(backend.build(&count)).await? {
        Some(row) => row.try_get::<i64>("", "n")? as u64,
        None => 0,
    };
    Ok(Overdue { total, items })
}
