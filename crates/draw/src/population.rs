//! The population of a draw: entities `(id, weight, stratum)` with distinct ids (protocol §2),
//! and its commitment `population_sha256`.
//!
//! A population keeps the text its ids were read from and holds one 40-byte record per entity,
//! sorted by id: the id's first 24 bytes inline, where it is in the text, its weight and stratum.
//! Sorting, checking ids, the commitment and the tickets all run on the records alone for ids
//! under 24 bytes (every USCC), so a ten-million-row file is neither copied nor revisited.

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};
use std::cmp::Ordering;
use std::ops::Range;
use thiserror::Error;

/// The largest weight accepted: each unit of weight is one more ticket to hash.
pub const MAX_WEIGHT: u32 = 10_000;

/// The most distinct strata a population may have.
pub const MAX_STRATA: usize = u16::MAX as usize;

/// Why one entity cannot be part of a population.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EntityError {
    #[error("id is empty")]
    EmptyId,
    #[error("{field} {value:?} contains a control character (tab, line break…)")]
    ControlCharacter { field: &'static str, value: String },
    #[error("{field} {value:?} begins or ends with a space")]
    OuterSpace { field: &'static str, value: String },
    #[error("weight must be a whole number from 1 to {MAX_WEIGHT}, found {0}")]
    Weight(u64),
    #[error("more than {MAX_STRATA} strata")]
    TooManyStrata,
}

/// Why a list of entities is not a population. Entities are named by where their ids are in
/// the text (byte offsets), which the caller turns into rows.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PopulationError {
    /// `offsets` in ascending order.
    #[error("duplicate id {id:?}")]
    DuplicateId { id: String, offsets: [usize; 2] },
    /// `id` is `base#k` and `base` has weight ≥ k: both would get the same ticket.
    #[error(
        "id {id:?} is also ticket name {copy} of {base:?} (weight {weight}); the two would share a ticket"
    )]
    TicketNameCollision { id: String, offset: usize, base: String, copy: u32, weight: u32 },
}

/// Why rows given in memory are not a population.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RowsError {
    /// The row's position, from 0.
    #[error("row {0}: {1}")]
    Entity(usize, EntityError),
    /// The positions of the two rows with the id.
    #[error("rows {0} and {1}: duplicate id {2:?}")]
    Duplicate(usize, usize, String),
    #[error("row {0}: {1}")]
    TicketName(usize, PopulationError),
}

/// Checks a text field that goes into the commitment, where tab and line feed are separators.
fn check_text(field: &'static str, value: &str) -> Result<(), EntityError> {
    // The common case in one pass: printable ASCII (spaces allowed) without outer spaces.
    let bytes = value.as_bytes();
    if bytes.iter().all(|&b| (b' '..=b'~').contains(&b))
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
    {
        return Ok(());
    }
    let control = if value.is_ascii() {
        value.bytes().any(|b| b < 0x20 || b == 0x7f)
    } else {
        value.chars().any(char::is_control)
    };
    if control {
        return Err(EntityError::ControlCharacter { field, value: value.to_owned() });
    }
    if value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace) {
        return Err(EntityError::OuterSpace { field, value: value.to_owned() });
    }
    Ok(())
}

/// One entity, as five words so that a vector of free slots can be allocated zeroed (the
/// kernel's zero pages, touched only when written):
/// - words 0–2: the id's first 24 bytes, big-endian, zero-padded (ids hold no NUL, so padding
///   sorts before any byte, and a real id's first word is never 0: all-zero is a free slot);
/// - word 3: the id's byte offset in the text;
/// - word 4: the id's length (high 32 bits), weight (16 bits), stratum (low 16 bits).
type Record = [u64; 5];

mod record {
    use super::Record;

