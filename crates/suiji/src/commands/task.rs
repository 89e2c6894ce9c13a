//! `suiji task`: list the tasks, and export one task's whole file for 归档 — everything the
//! workflow recorded about it, in one .zip with a manifest of SHA-256s.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::TaskCommand;
use sha2::{Digest, Sha256};
use std::io::Write;
use suiji_store::Store;
use suiji_store::workflow::{self as wf, TaskView, WorkflowError};

fn failure(e: WorkflowError) -> Failure {
    Failure::Input(e.to_string())
}

pub fn run(command: &TaskCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    match command {
        TaskCommand::List { db } => {
            let tasks = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                wf::tasks(&store, false, None).await.map_err(failure)
            })?;
            for t in tasks {
                crate::output_line(
                    stdout,
                    format!(
                        "{}\t{}\t{}\t{}\t{}",
                        t.id,
                        t.code,
                        t.status.code(),
                        t.definition.title,
                        t.department
                    ),
                )?;
            }
            Ok(())
        }
        TaskCommand::ExportArchive { task, out, db } => {
            let files = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                let t = match task.parse::<i64>() {
                    Ok(id) => wf::task(&store, id).await,
                    Err(_) => wf::task_by_code(&store, task).await,
                }
                .map_err(failure)?;
                archive_files(&store, &t).await
            })?;
            write_zip(out, &files)?;
            crate::output_line(stdout, format!("wrote {} ({} files)", out.display(), files.len()))
        }
        TaskCommand::Merge { task, with, targets, db, actor } => {
            let m = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                let (a, b) = (find(&store, task).await?, find(&store, with).await?);
                let targets = if targets.is_empty() {
                    // Every firm the two can merge now.
                    let mergeable = wf::mergeable(&store, a.id).await.map_err(failure)?;
                    mergeable.into_iter().find(|m| m.task_id == b.id).map(|m| m.targets).unwrap_or_default()
                } else {
                    targets.clone()
                };
                wf::merge_visits(&store, a.id, b.id, &targets, &actor.actor()).await.map_err(failure)
            })?;
            crate::output_line(
                stdout,
                format!("merge {}: {} with {}, seed {}", m.id, m.task_code, m.with_task_code, m.seed),
            )?;
            for v in &m.visits {
                let team: Vec<&str> = v.members.iter().map(|p| p.0.as_str()).collect();
                crate::output_line(stdout, format!("{}\t{}\t{}", v.uscc, v.name, team.join(",")))?;
            }
            Ok(())
        }
    }
}

/// A task by code (T-2026-001) or number.
async fn find(store: &Store, task: &str) -> Result<TaskView, Failure> {
    match task.parse::<i64>() {
        Ok(id) => wf::task(store, id).await,
        Err(_) => wf::task_by_code(store, task).await,
    }
    .map_err(failure)
}

fn json(value: impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(&value).expect("a record serialises")
}

/// The archive's files, by path.
async fn archive_files(store: &Store, t: &TaskView) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let mut files: Vec<(String, Vec<u8>)> = vec![("task.json".into(), json(t))];
    if t.population_sha256.is_some() {
        files.push((
            "population.csv".into(),
            wf::population_csv(store, t.id).await.map_err(failure)?.into_bytes(),
        ));
    }
    for d in wf::draws_of(store, t.id).await.map_err(failure)? {
        let dir = format!("draws/{}", d.id);
        files.push((format!("{dir}/draw.json"), json(&d.document)));
        files.push((format!("{dir}/record.json"), json(&d)));
        if let Some(a) = wf::assignment_of_draw(store, d.id).await.map_err(failure)? {
            files.push((format!("{dir}/assignment.json"), json(&a.document)));
            files.push((format!("{dir}/teams.json"), json(&a)));
            files.push((format!("{dir}/inspectors.csv"), a.inspectors_csv.clone().into_bytes()));
            files.push((format!("{dir}/recusals.csv"), a.recusals_csv.clone().into_bytes()));
        }
    }
    let inspections = wf::inspections_of_task(store, t.id).await.map_err(failure)?;
    let mut objects = vec![format!("task/{}", t.code)];
    for i in &inspections {
        let dir = format!("inspections/{}-{}", i.id, i.uscc);
        files.push((format!("{dir}/inspection.json"), json(i)));
        for e in &i.evidence {
            let file = wf::evidence_file(store, e.id).await.map_err(failure)?;
            // The stored name is a label; the archive's path is made from the number.
            let name: String =
                e.file_name.chars().filter(|c| !matches!(c, '/' | '\\') && !c.is_control()).collect();
            files.push((format!("{dir}/evidence/{}-{name}", e.id), file.data));
        }
        objects.push(format!("inspection/{}", i.id));
    }
    let mut entries = Vec::new();
    let mut after = 0;
    loop {
        let page = suiji_store::audit::entries(store, after, 1_000)
            .await
            .map_err(|e| Failure::Input(e.to_string()))?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        entries
            .extend(page.into_iter().filter(|e| {
                objects.iter().any(|o| e.object == *o || e.object.starts_with(&format!("{o}/")))
            }));
    }
    files.push(("audit.json".into(), json(&entries)));
    let (seq, hash) = suiji_store::audit::head(store).await.map_err(|e| Failure::Input(e.to_string()))?;
    let mut manifest = format!(
        "suiji archive of task {} ({})\nexported {}\naudit chain head: entry {seq}, {hash}\n\nsha256  file\n",
        t.code,
        t.definition.title,
        chrono::Utc::now().to_rfc3339()
    );
    for (path, data) in &files {
        manifest.push_str(&format!("{}  {path}\n", hex::encode(Sha256::digest(data))));
    }
    files.push(("MANIFEST.txt".into(), manifest.into_bytes()));
    Ok(files)
}

fn write_zip(out: &std::path::Path, files: &[(String, Vec<u8>)]) -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure::output(&out.display().to_string(), e);
    // Written beside the target and renamed: a failed export leaves no half-written archive.
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let mut zip = zip::ZipWriter::new(tmp.reopen().map_err(io)?);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (path, data) in files {
        zip.start_file(path.as_str(), options).map_err(|e| io(std::io::Error::other(e)))?;
        zip.write_all(data).map_err(io)?;
    }
    zip.finish().map_err(|e| io(std::io::Error::other(e)))?;
    tmp.persist(out).map_err(|e| io(e.error))?;
    Ok(())
}
