//! The bureau's organisation tree in the store: its departments, added and changed by the
//! administrator, each change an audit entry. Records name their department as people do, by
//! its name (an inspector's 单位, an account's, a plan's, a task's departments, an item's
//! 抽查主体), so a department renamed is renamed in every current record that names it, in the
//! same transaction and the same entry. A published task keeps the names it was published
//! under, as it keeps the rest of its definition.

use crate::Store;
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{department, record_change};
use crate::workflow::WorkflowError;
use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, Statement,
};
use serde::Serialize;
use serde_json::json;
use suiji_domain::org::{self, DepartmentKind, DepartmentSpec, Node};

/// A department as pages and the API show it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Department {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: DepartmentKind,
    pub active: bool,
    /// Levels below the bureau (the bureau is 0).
    pub depth: usize,
    /// Accounts and inspectors (active ones) that belong to it.
    pub accounts: u64,
    pub inspectors: u64,
}

fn node(m: &department::Model) -> Node {
    Node {
        id: m.id,
        name: m.name.clone(),
        kind: DepartmentKind::parse(&m.kind).unwrap_or(DepartmentKind::Business),
        parent_id: m.parent_id,
        active: m.status == "active",
    }
}

async fn nodes(db: &impl ConnectionTrait) -> Result<Vec<Node>, WorkflowError> {
    let rows = department::Entity::find().order_by_asc(department::Column::Id).all(db).await?;
    Ok(rows.iter().map(node).collect())
}

/// How many rows of `table` name each department in `column` (optionally only active ones).
async fn counts(
    db: &impl ConnectionTrait,
    table: &str,
    column: &str,
    active_only: bool,
) -> Result<std::collections::HashMap<String, u64>, WorkflowError> {
    let filter = if active_only { " WHERE status = 'active'" } else { "" };
    let sql = format!("SELECT {column}, COUNT(*) FROM {table}{filter} GROUP BY {column}");
    let rows = db.query_all(Statement::from_string(db.get_database_backend(), sql)).await?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let name: Option<String> = row.try_get_by_index(0)?;
        let n: i64 = row.try_get_by_index(1)?;
        if let Some(name) = name {
            out.insert(name, n as u64);
        }
    }
    Ok(out)
}

/// The whole tree, in reading order (each department followed by those under it).
pub async fn tree(store: &Store) -> Result<Vec<Department>, WorkflowError> {
    tree_in(store.connection()).await
}

pub(crate) async fn tree_in(db: &impl ConnectionTrait) -> Result<Vec<Department>, WorkflowError> {
    let all = nodes(db).await?;
    let accounts = counts(db, "users", "department", true).await?;
    let inspectors = counts(db, "inspectors", "department", true).await?;
    Ok(org::in_order(&all)
        .into_iter()
        .map(|(depth, n)| Department {
            id: n.id,
            parent_id: n.parent_id,
            name: n.name.clone(),
            kind: n.kind,
            active: n.active,
            depth,
            accounts: accounts.get(&n.name).copied().unwrap_or(0),
            inspectors: inspectors.get(&n.name).copied().unwrap_or(0),
        })
        .collect())
}

/// One department.
pub async fn department(store: &Store, id: i64) -> Result<Department, WorkflowError> {
    tree(store).await?.into_iter().find(|d| d.id == id).ok_or_else(|| missing(id))
}

fn missing(id: i64) -> WorkflowError {
    WorkflowError::NotFound {
        zh: format!("没有编号为 {id} 的部门"), en: format!("no department {id}")
    }
}

/// The bureau's root department.
pub async fn root(store: &Store) -> Result<Department, WorkflowError> {
    tree(store).await?.into_iter().find(|d| d.kind == DepartmentKind::Bureau).ok_or_else(|| missing(0))
}

