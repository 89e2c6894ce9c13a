//! 综合查一次: the firms a task's draw selected that another task — of any department — has
//! also selected for a visit in an overlapping window and not yet made. Listed on the task page
//! before its teams are made, so that a firm is not sent two teams in the same weeks without
//! anyone noticing (国办发〔2024〕54号: 进一次门、查多项事).

use super::WorkflowError;
use super::draws::valid_draw;
use super::tasks::{find, owner};
use crate::Store;
use crate::entity::{draw, draw_entry, inspection, joint_visit, task};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use suiji_domain::workflow::TaskDefinition;

/// A firm the task drew that another task will visit in an overlapping window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Overlap {
    pub uscc: String,
    pub name: String,
    /// The other task.
    pub task_id: i64,
    pub task_code: String,
    pub task_title: String,
    /// The other task's running department (主办部门).
    pub department: String,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    /// The other visit's stage: `drawn` (no team yet) or its inspection's status (`assigned`).
    pub status: String,
}

/// A task's overlaps, by firm then other task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Overlaps {
    pub task_id: i64,
    /// How many of the task's firms another visit overlaps.
    pub firms: u64,
    pub overlaps: Vec<Overlap>,
}

/// The statuses of a visit already made or abandoned: no longer one to merge with.
const DONE: [&str; 4] = ["entered", "returned", "published", "annulled"];

/// Task `id`'s overlaps (none before it is drawn).
pub async fn overlaps(store: &Store, id: i64) -> Result<Overlaps, WorkflowError> {
    let db = store.connection();
    let this = find(db, id).await?;
    let def: TaskDefinition = super::parse_json("a task's definition", &this.definition)?;
    let Some(d) = valid_draw(db, id).await? else {
        return Ok(Overlaps { task_id: id, firms: 0, overlaps: Vec::new() });
    };
    let ours: Vec<String> = d.targets.iter().map(|t| t.id.clone()).collect();
    // The same firms selected by another task's valid draw.
    let valid: Vec<i64> = draw::Entity::find()
        .filter(draw::Column::Status.eq("valid"))
        .filter(draw::Column::TaskId.ne(id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    let mut theirs: Vec<draw_entry::Model> = Vec::new();
    for chunk in ours.chunks(500) {
        if valid.is_empty() {
            break;
        }
        theirs.extend(
            draw_entry::Entity::find()
                .filter(draw_entry::Column::Uscc.is_in(chunk.to_vec()))
                .filter(draw_entry::Column::DrawId.is_in(valid.clone()))
                .filter(draw_entry::Column::State.is_in(super::draws::TO_INSPECT))
                .all(db)
                .await?,
        );
    }
    let task_ids: BTreeSet<i64> = theirs.iter().map(|e| e.task_id).collect();
    let mut tasks: HashMap<i64, (task::Model, TaskDefinition)> = HashMap::new();
    for t in task::Entity::find().filter(task::Column::Id.is_in(task_ids.iter().copied())).all(db).await? {
        let def: TaskDefinition = super::parse_json("a task's definition", &t.definition)?;
        tasks.insert(t.id, (t, def));
    }
    // Their inspections of those firms, to leave out the visits made.
    let mut visits: HashMap<(i64, String), (String, i64)> = HashMap::new();
    for chunk in ours.chunks(500) {
        for i in inspection::Entity::find()
            .filter(inspection::Column::Uscc.is_in(chunk.to_vec()))
            .filter(inspection::Column::TaskId.is_in(task_ids.iter().copied()))
            .filter(inspection::Column::FollowUpOf.is_null())
            .all(db)
            .await?
        {
            visits.insert((i.task_id, i.uscc), (i.status, i.id));
        }
    }
    // A visit already merged into a joint one is no longer an overlap.
    let ids: Vec<i64> = visits.values().map(|v| v.1).collect();
    let mut merged = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        for j in joint_visit::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(joint_visit::Column::InspectionId.is_in(chunk.to_vec()))
                    .add(joint_visit::Column::WithInspectionId.is_in(chunk.to_vec())),
            )
            .all(db)
            .await?
        {
            merged.extend([j.inspection_id, j.with_inspection_id]);
        }
    }
    let names = super::teams::target_names(db, &ours).await?;
    let mut out = Vec::new();
    for e in theirs {
        let Some((t, other)) = tasks.get(&e.task_id) else { continue };
        if other.window_start > def.window_end || def.window_start > other.window_end {
            continue;
        }
        let (status, inspection) =
            visits.get(&(e.task_id, e.uscc.clone())).cloned().unwrap_or_else(|| ("drawn".into(), 0));
        if DONE.contains(&status.as_str()) || merged.contains(&inspection) {
            continue;
        }
        out.push(Overlap {
            name: names.get(&e.uscc).cloned().unwrap_or_default(),
            uscc: e.uscc,
            task_id: t.id,
            task_code: t.code.clone(),
            task_title: t.title.clone(),
            department: owner(t.department.clone(), other),
            window_start: other.window_start,
            window_end: other.window_end,
            status,
        });
    }
    out.sort_by(|a, b| a.uscc.cmp(&b.uscc).then(a.task_code.cmp(&b.task_code)));
    let firms = out.iter().map(|o| &o.uscc).collect::<BTreeSet<_>>().len() as u64;
    Ok(Overlaps { task_id: id, firms, overlaps: out })
}
