//! Changing the lists from the web and the API, through the import every file goes through: a
//! form is a sheet of one row, so it is checked, historied and audited exactly like a file.

use crate::jobs::Reporter;
use suiji_domain::codes::Codes;
use suiji_domain::directory::{ListKind, Problem, RawRow, Sheet};
use suiji_store::Store;
use suiji_store::audit::Actor;
use suiji_store::directory::{self, ImportError, ImportOptions, ImportSummary};

/// Who changes a list: the account as the audit log names it, and the department it is
/// confined to (`suiji_store::accounts::User::own_department`).
#[derive(Debug, Clone)]
pub struct Importer {
    pub actor: Actor,
    pub own: Option<String>,
}

impl Importer {
    pub fn of(user: &suiji_store::accounts::User) -> Importer {
        Importer { actor: user.actor(), own: user.own_department().map(str::to_owned) }
    }
}

/// What saving a record or importing a file came to.
pub enum Outcome {
    Done(ImportSummary),
    Rejected(Vec<Problem>),
}

/// Saves one record from `(column code name, value)` pairs: added if its key is new, else
/// updated (every column given; blank clears an optional one). Returns the outcome and the
/// record's key as stored (codes normalised: full-width to ASCII, upper case).
pub async fn save(
    store: &Store,
    list: ListKind,
    values: &[(String, String)],
    who: &Importer,
) -> Result<(Outcome, String), suiji_store::StoreError> {
    let header = RawRow::new(1, values.iter().map(|(k, _)| k));
    let row = RawRow::new(2, values.iter().map(|(_, v)| v));
    let sheet = match Sheet::new(list, [header, row]) {
        Ok(sheet) => sheet,
        Err(problems) => return Ok((Outcome::Rejected(problems), String::new())),
    };
    // Every value blank: the sheet drops the row, as it drops a file's empty lines.
    let Some(row) = sheet.rows.first() else {
        let empty = Problem::file(
            "记录是空的：请至少填写必填项",
            "the record is empty: give at least the required columns",
        );
        return Ok((Outcome::Rejected(vec![empty]), String::new()));
    };
    let key = sheet.key(&sheet.positions(), row);
    Ok((import(store, sheet, who, "网页表单 web form", "", false, None).await?, key))
}

/// Imports a whole sheet. The import checks rows on all cores and holds a write transaction,
/// so it runs on the blocking pool, off the threads serving other requests. It tells
/// `reporter`, when given, how far it has got.
pub async fn import(
    store: &Store,
    sheet: Sheet,
    who: &Importer,
    file_name: &str,
    file_sha256: &str,
    retire_missing: bool,
    reporter: Option<Reporter>,
) -> Result<Outcome, suiji_store::StoreError> {
    let options = ImportOptions {
        actor: who.actor.clone(),
        file_name: file_name.to_owned(),
        file_sha256: file_sha256.to_owned(),
        retire_missing,
        own: who.own.clone(),
    };
    let store = store.clone();
    let runtime = tokio::runtime::Handle::current();
    let result = tokio::task::spawn_blocking(move || {
        let progress = |phase: &'static str, done: u64, total: u64| {
            if let Some(r) = &reporter {
                r.report(phase, done, total);
            }
        };
        runtime.block_on(directory::import_list(&store, &sheet, Codes::builtin(), &options, &progress))
    })
    .await
    .map_err(|e| {
        suiji_store::StoreError::Db(suiji_store::DbErr::Custom(format!("the import stopped: {e}")))
    })?;
    match result {
        Ok(summary) => Ok(Outcome::Done(summary)),
        Err(ImportError::Rejected(problems)) => Ok(Outcome::Rejected(problems)),
        Err(ImportError::Store(e)) => Err(e),
    }
}

/// An uploaded file, read, checked and imported: what the import page's job does. A file
/// that cannot be read is refused as one problem of the whole file.
#[allow(clippy::too_many_arguments)]
pub async fn import_file(
    store: &Store,
    limits: suiji_sheets::Limits,
    list: ListKind,
    name: String,
    bytes: axum::body::Bytes,
    sheet_name: Option<String>,
    retire_missing: bool,
    who: &Importer,
    reporter: Reporter,
) -> Result<Outcome, suiji_store::StoreError> {
    reporter.report("读取文件 reading the file", 0, 0);
    let sha256 = suiji_domain::audit::sha256_hex(&bytes);
    let rows = match read_upload(limits, name.clone(), bytes, sheet_name).await {
        Ok(rows) => rows,
        Err(e) => return Ok(Outcome::Rejected(vec![Problem::file(e.zh(), e.en())])),
    };
    let sheet = match Sheet::new(list, rows.rows) {
        Ok(sheet) => sheet,
        Err(problems) => return Ok(Outcome::Rejected(problems)),
    };
    import(store, sheet, who, &name, &sha256, retire_missing, Some(reporter)).await
}

/// Reads an uploaded file within the server's limits, on the blocking pool: parsing a large
/// workbook must not hold up a thread serving other requests.
pub async fn read_upload(
    limits: suiji_sheets::Limits,
    name: String,
    bytes: axum::body::Bytes,
    sheet: Option<String>,
) -> Result<suiji_sheets::Rows, suiji_sheets::ReadError> {
    tokio::task::spawn_blocking(move || suiji_sheets::read_limited(&name, &bytes, sheet.as_deref(), limits))
        .await
        .unwrap_or_else(|e| Err(suiji_sheets::ReadError::Xlsx(format!("the reader stopped: {e}"))))
}

/// The status that takes a record out of use, per list.
pub fn retired_status(list: ListKind) -> &'static str {
    match list {
        ListKind::Recusals => "withdrawn",
        _ => "retired",
    }
}

/// Retires a record: its cells with the retired status, saved. `None` if there is no such record.
pub async fn retire(
    store: &Store,
    list: ListKind,
    key: &str,
    who: &Importer,
) -> Result<Option<Outcome>, suiji_store::StoreError> {
    let Some(row) = crate::records::find(store, list, key).await? else { return Ok(None) };
    let values: Vec<(String, String)> = list
        .columns()
        .iter()
        .zip(row.cells)
        .map(|(c, v)| {
            (c.name.to_owned(), if c.name == "status" { retired_status(list).to_owned() } else { v })
        })
        .collect();
    Ok(Some(save(store, list, &values, who).await?.0))
}
