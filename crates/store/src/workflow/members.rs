//! 更换检查组成员: one member of a team changed after the assignment — a 回避 declared late,
//! illness, a departure — without annulling the draw. The new member is drawn under
//! `suiji-assign/1` from the assignment's published pool (less the team, those recused for
//! the firm and those who can no longer serve), with the seed `<draw seed>/replace/<inspection>/<n>`;
//! the others stay. The change, its reason and its document are published beside the team.

use super::draws::valid_draw;
use super::tasks::{find, rules_of};
use super::teams::{pool, published_pool, recusals};
use super::{WorkflowError, parse_json};
use crate::Store;
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{assignment, inspection, inspection_member, member_change};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use suiji_domain::workflow::{TaskDefinition, TeamSpec};
use suiji_draw::{MemberReplacement, ReplaceError};

/// One member changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MemberChangeView {
    pub id: i64,
    pub inspection_id: i64,
    pub task_id: i64,
    /// The n-th change of this inspection's team, from 1.
    pub n: i64,
    pub gone_cert: String,
    pub gone_name: String,
    pub chosen_cert: String,
    pub chosen_name: String,
    pub reason: String,
    /// What anyone re-checks with the assignment's `inspectors.csv` (`suiji verify
    /// --replacement`).
    pub document: MemberReplacement,
    pub actor: String,
    pub at: DateTime<Utc>,
}

fn view(m: member_change::Model) -> Result<MemberChangeView, WorkflowError> {
    Ok(MemberChangeView {
        document: parse_json("a member change's document", &m.document)?,
        id: m.id,
        inspection_id: m.inspection_id,
        task_id: m.task_id,
        n: m.n,
        gone_cert: m.gone_cert,
        gone_name: m.gone_name,
        chosen_cert: m.chosen_cert,
        chosen_name: m.chosen_name,
        reason: m.reason,
        actor: m.actor,
        at: m.at,
    })
}

