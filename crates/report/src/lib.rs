//! suiji's reports: the 任务总结报告 of one task ([task_report]) and the year's 工作总结
//! ([annual_report]). Each is made as content ([Report]) from the store's figures — the same
//! `suiji_store::stats` the 统计 page and the API show — and then written as `.docx` for the
//! bureau to edit and sign, `.xlsx` for its tables, or HTML printed to PDF by the web crate.
//!
//! A report is reproducible: it names the audit log's head it was made from ([Basis]), and the
//! same report made again under the same head has the same numbers.

pub mod annual;
pub mod document;
pub mod docx;
pub mod task;
pub mod xlsx;

pub use annual::annual_report;
pub use document::{Basis, Block, Cell, Report, Section, Table};
pub use task::task_report;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Workflow(#[from] suiji_store::workflow::WorkflowError),
    #[error(transparent)]
    Store(#[from] suiji_store::StoreError),
    #[error("年度应为 2000 至 2100 之间的整数 (the year {0} is not from 2000 to 2100)")]
    Year(i32),
    #[error("cannot write the report: {0}")]
    Write(String),
}

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Xlsx,
    Pdf,
}

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "docx" => Some(Format::Docx),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// The audit log as it stands: the basis a report states.
pub async fn basis(store: &suiji_store::Store) -> Result<Basis, ReportError> {
    let (seq, hash) = suiji_store::audit::head(store).await?;
    let checkpoint = suiji_store::audit::checkpoints::latest(store).await?.map(|c| (c.size, c.time));
    Ok(Basis { seq, hash, checkpoint })
}
