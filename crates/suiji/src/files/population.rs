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
use suiji_draw::{EntityError, MAX_WEIGHT, Piece, Population, PopulationBuilder, PopulationError};

pub const COLUMNS: Columns = Columns { required: &["id"], optional: &["weight", "stratum"] };

/// Parses a weight cell: a positive integer, outer spaces allowed.
fn parse_weight(cell: &str) -> Result<u64, String> {
    // The common case: a few digits and nothing else.
    if (1..=5).contains(&cell.len()) && cell.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(cell.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0')));
    }
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
    let (builder, text, rows) = if simple {
        (read_simple(&file)?, PopulationText::File(file), Rows::Lines)
    } else {
        let quoted = read_quoted(&file)?;
        (quoted.builder, PopulationText::Ids(quoted.ids), Rows::Starts(quoted.starts))
    };
    // Keep a hold on the text after `build` takes it, to name rows in messages.
    let text = std::sync::Arc::new(text);
    builder.build(SharedText(text.clone())).map_err(|e| {
        let row = |offset| rows.row((*text).as_ref(), offset);
        match &e {
            PopulationError::DuplicateId { id, offsets: [first, second] } => InputError::row(
                &name,
                row(*second),
                Some("id"),
                format!("duplicate id {id:?}, also on row {}", row(*first)),
            ),
            PopulationError::TicketNameCollision { offset, .. } => {
                InputError::row(&name, row(*offset), Some("id"), e.to_string())
            }
        }
    })
}

/// How to find the row of an id from its offset in the population's text.
enum Rows {
    /// The text is the file: count its lines.
    Lines,
    /// The text is ids copied out of the file: each one's start in it, and its row.
    Starts(Vec<(usize, u64)>),
}

impl Rows {
    fn row(&self, text: &str, offset: usize) -> u64 {
        match self {
            Rows::Lines => row_of_offset(text, offset),
            Rows::Starts(starts) => starts[starts.partition_point(|&(s, _)| s <= offset) - 1].1,
        }
    }
}

/// The row of the byte at `offset` in a file's text: one more than the line feeds before it.
fn row_of_offset(text: &str, offset: usize) -> u64 {
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() as u64
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

/// The population's text, shared with `parse` for naming rows in messages.
struct SharedText(std::sync::Arc<PopulationText>);

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        (*self.0).as_ref()
    }
}

/// Checks one row's weight cell and adds the entity to `piece`.
fn add_row(
    file: &TextFile,
    row: u64,
    id: Range<usize>,
    weight: Option<&str>,
    stratum: Option<&str>,
    push: impl FnOnce(Range<usize>, u64, &str) -> Result<(), EntityError>,
) -> Result<(), InputError> {
    let weight = match weight {
        Some(cell) => parse_weight(cell).map_err(|r| InputError::row(&file.name, row, Some("weight"), r))?,
        None => 1,
    };
    push(id, weight, stratum.unwrap_or_default())
        .map_err(|e| InputError::row(&file.name, row, entity_column(&e), e.to_string()))
}

/// What the csv crate's reader made of a file: its ids copied into a text of their own, with
/// each one's start in it and its row.
struct Quoted {
    builder: PopulationBuilder,
    ids: String,
    starts: Vec<(usize, u64)>,
}

/// The csv crate's reader, for files with quoted fields.
fn read_quoted(file: &TextFile) -> Result<Quoted, InputError> {
    let mut ids = String::new();
    let mut builder = PopulationBuilder::new();
    let mut starts = Vec::new();
    read_rows(file, &COLUMNS, |row| {
        let [id, weight, stratum] = row.fields[..] else { unreachable!("three columns") };
        let id = id.unwrap_or_default();
        let range = ids.len()..ids.len() + id.len();
        ids.push_str(id);
        let start = range.start;
        add_row(file, row.number, range, weight, stratum, |id, w, s| builder.push(&ids, id, w, s))?;
        starts.push((start, row.number));
        Ok(())
    })?;
    Ok(Quoted { builder, ids, starts })
}

/// The parallel reader for files without quotes.
fn read_simple(file: &TextFile) -> Result<PopulationBuilder, InputError> {
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
    // Each piece with the number of lines in it (the most rows it can hold)...
    let pieces: Vec<(Range<usize>, usize)> = cut(text, (header_end + 1).min(text.len()))
        .into_par_iter()
        .map(|p| {
            let feeds = memchr::memchr_iter(b'\n', &text.as_bytes()[p.clone()]).count();
            let lines = feeds + usize::from(!text[p.clone()].ends_with('\n'));
            (p, lines)
        })
        .collect();
    // ...and the row it starts at.
    let mut first_rows = Vec::with_capacity(pieces.len());
    let mut row = header_row + 1;
    for (_, lines) in &pieces {
        first_rows.push(row);
        row += *lines as u64;
    }
    let first_row_of = |start: usize| first_rows[pieces.partition_point(|(p, _)| p.start < start)];
    PopulationBuilder::from_pieces(text, &pieces, |range, piece| {
        read_piece(file, &header, range.clone(), first_row_of(range.start), piece)
    })
}

