//! `suiji import`, `suiji export`, `suiji template`: the lists of 一单两库 in and out of the
//! store, as CSV or Excel.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::{ExportArgs, FormatArg, ImportArgs, TemplateArgs};
use crate::output::write_bytes;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use suiji_domain::codes::Codes;
use suiji_domain::directory::{ListKind, Problem, Sheet};
use suiji_sheets::Format;
use suiji_store::directory::{self, ImportError, ImportOptions, ImportSummary};

/// How many problems are printed; the `--report` file has them all.
const PRINTED_PROBLEMS: usize = 100;

pub fn import(args: &ImportArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let list = ListKind::from(args.list);
    let path = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| Failure::Input(format!("{path}: cannot read: {e}")))?;
    let rows = suiji_sheets::read(&path, &bytes, args.sheet.as_deref())
        .map_err(|e| Failure::Input(format!("{path}: {e}")))?;
    let sheet = match Sheet::new(list, rows.rows) {
        Ok(sheet) => sheet,
        Err(problems) => return Err(reject(&path, args.report.as_deref(), &problems)),
    };
    let options = ImportOptions {
        actor: args.actor.actor(),
        file_name: args.file.file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned()),
        file_sha256: Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect(),
        retire_missing: args.retire_missing,
        own: None,
    };
    let bar = ProgressBar::new(sheet.rows.len() as u64).with_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {per_sec} {eta}")
            .expect("a valid template"),
    );
    let progress = |stage: &'static str, done: u64, total: u64| {
        bar.set_message(stage);
        bar.set_length(total);
        bar.set_position(done);
    };
    let codes = codes(args)?;
    let codes = &codes;
    let result = runtime()?.block_on(async {
        let store = open_store(&args.db.db).await?;
        Ok::<_, Failure>(directory::import_list(&store, &sheet, codes, &options, &progress).await)
    })?;
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            if let Some(report) = &args.report {
                write_report(report, &[])?;
            }
            crate::output_line(stdout, summary_line(list, &path, &summary))
        }
        Err(ImportError::Rejected(problems)) => Err(reject(&path, args.report.as_deref(), &problems)),
        Err(ImportError::Store(e)) => Err(Failure::Input(e.to_string())),
    }
}

/// The code tables: built in, or official files named by `--regions`/`--industries`.
fn codes(args: &ImportArgs) -> Result<Codes, Failure> {
    let read = |path: &Option<std::path::PathBuf>| -> Result<Option<String>, Failure> {
        path.as_ref()
            .map(|p| {
                std::fs::read_to_string(p)
                    .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", p.display())))
            })
            .transpose()
    };
    let (regions, industries) = (read(&args.regions)?, read(&args.industries)?);
    Codes::load(regions.as_deref(), industries.as_deref()).map_err(Failure::Input)
}

fn summary_line(list: ListKind, path: &str, s: &ImportSummary) -> String {
    format!(
        "{path} → {} ({}): {} 行 rows — 新增 added {}, 变更 changed {}, 未变 unchanged {}, 退出 retired {} (batch {})",
        list.zh(),
        list.name(),
        s.rows,
        s.added,
        s.changed,
        s.unchanged,
        s.retired,
        s.batch_id
    )
}

/// The failure for a file with problems: each one on its line, the report written.
fn reject(path: &str, report: Option<&Path>, problems: &[Problem]) -> Failure {
    let mut message = String::new();
    for p in problems.iter().take(PRINTED_PROBLEMS) {
        message.push_str(&format!("{path}: {p}\n"));
    }
    if problems.len() > PRINTED_PROBLEMS {
        let more = problems.len() - PRINTED_PROBLEMS;
        message.push_str(&format!(
            "{path}: …另有 {more} 处问题 (and {more} more; --report FILE lists them all)\n"
        ));
    }
    if let Some(Err(e)) = report.map(|r| write_report(r, problems)) {
        return e;
    }
    message.push_str(&format!(
        "{path}: {} 处问题，未导入任何记录 ({} problem(s); nothing was imported)",
        problems.len(),
        problems.len()
    ));
    Failure::Rejected(message)
}

fn write_report(path: &Path, problems: &[Problem]) -> Result<(), Failure> {
    let rows: Vec<Vec<String>> = problems.iter().map(Problem::report_row).collect();
    let bytes = suiji_sheets::write(Format::Csv, &Problem::REPORT_HEADERS, &[], None, &rows)
        .map_err(|e| Failure::Input(e.to_string()))?;
    write_bytes(&bytes, Some(path), &mut std::io::sink())
}

pub fn export(args: &ExportArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let list = ListKind::from(args.list);
    let rows = runtime()?.block_on(async {
        let store = open_store(&args.db.db).await?;
        directory::cells(&store, list).await.map_err(|e| Failure::Input(e.to_string()))
    })?;
    let (headers, required) = headers(list);
    let bytes = suiji_sheets::write(format(args.format), &headers, &required, None, &rows)
        .map_err(|e| Failure::Input(e.to_string()))?;
    write_bytes(&bytes, args.out.as_deref(), stdout)
}

pub fn template(args: &TemplateArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let list = ListKind::from(args.list);
    let (headers, required) = headers(list);
    let notes = suiji_domain::directory::template_notes(list);
    let bytes = suiji_sheets::write(format(args.format), &headers, &required, Some(&notes), &[])
        .map_err(|e| Failure::Input(e.to_string()))?;
    write_bytes(&bytes, args.out.as_deref(), stdout)
}

/// A list's Chinese headers, and which of them must be filled in.
fn headers(list: ListKind) -> (Vec<&'static str>, Vec<bool>) {
    list.columns().iter().map(|c| (c.zh, c.required)).unzip()
}

fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Csv => Format::Csv,
        FormatArg::Xlsx => Format::Xlsx,
    }
}