/// Replaces `gone` on inspection `id`'s team, for `reason`.
pub async fn replace_member(
    store: &Store,
    id: i64,
    gone: &str,
    reason: &str,
    actor: &Actor,
) -> Result<MemberChangeView, WorkflowError> {
    let (gone, reason) = (gone.trim(), reason.trim());
    {
        use suiji_domain::text::Shape::{Code, Line};
        suiji_domain::workflow::texts(&[("member", gone, Code), ("reason", reason, Line)])
            .map_err(WorkflowError::Invalid)?;
    }
    if reason.is_empty() {
        return Err(WorkflowError::invalid(
            "reason",
            "更换检查组成员须说明理由（如回避、疾病、调离）",
            "a change of member needs a reason (a conflict of interest, illness, departure)",
        ));
    }
    let txn = audit::begin(store).await?;
    let i = inspection::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| WorkflowError::not_found(format!("没有检查 {id}"), format!("no inspection {id}")))?;
    if i.status != "assigned" {
        return Err(WorkflowError::state(
            "检查结果已录入，不能再更换检查组成员",
            "the result is entered: the team can no longer change",
        ));
    }
    if super::merges::partner(&txn, id).await?.is_some() {
        return Err(WorkflowError::state(
            "合并检查的联合检查组不能单独更换成员（两项任务共用一个检查组）",
            "a joint visit's team is shared by two tasks: its members are not replaced one task at a time",
        ));
    }
    let a = assignment::Entity::find_by_id(i.assignment_id)
        .one(&txn)
        .await?
        .ok_or_else(|| WorkflowError::state("选派记录丢失", "the assignment is missing"))?;
    if a.mode != "random" {
        return Err(WorkflowError::state(
            "直接选派的检查组不适用随机更换，请说明理由后重新直接选派",
            "a team chosen directly is not changed by a draw",
        ));
    }
    let task = find(&txn, i.task_id).await?;
    let def: TaskDefinition = parse_json("a task's definition", &task.definition)?;
    let draw = valid_draw(&txn, i.task_id)
        .await?
        .ok_or_else(|| WorkflowError::state("任务没有有效的抽取", "the task has no valid draw"))?;
    let members = inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.eq(id))
        .order_by_asc(inspection_member::Column::Position)
        .all(&txn)
        .await?;
    let team: Vec<String> = members.iter().map(|m| m.cert_no.clone()).collect();
    let Some(leaving) = members.iter().find(|m| m.cert_no == gone) else {
        return Err(WorkflowError::invalid(
            "member",
            format!("{gone} 不是该检查组成员"),
            format!("{gone} is not on the team"),
        ));
    };
    let published = published_pool(&a.inspectors_csv)?;
    // A joint team keeps its departments: the new member comes from the leaving one's.
    let department = match &def.team {
        TeamSpec::Joint(_) => published.iter().find(|p| p.id == gone).map(|p| p.department.clone()),
        TeamSpec::Size(_) => None,
    };
    // Who can serve now: active, certificate valid through the window (or today, if later),
    // trained as the task's rules ask.
    let until = def.window_end.max(super::china_today());
    let now_pool = pool(&txn, &def.team_departments(), until, rules_of(&task)?.training_months).await?;
    let earlier =
        member_change::Entity::find().filter(member_change::Column::InspectionId.eq(id)).all(&txn).await?;
    // Those who cannot serve now, and those who already left this team (a 回避 stands).
    let unavailable: Vec<String> = published
        .iter()
        .filter(|p| {
            !now_pool.iter().any(|m| m.cert_no == p.id) || earlier.iter().any(|c| c.gone_cert == p.id)
        })
        .map(|p| p.id.clone())
        .collect();
    let recused: Vec<String> = recusals(&txn, &now_pool, std::slice::from_ref(&i.uscc))
        .await?
        .into_iter()
        .map(|r| r.inspector_id)
        .collect();
    let n = earlier.len() as i64 + 1;
    let seed = format!("{}/replace/{id}/{n}", draw.seed);
    let document = suiji_draw::replace_member(
        &seed,
        &i.uscc,
        &team,
        gone,
        department.as_deref(),
        &unavailable,
        &recused,
        &published,
    )
    .map_err(|e| match e {
        ReplaceError::NoCandidate(_) => WorkflowError::state(
            "选派时的人员名单中已没有可以替换的检查人员（均已在组、回避或不能履职）",
            "nobody in the assignment's pool is left to take the place",
        ),
        ReplaceError::NotOnTeam(m) => WorkflowError::invalid(
            "member",
            format!("{m} 不是该检查组成员"),
            format!("{m} is not on the team"),
        ),
    })?;
    let chosen_name =
        now_pool.iter().find(|m| m.cert_no == document.chosen).map(|m| m.name.clone()).unwrap_or_default();
    let gone_name = leaving.name.clone();
    // The members' rows have no key of their own: changed by inspection and certificate.
    inspection_member::Entity::update_many()
        .col_expr(inspection_member::Column::CertNo, Expr::value(document.chosen.clone()))
        .col_expr(inspection_member::Column::Name, Expr::value(chosen_name.clone()))
        .filter(inspection_member::Column::InspectionId.eq(id))
        .filter(inspection_member::Column::CertNo.eq(gone))
        .exec(&txn)
        .await?;
    let now = crate::clock::now();
    let change = member_change::ActiveModel {
        inspection_id: Set(id),
        task_id: Set(i.task_id),
        n: Set(n),
        gone_cert: Set(gone.to_owned()),
        gone_name: Set(gone_name),
        chosen_cert: Set(document.chosen.clone()),
        chosen_name: Set(chosen_name),
        reason: Set(reason.to_owned()),
        document: Set(serde_json::to_string(&document).expect("a replacement serialises")),
        actor: Set(actor.name.clone()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::append_touching(
        &txn,
        actor,
        "inspection.replace_member",
        &format!("inspection/{id}"),
        json!({"gone": gone, "chosen": document.chosen, "reason": reason, "seed": seed, "n": n}),
        &[Touched::one(&records::INSPECTIONS, id), Touched::one(&records::MEMBER_CHANGES, change.id)],
    )
    .await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    view(change)
}

/// A task's member changes, oldest first.
pub async fn member_changes(store: &Store, task_id: i64) -> Result<Vec<MemberChangeView>, WorkflowError> {
    member_change::Entity::find()
        .filter(member_change::Column::TaskId.eq(task_id))
        .order_by_asc(member_change::Column::Id)
        .all(store.connection())
        .await?
        .into_iter()
        .map(view)
        .collect()
}

/// One member change.
pub async fn member_change(store: &Store, id: i64) -> Result<MemberChangeView, WorkflowError> {
    let m = member_change::Entity::find_by_id(id).one(store.connection()).await?.ok_or_else(|| {
        WorkflowError::not_found(format!("没有编号为 {id} 的成员调整"), format!("no member change {id}"))
    })?;
    view(m)
}