/// Cuts `text[start..]` at line feeds into about as many pieces as there are threads, times four.
fn cut(text: &str, start: usize) -> Vec<Range<usize>> {
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
    out: &mut Piece<'_>,
) -> Result<(), InputError> {
    let text = file.text();
    let (id_at, weight_at, stratum_at) = (header.position(0), header.position(1), header.position(2));
    let id_at = id_at.expect("id is a required column");
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
            // Lines are short: a plain scan beats setting up a vectorised search per line.
            for (i, &b) in text.as_bytes()[line_start..end].iter().enumerate() {
                if b == b',' {
                    cells.push(cell_start..line_start + i);
                    cell_start = line_start + i + 1;
                }
            }
            cells.push(cell_start..end);
            if cells.len() != header.width() {
                return Err(header.width_error(file, row, cells.len()));
            }
            let cell = |at: Option<usize>| at.map(|i| &text[cells[i].clone()]);
            add_row(file, row, cells[id_at].clone(), cell(weight_at), cell(stratum_at), |id, w, s| {
                out.push(id, w, s)
            })?;
        }
        line_start = line_end + 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a reader made of a file: every entity in id order, or the message.
    fn outcome(text: &str, quoted: bool) -> Result<Vec<(String, u32, String)>, String> {
        let file =
            TextFile::from_bytes("p.csv".into(), text.as_bytes().to_vec()).map_err(|e| e.to_string())?;
        let p = if quoted {
            let q = read_quoted(&file).map_err(|e| e.to_string())?;
            q.builder.build(q.ids).map_err(|e| e.to_string())?
        } else {
            let b = read_simple(&file).map_err(|e| e.to_string())?;
            b.build(file).map_err(|e| e.to_string())?
        };
        Ok(p.entities().map(|e| (p.id(e).to_owned(), p.weight(e), p.stratum(e).to_owned())).collect())
    }

    /// The whole of `parse`, messages for rows found after reading included.
    fn parsed(text: &str) -> Result<usize, String> {
        let file =
            TextFile::from_bytes("p.csv".into(), text.as_bytes().to_vec()).map_err(|e| e.to_string())?;
        parse(file).map(|p| p.len()).map_err(|e| e.to_string())
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
    fn duplicates_are_named_by_row_in_both_readers() {
        let plain = "id,weight\r\nA,1\r\nB,2\r\n\r\nA,3\r\n";
        let quoted = "id,weight\r\n\"A\",1\r\nB,2\r\n\r\n\"A\",3\r\n";
        let expected = "p.csv: row 5, column id: duplicate id \"A\", also on row 2";
        assert_eq!(parsed(plain).unwrap_err(), expected);
        assert_eq!(parsed(quoted).unwrap_err(), expected);
        for names in ["id,weight\nA,2\nx,1\nA#2,1\n", "id,weight\nA,2\n\"x\",1\nA#2,1\n"] {
            let message = parsed(names).unwrap_err();
            assert!(
                message.starts_with("p.csv: row 4, column id: id \"A#2\" is also ticket name 2"),
                "{message}"
            );
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
        assert!(cut(&text, 0).len() > 1, "more than one piece");
        let simple = outcome(&text, false).unwrap();
        let quoted = outcome(&text, true).unwrap();
        assert_eq!(simple.len(), 120_000);
        if let Some(i) = (0..simple.len()).find(|&i| simple[i] != quoted[i]) {
            panic!("entity {i}: {:?} against {:?}", simple[i], quoted[i]);
        }
        // An error in a later piece is reported with its row.
        let bad = text.replacen("ID0100000,", "ID0100000 ,", 1);
        let message = outcome(&bad, false).unwrap_err();
        assert_eq!(message, outcome(&bad, true).unwrap_err());
        assert!(message.starts_with("p.csv: row 100102, column id:"), "{message}");
        // And a duplicate far apart, found after reading.
        let dup = text.replacen("ID0110000,", "ID0000005,", 1);
        assert_eq!(
            parsed(&dup).unwrap_err(),
            "p.csv: row 110112, column id: duplicate id \"ID0000005\", also on row 8"
        );
    }
}