    pub(super) fn new(id: &str, start: usize, weight: u16, stratum: u16) -> Record {
        let mut head = [0u8; 24];
        let n = id.len().min(24);
        head[..n].copy_from_slice(&id.as_bytes()[..n]);
        let word = |i: usize| u64::from_be_bytes(head[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        let packed = ((id.len() as u64) << 32) | (u64::from(weight) << 16) | u64::from(stratum);
        [word(0), word(1), word(2), start as u64, packed]
    }

    pub(super) fn is_free(r: &Record) -> bool {
        r[0] == 0
    }

    pub(super) fn range(r: &Record) -> std::ops::Range<usize> {
        let start = r[3] as usize;
        start..start + (r[4] >> 32) as usize
    }

    pub(super) fn weight(r: &Record) -> u16 {
        (r[4] >> 16) as u16
    }

    pub(super) fn stratum(r: &Record) -> u16 {
        r[4] as u16
    }

    pub(super) fn set_stratum(r: &mut Record, stratum: u16) {
        r[4] = (r[4] & !0xffff) | u64::from(stratum);
    }

    /// Whether the whole id is in the head (it is shorter than 24 bytes).
    pub(super) fn is_whole(r: &Record) -> bool {
        r[4] >> 32 < 24
    }

    /// The id's bytes from the head, when they are all there.
    pub(super) fn whole_id<'b>(r: &Record, buf: &'b mut [u8; 24]) -> Option<&'b [u8]> {
        if !is_whole(r) {
            return None;
        }
        for (chunk, word) in buf.chunks_exact_mut(8).zip(&r[..3]) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        Some(&buf[..(r[4] >> 32) as usize])
    }
}

/// The strata met so far, in order of first appearance.
#[derive(Debug, Default, Clone)]
struct Strata {
    names: Vec<String>,
    /// The last one found: rows of one stratum often come together.
    last: usize,
}

impl Strata {
    fn index(&mut self, name: &str) -> Result<u16, EntityError> {
        if self.names.get(self.last).is_some_and(|s| s == name) {
            return Ok(self.last as u16);
        }
        // Populations have a handful of strata: a scan beats hashing.
        if let Some(i) = self.names.iter().position(|s| s == name) {
            self.last = i;
            return Ok(i as u16);
        }
        check_text("stratum", name)?;
        if self.names.len() == MAX_STRATA {
            return Err(EntityError::TooManyStrata);
        }
        self.names.push(name.to_owned());
        self.last = self.names.len() - 1;
        Ok(self.last as u16)
    }
}

/// Checks one entity and makes its record.
fn make_record(
    text: &str,
    id: Range<usize>,
    weight: u64,
    stratum: &str,
    strata: &mut Strata,
) -> Result<Record, EntityError> {
    let id_text = &text[id.clone()];
    if id_text.is_empty() {
        return Err(EntityError::EmptyId);
    }
    check_text("id", id_text)?;
    if !(1..=u64::from(MAX_WEIGHT)).contains(&weight) {
        return Err(EntityError::Weight(weight));
    }
    let stratum = strata.index(stratum)?;
    Ok(record::new(id_text, id.start, weight as u16, stratum))
}

/// Collects and validates entities for a text that [`PopulationBuilder::build`] receives at
/// the end; ids are given as byte ranges of it.
#[derive(Debug, Default)]
pub struct PopulationBuilder {
    records: Vec<Record>,
    strata: Strata,
}

/// The writer for one piece of a text read in parallel (see [`PopulationBuilder::from_pieces`]).
pub struct Piece<'a> {
    text: &'a str,
    slots: &'a mut [Record],
    used: usize,
    strata: Strata,
}

impl Piece<'_> {
    /// Adds the entity whose id is `text[id]`; nothing is added when it is invalid.
    ///
    /// # Panics
    /// When the piece has no free slot left (more rows than announced), or `id` is not a range
    /// of the text on character boundaries: both are the caller's bugs.
    pub fn push(&mut self, id: Range<usize>, weight: u64, stratum: &str) -> Result<(), EntityError> {
        let r = make_record(self.text, id, weight, stratum, &mut self.strata)?;
        self.slots[self.used] = r;
        self.used += 1;
        Ok(())
    }
}

