//! The inspector pool (`id,department`) and the recusals (`inspector_id,target_id`).

use super::table::{Columns, read_rows};
use super::{InputError, TextFile};
use std::collections::HashMap;
use suiji_draw::{Inspector, Recusal};

pub const INSPECTOR_COLUMNS: Columns = Columns { required: &["id", "department"], optional: &[] };
pub const RECUSAL_COLUMNS: Columns = Columns { required: &["inspector_id", "target_id"], optional: &[] };

/// A cell that must hold a value without outer spaces or control characters.
fn text<'a>(file: &TextFile, row: u64, column: &str, cell: Option<&'a str>) -> Result<&'a str, InputError> {
    let cell = cell.unwrap_or_default();
    let reason = if cell.is_empty() {
        "is empty"
    } else if cell.chars().any(char::is_control) {
        "contains a control character (tab, line break…)"
    } else if cell.trim() != cell {
        "begins or ends with a space"
    } else {
        return Ok(cell);
    };
    Err(InputError::row(&file.name, row, Some(column), format!("{column} {reason}")))
}

pub fn parse_inspectors(file: &TextFile) -> Result<Vec<Inspector>, InputError> {
    let mut inspectors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    read_rows(file, &INSPECTOR_COLUMNS, |row| {
        let id = text(file, row.number, "id", row.fields[0])?;
        let department = text(file, row.number, "department", row.fields[1])?;
        if let Some(first) = seen.insert(id.to_owned(), row.number) {
            return Err(InputError::row(
                &file.name,
                row.number,
                Some("id"),
                format!("duplicate inspector id {id:?}, also on row {first}"),
            ));
        }
        inspectors.push(Inspector { id: id.to_owned(), department: department.to_owned() });
        Ok(())
    })?;
    Ok(inspectors)
}

pub fn parse_recusals(file: &TextFile) -> Result<Vec<Recusal>, InputError> {
    let mut recusals = Vec::new();
    read_rows(file, &RECUSAL_COLUMNS, |row| {
        recusals.push(Recusal {
            inspector_id: text(file, row.number, "inspector_id", row.fields[0])?.to_owned(),
            target_id: text(file, row.number, "target_id", row.fields[1])?.to_owned(),
        });
        Ok(())
    })?;
    Ok(recusals)
}
