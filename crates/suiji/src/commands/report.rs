//! `suiji report task CODE --out F` and `suiji report annual --year Y --out F`: the reports of
//! [suiji_report], written in the format the file's extension names. The file is written whole
//! or not at all (a temporary file beside it, renamed into place).

use super::{open_store, runtime};
use crate::cli::{ReportCommand, ReportOut};
use crate::{Failure, output_line};
use std::io::Write;
use suiji_report::{Format, Report};

pub fn run(command: &ReportCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let (out, db) = match command {
        ReportCommand::Task { out, db, .. } | ReportCommand::Annual { out, db, .. } => (out, db),
    };
    let format = Format::of_path(&out.out)
        .ok_or_else(|| Failure::Input(format!("{}: write a .docx, .pdf or .xlsx file", out.out.display())))?;
    if let ReportCommand::Annual { year, .. } = command
        && !(2000..=2100).contains(year)
    {
        return Err(Failure::Input(format!("the year {year} is not from 2000 to 2100")));
    }
    let rt = runtime()?;
    let (report, bytes) = rt.block_on(async {
        let store = open_store(&db.db).await?;
        let today = suiji_store::workflow::china_today();
        let report = match command {
            ReportCommand::Task { code, .. } => suiji_report::task_report(&store, code, today).await,
            ReportCommand::Annual { year, .. } => suiji_report::annual_report(&store, *year, today).await,
        }
        .map_err(|e| Failure::Input(e.to_string()))?;
        let bytes = write(&report, format, out).await?;
        Ok::<_, Failure>((report, bytes))
    })?;
    let dir = out.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let cannot = |e: std::io::Error| Failure::Input(format!("{}: {e}", out.out.display()));
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(cannot)?;
    file.write_all(&bytes).map_err(cannot)?;
    // A temporary file is private to its owner; the report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(cannot)?;
    }
    file.persist(&out.out).map_err(|e| cannot(e.error))?;
    output_line(stdout, format!("{}\t{}\t{}", out.out.display(), report.title, report.basis.sentence()))
}

async fn write(report: &Report, format: Format, out: &ReportOut) -> Result<Vec<u8>, Failure> {
    let failed = |e: suiji_report::ReportError| Failure::Input(e.to_string());
    match format {
        Format::Docx => suiji_report::docx::write(report).map_err(failed),
        Format::Xlsx => suiji_report::xlsx::write(report).map_err(failed),
        Format::Pdf => {
            let html = suiji_web::reports::printable(report).map_err(|e| Failure::Input(e.to_string()))?;
            suiji_web::reports::print(&html, out.chromium.clone()).await.map_err(Failure::Input)
        }
    }
}