impl PopulationBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the entity whose id is `text[id]`; nothing is added when it is invalid.
    ///
    /// # Panics
    /// When `id` is not a range of `text` on character boundaries: that is a caller's bug.
    pub fn push(
        &mut self,
        text: &str,
        id: Range<usize>,
        weight: u64,
        stratum: &str,
    ) -> Result<(), EntityError> {
        let r = make_record(text, id, weight, stratum, &mut self.strata)?;
        self.records.push(r);
        Ok(())
    }

    /// Reads `text` in pieces, in parallel: `read` is called once per piece with its range and
    /// a [`Piece`] to push at most `rows` entities into. Returns the first error in piece order.
    pub fn from_pieces<E: Send>(
        text: &str,
        pieces: &[(Range<usize>, usize)],
        read: impl Fn(Range<usize>, &mut Piece<'_>) -> Result<(), E> + Sync,
    ) -> Result<PopulationBuilder, E> {
        let total = pieces.iter().map(|p| p.1).sum();
        // Zeroed: free slots until written, and untouched memory until then.
        let mut records: Vec<Record> = vec![[0; 5]; total];
        let mut slices = Vec::with_capacity(pieces.len());
        let mut rest = records.as_mut_slice();
        for (range, rows) in pieces {
            let (mine, others) = rest.split_at_mut(*rows);
            slices.push((range.clone(), mine));
            rest = others;
        }
        let read_strata = slices
            .into_par_iter()
            .map(|(range, slots)| {
                let mut piece = Piece { text, slots, used: 0, strata: Strata::default() };
                read(range, &mut piece)?;
                Ok((piece.strata, piece.slots, piece.used))
            })
            .collect::<Result<Vec<_>, E>>()?;
        // One table of strata for all pieces, in order of first appearance.
        let mut strata = Strata::default();
        let remaps: Vec<Vec<u16>> = read_strata
            .iter()
            .map(|(local, _, _)| {
                local.names.iter().map(|s| strata.index(s).expect("checked when first met")).collect()
            })
            .collect();
        read_strata.into_par_iter().zip(remaps).for_each(|((_, slots, used), remap)| {
            for r in &mut slots[..used] {
                record::set_stratum(r, remap[usize::from(record::stratum(r))]);
            }
        });
        Ok(PopulationBuilder { records, strata })
    }

    /// Checks the whole (ids distinct, no id equal to another's ticket name) and sorts it by id.
    /// `text` is what the ids' ranges refer to.
    pub fn build<T>(self, text: T) -> Result<Population, PopulationError>
    where
        T: AsRef<str> + Send + Sync + 'static,
    {
        let mut population = Population {
            text: Box::new(text),
            records: self.records,
            stratum_names: self.strata.names,
            sha256: std::sync::OnceLock::new(),
        };
        population.sort();
        population.check_distinct()?;
        population.check_ticket_names()?;
        Ok(population)
    }
}

/// A validated population, in id order: distinct ids, weights in range, ids and strata free of
/// separators. Entities are numbered from 0 in that order.
pub struct Population {
    text: Box<dyn AsRef<str> + Send + Sync>,
    records: Vec<Record>,
    stratum_names: Vec<String>,
    /// Computed on first use, so that a draw can hash it while it computes tickets.
    sha256: std::sync::OnceLock<String>,
}

impl std::fmt::Debug for Population {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Population").field("len", &self.len()).finish_non_exhaustive()
    }
}

