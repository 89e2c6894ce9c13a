//! `suiji department`: the bureau's organisation tree, from the server's shell.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::DepartmentCommand;
use std::io::Write;
use suiji_domain::org::{DepartmentKind, DepartmentSpec};
use suiji_store::org::{self, Department};

fn failure(e: suiji_store::workflow::WorkflowError) -> Failure {
    Failure::Input(e.to_string())
}

/// A department named by its number or its name.
fn find<'a>(tree: &'a [Department], named: &str) -> Result<&'a Department, Failure> {
    let named = named.trim();
    tree.iter()
        .find(|d| d.name == named || d.id.to_string() == named)
        .ok_or_else(|| Failure::Input(format!("no department {named} / 没有这个部门：{named}")))
}

fn kind(code: &str) -> DepartmentKind {
    DepartmentKind::parse(code).unwrap_or(DepartmentKind::Business)
}

/// One line: number, kind, status, name indented under the one above, accounts, inspectors.
fn line(d: &Department) -> String {
    let status = if d.active { "active" } else { "inactive" };
    format!(
        "{}\t{}\t{status}\t{}{}\t{}\t{}",
        d.id,
        d.kind.code(),
        "  ".repeat(d.depth),
        d.name,
        d.accounts,
        d.inspectors
    )
}

pub fn run(command: &DepartmentCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rt = runtime()?;
    let changed = match command {
        DepartmentCommand::List { db } => {
            let tree = rt.block_on(async { org::tree(&open_store(&db.db).await?).await.map_err(failure) })?;
            for d in &tree {
                crate::output_line(stdout, line(d))?;
            }
            return Ok(());
        }
        DepartmentCommand::Add { name, kind: k, parent, db, actor } => rt.block_on(async {
            let store = open_store(&db.db).await?;
            let tree = org::tree(&store).await.map_err(failure)?;
            let parent_id = parent.as_deref().map(|p| find(&tree, p).map(|d| d.id)).transpose()?;
            let spec = DepartmentSpec { name: name.clone(), kind: kind(k), parent_id, active: true };
            org::add(&store, &spec, &actor.actor()).await.map_err(failure)
        })?,
        DepartmentCommand::Set { department, name, kind: k, parent, inactive, active, db, actor } => rt
            .block_on(async {
                let store = open_store(&db.db).await?;
                let tree = org::tree(&store).await.map_err(failure)?;
                let d = find(&tree, department)?;
                let parent_id = match parent {
                    Some(p) => Some(find(&tree, p)?.id),
                    None => d.parent_id,
                };
                let spec = DepartmentSpec {
                    name: name.clone().unwrap_or_else(|| d.name.clone()),
                    kind: k.as_deref().map_or(d.kind, kind),
                    parent_id,
                    active: if *inactive { false } else { *active || d.active },
                };
                org::update(&store, d.id, &spec, &actor.actor()).await.map_err(failure)
            })?,
    };
    crate::output_line(stdout, line(&changed))
}
