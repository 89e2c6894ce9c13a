//! The population CSV: `id,weight,stratum` (weight and stratum optional).

use super::table::{Columns, read_rows};
use super::{InputError, TextFile};
use suiji_draw::{EntityError, MAX_WEIGHT, Population, PopulationBuilder, PopulationError};

pub const COLUMNS: Columns = Columns { required: &["id"], optional: &["weight", "stratum"] };

/// Parses a weight cell: a positive integer, outer spaces allowed.
fn parse_weight(cell: &str) -> Result<u64, String> {
    let cell = cell.trim();
    if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) {
        // All digits: only overflow can fail, and that is out of range anyway.
        return Ok(cell.parse().unwrap_or(u64::MAX));
    }
    Err(format!("weight must be a whole number from 1 to {MAX_WEIGHT}, found {cell:?}"))
}

fn entity_column(e: &EntityError) -> &'static str {
    match e {
        EntityError::EmptyId => "id",
        EntityError::ControlCharacter { field, .. } | EntityError::OuterSpace { field, .. } => field,
        EntityError::Weight(_) => "weight",
    }
}

/// Reads and checks a population file.
pub fn parse(file: &TextFile) -> Result<Population, InputError> {
    let mut builder = PopulationBuilder::new();
    // The row of each entity, to name both rows of a duplicate.
    let mut rows = Vec::new();
    read_rows(file, &COLUMNS, |row| {
        let [id, weight, stratum] = row.fields[..] else { unreachable!("three columns") };
        let weight = match weight {
            Some(cell) => {
                parse_weight(cell).map_err(|r| InputError::row(&file.name, row.number, Some("weight"), r))?
            }
            None => 1,
        };
        builder
            .push(id.unwrap_or_default(), weight, stratum.unwrap_or_default())
            .map_err(|e| InputError::row(&file.name, row.number, Some(entity_column(&e)), e.to_string()))?;
        rows.push(row.number);
        Ok(())
    })?;
    builder.build().map_err(|e| match e {
        PopulationError::DuplicateId { id, first, second } => InputError::row(
            &file.name,
            rows[second],
            Some("id"),
            format!("duplicate id {id:?}, also on row {}", rows[first]),
        ),
        e @ PopulationError::TicketNameCollision { entity, .. } => {
            InputError::row(&file.name, rows[entity], Some("id"), e.to_string())
        }
    })
}