impl Population {
    /// Builds a population from rows held in memory (tests, services): `(id, weight, stratum)`.
    pub fn from_rows<'r>(
        rows: impl IntoIterator<Item = (&'r str, u64, &'r str)>,
    ) -> Result<Population, RowsError> {
        let rows: Vec<_> = rows.into_iter().collect();
        let mut text = String::with_capacity(rows.iter().map(|r| r.0.len()).sum());
        let mut starts = Vec::with_capacity(rows.len());
        for (id, _, _) in &rows {
            starts.push(text.len());
            text.push_str(id);
        }
        let mut builder = PopulationBuilder::new();
        for (i, ((id, weight, stratum), &start)) in rows.iter().zip(&starts).enumerate() {
            builder
                .push(&text, start..start + id.len(), *weight, stratum)
                .map_err(|e| RowsError::Entity(i, e))?;
        }
        // Ids are laid out in row order, so an offset finds its row by binary search.
        let row_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
        builder.build(text).map_err(|e| match e {
            PopulationError::DuplicateId { id, offsets } => {
                RowsError::Duplicate(row_of(offsets[0]), row_of(offsets[1]), id)
            }
            PopulationError::TicketNameCollision { offset, .. } => RowsError::TicketName(row_of(offset), e),
        })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    fn text(&self) -> &str {
        (*self.text).as_ref()
    }

    pub fn id(&self, entity: u32) -> &str {
        &self.text()[record::range(&self.records[entity as usize])]
    }

    /// The id's bytes, from the record when it holds them all (no trip to the text).
    pub fn id_bytes<'a>(&'a self, entity: u32, buf: &'a mut [u8; 24]) -> &'a [u8] {
        let r = &self.records[entity as usize];
        match record::whole_id(r, buf) {
            Some(id) => id,
            None => self.id(entity).as_bytes(),
        }
    }

    pub fn weight(&self, entity: u32) -> u32 {
        u32::from(record::weight(&self.records[entity as usize]))
    }

    /// The entity's stratum as an index into [`Population::stratum_names`].
    pub fn stratum_index(&self, entity: u32) -> u16 {
        record::stratum(&self.records[entity as usize])
    }

    pub fn stratum(&self, entity: u32) -> &str {
        &self.stratum_names[usize::from(self.stratum_index(entity))]
    }

    /// The distinct strata, in order of first appearance.
    pub fn stratum_names(&self) -> &[String] {
        &self.stratum_names
    }

    /// Entity indices `0..len`, in id order.
    pub fn entities(&self) -> Range<u32> {
        0..self.len() as u32
    }

    /// `population_sha256`: lowercase hex SHA-256 of [`Population::commitment_text`].
    pub fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| self.commit())
    }

    /// The commitment text: `id TAB weight TAB stratum LF` per entity, sorted by id (byte order).
    pub fn commitment_text(&self) -> String {
        String::from_utf8(self.lines(&self.records)).expect("ids and strata are UTF-8")
    }

    /// Orders records by id bytes, free slots last: by the heads, and by the ids in the text
    /// only when the heads are equal and do not hold the whole ids.
    #[inline]
    fn cmp_records(&self, a: &Record, b: &Record) -> Ordering {
        // A free slot's first word is 0 and a real id's never is, nor all ones (0xFF is not in
        // UTF-8): subtracting one makes free slots the greatest and keeps the order of the rest.
        match a[0].wrapping_sub(1).cmp(&b[0].wrapping_sub(1)).then(a[1].cmp(&b[1])).then(a[2].cmp(&b[2])) {
            Ordering::Equal => self.cmp_tails(a, b),
            order => order,
        }
    }

    /// Equal heads: equal ids when the heads hold them whole (no NUL inside an id), else the
    /// text decides.
    #[cold]
    fn cmp_tails(&self, a: &Record, b: &Record) -> Ordering {
        if record::is_whole(a) && record::is_whole(b) {
            Ordering::Equal
        } else {
            self.text()[record::range(a)].cmp(&self.text()[record::range(b)])
        }
    }

    fn sort(&mut self) {
        let mut records = std::mem::take(&mut self.records);
        records.par_sort_unstable_by(|a, b| self.cmp_records(a, b));
        let used = records.partition_point(|r| !record::is_free(r));
        records.truncate(used);
        self.records = records;
    }

    /// Ids are distinct: in id order, no two neighbours are equal.
    fn check_distinct(&self) -> Result<(), PopulationError> {
        let same = |w: &[Record]| w[0][..3] == w[1][..3] && self.cmp_records(&w[0], &w[1]) == Ordering::Equal;
        match self.records.par_windows(2).position_first(same) {
            None => Ok(()),
            Some(i) => {
                let (a, b) = (&self.records[i], &self.records[i + 1]);
                Err(PopulationError::DuplicateId {
                    id: self.text()[record::range(a)].to_owned(),
                    offsets: [a[3].min(b[3]) as usize, a[3].max(b[3]) as usize],
                })
            }
        }
    }

    /// Hashes the commitment text: lines are built in parallel, a group at a time, while the
    /// previous group is hashed.
    fn commit(&self) -> String {
        const LINES_PER_CHUNK: usize = 1 << 14;
        const CHUNKS_PER_GROUP: usize = 16;
        let mut hasher = Sha256::new();
        let mut hashed: Vec<Vec<u8>> = Vec::new();
        for group in self.records.chunks(LINES_PER_CHUNK * CHUNKS_PER_GROUP) {
            let (_, texts) = rayon::join(
                || hashed.drain(..).for_each(|t| hasher.update(&t)),
                || group.par_chunks(LINES_PER_CHUNK).map(|chunk| self.lines(chunk)).collect(),
            );
            hashed = texts;
        }
        hashed.drain(..).for_each(|t| hasher.update(&t));
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The commitment lines of sorted `records`.
    fn lines(&self, records: &[Record]) -> Vec<u8> {
        let mut text = Vec::with_capacity(records.len() * 32);
        for r in records {
            match record::whole_id(r, &mut [0; 24]) {
                Some(id) => text.extend_from_slice(id),
                None => text.extend_from_slice(self.text()[record::range(r)].as_bytes()),
            }
            text.push(b'\t');
            text.extend_from_slice(itoa(u32::from(record::weight(r)), &mut [0; 10]));
            text.push(b'\t');
            text.extend_from_slice(self.stratum_names[usize::from(record::stratum(r))].as_bytes());
            text.push(b'\n');
        }
        text
    }

    /// Finds an entity by id.
    fn find(&self, id: &str) -> Option<u32> {
        let probe = record::new(id, 0, 0, 0);
        self.records
            .binary_search_by(|r| r[..3].cmp(&probe[..3]).then_with(|| self.text()[record::range(r)].cmp(id)))
            .ok()
            .map(|i| i as u32)
    }

    /// Ticket names `id#k` (protocol §2, step 1) must not be another entity's id.
    fn check_ticket_names(&self) -> Result<(), PopulationError> {
        let text = self.text();
        let mut buf = [0; 24];
        for r in &self.records {
            // Most ids are whole in their record and hold no '#': no trip to the text.
            if record::whole_id(r, &mut buf).is_some_and(|id| !id.contains(&b'#')) {
                continue;
            }
            let id = &text[record::range(r)];
            if !id.contains('#') {
                continue;
            }
            let Some((base, k)) = id.rsplit_once('#') else { continue };
            // Names are written `#2`, `#3`…: digits only, no leading zero.
            if k.is_empty() || k.starts_with('0') || !k.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Ok(copy) = k.parse::<u32>() else { continue };
            if let Some(b) = self.find(base).filter(|&b| copy >= 2 && self.weight(b) >= copy) {
                return Err(PopulationError::TicketNameCollision {
                    id: id.to_owned(),
                    offset: r[3] as usize,
                    base: base.to_owned(),
                    copy,
                    weight: self.weight(b),
                });
            }
        }
        Ok(())
    }
}

