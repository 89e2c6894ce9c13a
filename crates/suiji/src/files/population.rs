//! The population CSV: `id,weight,stratum` (weight and stratum optional).
//!
//! Two readers give the same population and the same messages. When the file has no quote
//! character and no lone carriage return, every line feed ends a record, so the file is cut
//! into pieces at line feeds and the pieces are read in parallel, ids staying in the file's own
//! text. Otherwise (quoted fields) the csv crate reads it row by row.

use super::table::{Columns, Header, read_rows};
use super::{InputError, TextFile};
use rayon::prelude::*;
use std::ops::Range;
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

fn entity_column(e: &EntityError) -> Option<&'static str> {
    match e {
        EntityError::EmptyId => Some("id"),
        EntityError::ControlCharacter { field, .. } | EntityError::OuterSpace { field, .. } => Some(field),
        EntityError::Weight(_) => Some("weight"),
        EntityError::TooManyStrata => Some("stratum"),
    }
}

/// Reads and checks a population file.
pub fn parse(file: TextFile) -> Result<Population, InputError> {
    let bytes = file.text().as_bytes();
    let simple = memchr::memchr(b'"', bytes).is_none()
        && memchr::memchr_iter(b'\r', bytes).all(|i| bytes.get(i + 1) == Some(&b'\n'));
    let name = file.name.clone();
    let (builder, rows, text) = if simple {
        let (builder, rows) = read_simple(&file)?;
        (builder, rows, PopulationText::File(file))
    } else {
        let (builder, rows, ids) = read_quoted(&file)?;
        (builder, rows, PopulationText::Ids(ids))
    };
    match builder.build(text) {
        Ok(population) => Ok(population),
        Err(e) => Err(match &e {
            PopulationError::DuplicateId { id, first, second } => InputError::row(
                &name,
                rows[*second],
                Some("id"),
                format!("duplicate id {id:?}, also on row {}", rows[*first]),
            ),
            PopulationError::TicketNameCollision { entity, .. } => {
                InputError::row(&name, rows[*entity], Some("id"), e.to_string())
            }
        }),
    }
}

/// What a population's id ranges refer to: the file itself, or the ids copied out of quotes.
enum PopulationText {
    File(TextFile),
    Ids(String),
}

impl AsRef<str> for PopulationText {
    fn as_ref(&self) -> &str {
        match self {
            PopulationText::File(f) => f.text(),
            PopulationText::Ids(s) => s,
        }
    }
}

/// The row number of each entity, to name rows in messages after the whole is checked.
type Rows = Vec<u64>;

/// One data row: checks it and adds it to `builder`. `id` is the id cell's range in `text`.
fn add_row(
    file: &TextFile,
    text: &str,
    builder: &mut PopulationBuilder,
    row: u64,
    id: Range<usize>,
    weight: Option<&str>,
    stratum: Option<&str>,
) -> Result<(), InputError> {
    let weight = match weight {
        Some(cell) => parse_weight(cell).map_err(|r| InputError::row(&file.name, row, Some("weight"), r))?,
        None => 1,
    };
    builder
        .push(text, id, weight, stratum.unwrap_or_default())
        .map_err(|e| InputError::row(&file.name, row, entity_column(&e), e.to_string()))
}

/// The csv crate's reader, for files with quoted fields: ids are copied into a text of their own.
fn read_quoted(file: &TextFile) -> Result<(PopulationBuilder, Rows, String), InputError> {
    let mut ids = String::new();
    let mut builder = PopulationBuilder::new();
    let mut rows = Vec::new();
    read_rows(file, &COLUMNS, |row| {
        let [id, weight, stratum] = row.fields[..] else { unreachable!("three columns") };
        let id = id.unwrap_or_default();
        let range = ids.len()..ids.len() + id.len();
        ids.push_str(id);
        add_row(file, &ids, &mut builder, row.number, range, weight, stratum)?;
        rows.push(row.number);
        Ok(())
    })?;
    Ok((builder, rows, ids))
}

/// The parallel reader for files without quotes.
fn read_simple(file: &TextFile) -> Result<(PopulationBuilder, Rows), InputError> {
    let text = file.text();
    // The header is the first line that is not blank, as for the csv crate.
    let mut header_row = 1;
    let mut at = 0;
    let (header_line, header_end) = loop {
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        let line = text[at..end].strip_suffix('\r').unwrap_or(&text[at..end]);
        if !line.is_empty() {
            break (line, end);
        }
        if end == text.len() {
            return Err(InputError::file(
                &file.name,
                format!("is empty; it needs the header {}", COLUMNS.expected_header()),
            ));
        }
        header_row += 1;
        at = end + 1;
    };
    let header = Header::parse(file, header_line.split(',').map(str::as_bytes), &COLUMNS)?;
    let pieces = pieces(text, (header_end + 1).min(text.len()));
    // The row number each piece starts at.
    let mut first_rows = Vec::with_capacity(pieces.len());
    let mut row = header_row + 1;
    for counted in pieces
        .par_iter()
        .map(|p| memchr::memchr_iter(b'\n', &text.as_bytes()[p.clone()]).count() as u64)
        .collect::<Vec<_>>()
    {
        first_rows.push(row);
        row += counted;
    }
    let parsed: Vec<Result<(PopulationBuilder, Rows), InputError>> = pieces
        .into_par_iter()
        .zip(first_rows)
        .map(|(piece, first_row)| read_piece(file, &header, piece, first_row))
        .collect();
    let mut builder = PopulationBuilder::new();
    let mut rows = Vec::new();
    // Pieces are in file order: the first error is the first bad row.
    for part in parsed {
        let (b, r) = part?;
        builder.append(b).map_err(|e| InputError::row(&file.name, r[0], entity_column(&e), e.to_string()))?;
        rows.extend(r);
    }
    Ok((builder, rows))
}