/// The departments in use, in reading order (no member counts: what forms and checks need).
pub(crate) async fn in_use(db: &impl ConnectionTrait) -> Result<Vec<Node>, WorkflowError> {
    let all = nodes(db).await?;
    Ok(org::in_order(&all).into_iter().map(|(_, n)| n).filter(|n| n.active).cloned().collect())
}

/// The names of the departments in use, for the forms that name one.
pub async fn active_names(db: &impl ConnectionTrait) -> Result<Vec<String>, WorkflowError> {
    Ok(in_use(db).await?.into_iter().map(|n| n.name).collect())
}

/// Adds a department under another (under the bureau when no parent is given).
pub async fn add(store: &Store, spec: &DepartmentSpec, actor: &Actor) -> Result<Department, WorkflowError> {
    let mut spec = spec.trimmed();
    let txn = audit::begin(store).await?;
    let all = nodes(&txn).await?;
    if spec.parent_id.is_none() {
        spec.parent_id = all.iter().find(|n| n.kind == DepartmentKind::Bureau).map(|n| n.id);
    }
    let problems = spec.check(&all, None);
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let now = crate::clock::now();
    let m = department::ActiveModel {
        parent_id: Set(spec.parent_id),
        name: Set(spec.name.clone()),
        kind: Set(spec.kind.code().to_owned()),
        status: Set(if spec.active { "active" } else { "inactive" }.to_owned()),
        created_at: Set(now),
        created_by: Set(actor.name.clone()),
        updated_at: Set(now),
        updated_by: Set(actor.name.clone()),
        note: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::append_touching(
        &txn,
        actor,
        "department.add",
        &format!("department/{}", m.id),
        json!({"department": spec}),
        &[Touched::one(&records::DEPARTMENTS, m.id)],
    )
    .await?;
    txn.commit().await?;
    department(store, m.id).await
}

/// Changes a department: its name (renamed in every current record that names it), kind,
/// place in the tree, or whether it is in use.
pub async fn update(
    store: &Store,
    id: i64,
    spec: &DepartmentSpec,
    actor: &Actor,
) -> Result<Department, WorkflowError> {
    let spec = spec.trimmed();
    let txn = audit::begin(store).await?;
    let before = department::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| missing(id))?;
    let problems = spec.check(&nodes(&txn).await?, Some(id));
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let was = node(&before);
    if !spec.active && was.active {
        let members =
            tree_in(&txn).await?.into_iter().find(|d| d.id == id).map(|d| d.accounts + d.inspectors);
        if members.unwrap_or(0) > 0 {
            return Err(WorkflowError::Invalid(vec![suiji_domain::workflow::Invalid::new(
                "active",
                "该部门仍有在用的账号或执法检查人员，须先调整到其他部门",
                "move its accounts and inspectors to another department first",
            )]));
        }
    }
    let now = crate::clock::now();
    // The bureau's own row mirrors the bureau_name setting and is no record of its own.
    let mut touched = if was.kind == DepartmentKind::Bureau {
        Vec::new()
    } else {
        vec![Touched::one(&records::DEPARTMENTS, id)]
    };
    if spec.name != was.name {
        touched.extend(rename(&txn, &was.name, &spec.name, actor, now).await?);
    }
    let mut a: department::ActiveModel = before.into();
    a.parent_id = Set(spec.parent_id);
    a.name = Set(spec.name.clone());
    a.kind = Set(spec.kind.code().to_owned());
    a.status = Set(if spec.active { "active" } else { "inactive" }.to_owned());
    a.updated_at = Set(now);
    a.updated_by = Set(actor.name.clone());
    a.update(&txn).await?;
    let change = json!({
        "before": {"name": was.name, "kind": was.kind, "parent_id": was.parent_id, "active": was.active},
        "after": spec,
    });
    audit::append_touching(&txn, actor, "department.update", &format!("department/{id}"), change, &touched)
        .await?;
    // The bureau's root carries the bureau's name: the setting follows it.
    if spec.kind == DepartmentKind::Bureau && spec.name != was.name {
        crate::settings::set_in(&txn, &[("bureau_name".into(), spec.name.clone())], actor).await.map_err(
            |e| match e {
                crate::settings::SetError::Invalid(e) => {
                    WorkflowError::Invalid(vec![suiji_domain::workflow::Invalid::new(
                        "name",
                        e.zh(),
                        e.to_string(),
                    )])
                }
                crate::settings::SetError::Store(e) => WorkflowError::Store(e),
            },
        )?;
    }
    txn.commit().await?;
    department(store, id).await
}