/// Decimal digits of `n`, without allocating.
fn itoa(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population(rows: &[(&str, u64, &str)]) -> Result<Population, RowsError> {
        Population::from_rows(rows.iter().copied())
    }

    fn sha256_hex(text: &str) -> String {
        Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn commitment_lines_are_sorted_by_id_bytes() {
        let p = population(&[("b", 2, "B"), ("個", 1, ""), ("a", 1, "A"), ("B", 4, "C")]).unwrap();
        assert_eq!(p.commitment_text(), "B\t4\tC\na\t1\tA\nb\t2\tB\n個\t1\t\n");
        assert_eq!(p.sha256(), sha256_hex(&p.commitment_text()));
        assert_eq!((p.id(0), p.weight(0), p.stratum(0)), ("B", 4, "C"));
    }

    #[test]
    fn the_commitment_is_the_same_in_every_chunking() {
        // More lines than one chunk and one group, so boundaries are crossed.
        let ids: Vec<String> =
            (0..600_000u64).map(|i| format!("9141030{:011}", (i * 7919) % 1_000_003)).collect();
        let rows: Vec<(&str, u64, &str)> =
            ids.iter().map(|id| (id.as_str(), 1 + (id.len() as u64 % 3), "x")).collect();
        let p = population(&rows).unwrap();
        let mut sorted = ids.clone();
        sorted.sort();
        let text: String = sorted.iter().map(|id| format!("{id}\t{}\tx\n", 1 + (id.len() % 3))).collect();
        assert_eq!(p.sha256(), sha256_hex(&text));
    }

    #[test]
    fn ids_sharing_a_long_prefix_sort_by_their_tails() {
        let ids = [
            "914103070000000000B",
            "914103070000000000",
            "914103070000000000A",
            "9141030700000000",
            "个体工商户-洛阳市偃师区某某五金店",
            "个体工商户-洛阳市偃师区某某五金",
            "个体工商户-洛阳市偃师区某某五金店二",
            "123456789012345678901234",
            "12345678901234567890123",
            "1234567890123456789012345",
        ];
        let p = population(&ids.map(|id| (id, 1, ""))).unwrap();
        let mut expected = ids.to_vec();
        expected.sort();
        let text: String = expected.iter().map(|id| format!("{id}\t1\t\n")).collect();
        assert_eq!(p.commitment_text(), text);
        let mut buf = [0; 24];
        for e in p.entities() {
            assert_eq!(p.id_bytes(e, &mut buf), expected[e as usize].as_bytes());
        }
    }

    #[test]
    fn duplicates_are_named_with_both_rows() {
        let err = population(&[("x", 1, ""), ("y", 1, ""), ("x", 2, "")]).unwrap_err();
        assert_eq!(err, RowsError::Duplicate(0, 2, "x".into()));
        // Long ids equal in their first 24 bytes are told apart, and found equal, by the text.
        let long = "123456789012345678901234567";
        assert!(population(&[(long, 1, ""), ("123456789012345678901234568", 1, "")]).is_ok());
        assert_eq!(
            population(&[(long, 1, ""), ("1", 1, ""), (long, 1, "")]).unwrap_err(),
            RowsError::Duplicate(0, 2, long.into())
        );
        // Across chunk boundaries too.
        let mut ids: Vec<String> = (0..100_000).map(|i| format!("{i:08}")).collect();
        ids.push("00077777".into());
        let rows: Vec<(&str, u64, &str)> = ids.iter().map(|id| (id.as_str(), 1, "")).collect();
        assert_eq!(population(&rows).unwrap_err(), RowsError::Duplicate(77777, 100_000, "00077777".into()));
    }

    #[test]
    fn an_id_equal_to_another_entitys_ticket_name_is_refused() {
        let err = population(&[("A", 2, ""), ("A#2", 1, "")]).unwrap_err();
        assert!(
            matches!(
                err,
                RowsError::TicketName(1, PopulationError::TicketNameCollision { copy: 2, weight: 2, .. })
            ),
            "{err:?}"
        );
        // Not a name that weight 2 produces, or not a ticket name at all.
        assert!(population(&[("A", 2, ""), ("A#3", 1, ""), ("A#02", 1, ""), ("A#+2", 1, "")]).is_ok());
        assert!(population(&[("A", 1, ""), ("A#2", 1, ""), ("B#", 1, ""), ("#", 1, "")]).is_ok());
    }

    #[test]
    fn bad_entities_are_refused() {
        let mut b = PopulationBuilder::new();
        let text = "a\tb x\n a";
        assert_eq!(b.push(text, 0..0, 1, ""), Err(EntityError::EmptyId));
        assert!(matches!(b.push(text, 0..3, 1, ""), Err(EntityError::ControlCharacter { field: "id", .. })));
        assert!(matches!(
            b.push(text, 0..1, 1, "x\n"),
            Err(EntityError::ControlCharacter { field: "stratum", .. })
        ));
        assert!(matches!(b.push(text, 6..8, 1, ""), Err(EntityError::OuterSpace { .. })));
        assert!(matches!(b.push(text, 0..1, 1, " x"), Err(EntityError::OuterSpace { field: "stratum", .. })));
        assert!(matches!(b.push("a\u{85}", 0..3, 1, ""), Err(EntityError::ControlCharacter { .. })));
        assert_eq!(b.push(text, 0..1, 0, ""), Err(EntityError::Weight(0)));
        assert_eq!(b.push(text, 0..1, 10_001, ""), Err(EntityError::Weight(10_001)));
        assert!(b.records.is_empty());
    }

    #[test]
    fn pieces_read_in_parallel_share_one_table_of_strata() {
        let text = "1,A\n2,B\n\n3,A\n4,C\n";
        let pieces = [(0..8, 2), (8..17, 3)];
        let b = PopulationBuilder::from_pieces(text, &pieces, |range, piece| {
            let mut at = range.start;
            for line in text[range].split_inclusive('\n') {
                if let Some((id, stratum)) = line.trim_end().split_once(',') {
                    piece.push(at..at + id.len(), 1, stratum).map_err(|e| e.to_string())?;
                }
                at += line.len();
            }
            Ok::<(), String>(())
        })
        .unwrap();
        let p = b.build(text).unwrap();
        let got: Vec<(&str, &str)> = p.entities().map(|e| (p.id(e), p.stratum(e))).collect();
        assert_eq!(got, [("1", "A"), ("2", "B"), ("3", "A"), ("4", "C")]);
        assert_eq!(p.stratum_names(), ["A", "B", "C"]);
    }
}