/// Cuts `text[start..]` at line feeds into about as many pieces as there are threads, times four.
fn pieces(text: &str, start: usize) -> Vec<Range<usize>> {
    const MIN_PIECE: usize = 1 << 20;
    let bytes = text.as_bytes();
    let count = (rayon::current_num_threads() * 4).max(1);
    let size = ((bytes.len() - start) / count).max(MIN_PIECE);
    let mut pieces = Vec::new();
    let mut at = start;
    while at < bytes.len() {
        let end = match memchr::memchr(b'\n', &bytes[(at + size).min(bytes.len())..]) {
            Some(i) => (at + size).min(bytes.len()) + i + 1,
            None => bytes.len(),
        };
        pieces.push(at..end);
        at = end;
    }
    pieces
}

/// Reads the lines of one piece; `first_row` is the row number of its first line.
fn read_piece(
    file: &TextFile,
    header: &Header,
    piece: Range<usize>,
    first_row: u64,
) -> Result<(PopulationBuilder, Rows), InputError> {
    let text = file.text();
    let (id_at, weight_at, stratum_at) = (header.position(0), header.position(1), header.position(2));
    let id_at = id_at.expect("id is a required column");
    let mut builder = PopulationBuilder::with_capacity(piece.len() / 24);
    let mut rows = Vec::with_capacity(piece.len() / 24);
    let mut cells: Vec<Range<usize>> = Vec::with_capacity(header.width());
    let mut line_start = piece.start;
    let line_ends =
        memchr::memchr_iter(b'\n', &text.as_bytes()[piece.clone()]).map(|i| piece.start + i).chain(
            // A last line without a line feed.
            (!text[piece.clone()].ends_with('\n')).then_some(piece.end),
        );
    for (row, line_end) in (first_row..).zip(line_ends) {
        let mut end = line_end;
        if text.as_bytes()[line_start..end].last() == Some(&b'\r') {
            end -= 1;
        }
        if end > line_start {
            cells.clear();
            let mut cell_start = line_start;
            for comma in memchr::memchr_iter(b',', &text.as_bytes()[line_start..end]) {
                cells.push(cell_start..line_start + comma);
                cell_start = line_start + comma + 1;
            }
            cells.push(cell_start..end);
            if cells.len() != header.width() {
                return Err(header.width_error(file, row, cells.len()));
            }
            let cell = |at: Option<usize>| at.map(|i| &text[cells[i].clone()]);
            add_row(file, text, &mut builder, row, cells[id_at].clone(), cell(weight_at), cell(stratum_at))?;
            rows.push(row);
        }
        line_start = line_end + 1;
    }
    Ok((builder, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a reader made of a file: every entity in order with its row, or the message.
    fn outcome(text: &str, quoted: bool) -> Result<Vec<(String, u32, String, u64)>, String> {
        let file =
            TextFile::from_bytes("p.csv".into(), text.as_bytes().to_vec()).map_err(|e| e.to_string())?;
        let (builder, rows, text) = if quoted {
            let (b, r, ids) = read_quoted(&file).map_err(|e| e.to_string())?;
            (b, r, PopulationText::Ids(ids))
        } else {
            let (b, r) = read_simple(&file).map_err(|e| e.to_string())?;
            (b, r, PopulationText::File(file))
        };
        let p = builder.build(text).map_err(|e| e.to_string())?;
        Ok(p.entities()
            .map(|e| (p.id(e).to_owned(), p.weight(e), p.stratum(e).to_owned(), rows[e as usize]))
            .collect())
    }

    fn quote_free_csv() -> impl Strategy<Value = String> {
        let header = prop::sample::select(vec![
            "id,weight,stratum\n",
            "stratum,id\r\n",
            "ID , Weight\n",
            "id\n",
            "id,x\n",
            "",
        ]);
        let piece = prop::sample::select(vec![
            "A", "B", "个体", "9141", ",", ",", "\n", "\n", "\r\n", " ", "0", "1", "2", "10001", "-1", "\t",
            "#2", "大型",
        ]);
        (header, prop::collection::vec(piece, 0..80)).prop_map(|(h, p)| format!("{h}{}", p.concat()))
    }

    proptest! {
        #[test]
        fn both_readers_agree_on_files_without_quotes(text in quote_free_csv()) {
            prop_assert_eq!(outcome(&text, false), outcome(&text, true));
        }
    }

    #[test]
    fn big_files_are_cut_into_pieces_that_agree_with_one_reading() {
        let mut text = String::from("id,weight,stratum\r\n");
        for i in 0..120_000 {
            text.push_str(&format!("ID{i:07},{},{}\r\n", 1 + i % 4, ["A", "B", "C"][i % 3]));
            if i % 1000 == 0 {
                text.push_str("\r\n");
            }
        }
        assert!(pieces(&text, 0).len() > 1, "more than one piece");
        let simple = outcome(&text, false).unwrap();
        let quoted = outcome(&text, true).unwrap();
        assert_eq!(simple.len(), quoted.len());
        if let Some(i) = (0..simple.len()).find(|&i| simple[i] != quoted[i]) {
            panic!("entity {i}: {:?} against {:?}", simple[i], quoted[i]);
        }
        assert_eq!(simple[120_000 - 1].3, 120_000 + 1 + 120, "rows count blank lines");
        // An error in a later piece is reported with its row.
        let bad = text.replacen("ID0100000,", "ID0100000 ,", 1);
        let message = outcome(&bad, false).unwrap_err();
        assert_eq!(message, outcome(&bad, true).unwrap_err());
        assert!(message.starts_with("p.csv: row 100102, column id:"), "{message}");
    }
}