/// Renames `old` to `new` in the records that name it now: inspectors, accounts, plans, items
/// (抽查主体) and draft tasks. Directory records keep the change in their history.
async fn rename(
    txn: &sea_orm::DatabaseTransaction,
    old: &str,
    new: &str,
    actor: &Actor,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<Touched>, WorkflowError> {
    let backend = txn.get_database_backend();
    let keys = |table: &str, key: &str, column: &str| {
        let mut q = Query::select();
        q.column(Alias::new(key)).from(Alias::new(table)).and_where(Expr::col(Alias::new(column)).eq(old));
        q
    };
    let mut touched = Vec::new();
    for (kind, table, key, column, history) in [
        (&records::INSPECTORS, "inspectors", "cert_no", "department", Some("inspectors")),
        (&records::ITEMS, "items", "code", "subject", Some("items")),
        (&records::USERS, "users", "username", "department", None),
        (&records::PLANS, "plans", "id", "department", None),
    ] {
        let rows = txn.query_all(backend.build(&keys(table, key, column))).await?;
        let mut named = Vec::with_capacity(rows.len());
        for row in rows {
            named.push(if key == "id" {
                row.try_get_by_index::<i64>(0)?.to_string()
            } else {
                row.try_get_by_index::<String>(0)?
            });
        }
        if named.is_empty() {
            continue;
        }
        let mut update = Query::update();
        update
            .table(Alias::new(table))
            .value(Alias::new(column), new)
            .and_where(Expr::col(Alias::new(column)).eq(old));
        txn.execute(backend.build(&update)).await?;
        if let Some(list) = history {
            // A few hundred rows a statement (SQLite takes 32,766 parameters at most).
            for chunk in named.chunks(500) {
                let rows = chunk.iter().map(|k| record_change::ActiveModel {
                    list: Set(list.into()),
                    record_key: Set(k.clone()),
                    field: Set(column.into()),
                    old_value: Set(Some(old.to_owned())),
                    new_value: Set(Some(new.to_owned())),
                    actor: Set(actor.name.clone()),
                    at: Set(now),
                    batch_id: Set(None),
                    ..Default::default()
                });
                record_change::Entity::insert_many(rows).exec(txn).await?;
            }
        }
        touched.push(Touched::new(kind, named));
    }
    // Draft tasks name their departments inside their definition.
    let drafts = crate::entity::task::Entity::find()
        .filter(crate::entity::task::Column::Status.eq(suiji_domain::workflow::TaskStatus::Draft.code()))
        .all(txn)
        .await?;
    let mut tasks = Vec::new();
    for t in drafts {
        let mut def: serde_json::Value = serde_json::from_str(&t.definition).unwrap_or_default();
        let Some(list) = def["departments"].as_array_mut() else { continue };
        if !list.iter().any(|d| d == old) {
            continue;
        }
        for d in list.iter_mut().filter(|d| *d == old) {
            *d = json!(new);
        }
        if let Some(quotas) = def.pointer_mut("/team/joint").and_then(|j| j.as_object_mut())
            && let Some(n) = quotas.remove(old)
        {
            quotas.insert(new.to_owned(), n);
        }
        let id = t.id;
        let mut a: crate::entity::task::ActiveModel = t.into();
        a.definition = Set(def.to_string());
        a.update(txn).await?;
        tasks.push(id);
    }
    if !tasks.is_empty() {
        touched.push(Touched::new(&records::TASKS, tasks));
    }
    Ok(touched)
}
