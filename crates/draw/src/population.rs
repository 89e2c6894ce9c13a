//! The population of a draw: entities `(id, weight, stratum)` with distinct ids (protocol §2),
//! and its commitment `population_sha256`.
//!
//! A population keeps the text its ids were read from and refers to each id by its byte range:
//! a ten-million-row file is not copied, and an entity is 16 bytes.

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};
use std::cmp::Ordering;
use std::io::Write as _;
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

/// Why a list of entities is not a population. Entities are numbered from 0 in the order they
/// were added.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PopulationError {
    #[error("duplicate id {id:?} (entities {first} and {second})")]
    DuplicateId { id: String, first: usize, second: usize },
    /// `id` is `base#k` and `base` has weight ≥ k: both would get the same ticket.
    #[error(
        "id {id:?} is also ticket name {copy} of {base:?} (weight {weight}); the two would share a ticket"
    )]
    TicketNameCollision { id: String, entity: usize, base: String, copy: u32, weight: u32 },
}

/// Why rows given in memory are not a population.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RowsError {
    /// The row's position, from 0.
    #[error("row {0}: {1}")]
    Entity(usize, EntityError),
    #[error(transparent)]
    Population(#[from] PopulationError),
}

/// Checks a text field that goes into the commitment, where tab and line feed are separators.
fn check_text(field: &'static str, value: &str) -> Result<(), EntityError> {
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

/// One entity: its id as a byte range of the population's text.
#[derive(Debug, Clone, Copy)]
struct Entity {
    start: u64,
    len: u32,
    weight: u16,
    stratum: u16,
}

impl Entity {
    fn range(&self) -> Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// Collects and validates entities one by one, for a text that [`PopulationBuilder::build`]
/// receives at the end. Builders for parts of one text can be parsed in parallel and appended.
#[derive(Debug, Default)]
pub struct PopulationBuilder {
    entities: Vec<Entity>,
    stratum_names: Vec<String>,
}

impl PopulationBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(entities: usize) -> Self {
        PopulationBuilder { entities: Vec::with_capacity(entities), stratum_names: Vec::new() }
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
        let id_text = &text[id.clone()];
        if id_text.is_empty() {
            return Err(EntityError::EmptyId);
        }
        check_text("id", id_text)?;
        if !(1..=u64::from(MAX_WEIGHT)).contains(&weight) {
            return Err(EntityError::Weight(weight));
        }
        let stratum = self.stratum_index(stratum)?;
        self.entities.push(Entity {
            start: id.start as u64,
            len: u32::try_from(id.len()).expect("an id under 4 GiB"),
            weight: weight as u16,
            stratum,
        });
        Ok(())
    }

    fn stratum_index(&mut self, name: &str) -> Result<u16, EntityError> {
        // Populations have a handful of strata, and rows of one stratum often come together.
        if let Some(i) = self.stratum_names.iter().rposition(|s| s == name) {
            return Ok(i as u16);
        }
        check_text("stratum", name)?;
        if self.stratum_names.len() == MAX_STRATA {
            return Err(EntityError::TooManyStrata);
        }
        self.stratum_names.push(name.to_owned());
        Ok((self.stratum_names.len() - 1) as u16)
    }

    /// Appends the entities of a builder for a later part of the same text.
    pub fn append(&mut self, other: PopulationBuilder) -> Result<(), EntityError> {
        let remap =
            other.stratum_names.iter().map(|s| self.stratum_index(s)).collect::<Result<Vec<u16>, _>>()?;
        self.entities
            .extend(other.entities.iter().map(|e| Entity { stratum: remap[e.stratum as usize], ..*e }));
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Checks the whole (ids distinct, no id equal to another's ticket name) and computes the
    /// commitment. `text` is what the ids' ranges refer to.
    pub fn build<T>(self, text: T) -> Result<Population, PopulationError>
    where
        T: AsRef<str> + Send + Sync + 'static,
    {
        let mut population = Population {
            text: Box::new(text),
            entities: self.entities,
            stratum_names: self.stratum_names,
            sha256: String::new(),
        };
        population.sha256 = population.commit()?;
        Ok(population)
    }
}

/// A validated population: distinct ids, weights in range, ids and strata free of separators.
pub struct Population {
    text: Box<dyn AsRef<str> + Send + Sync>,
    entities: Vec<Entity>,
    stratum_names: Vec<String>,
    sha256: String,
}

impl std::fmt::Debug for Population {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Population").field("len", &self.len()).field("sha256", &self.sha256).finish()
    }
}

impl Population {
    /// Builds a population from rows held in memory (tests, services): `(id, weight, stratum)`.
    pub fn from_rows<'r>(
        rows: impl IntoIterator<Item = (&'r str, u64, &'r str)>,
    ) -> Result<Population, RowsError> {
        let rows: Vec<_> = rows.into_iter().collect();
        let mut text = String::with_capacity(rows.iter().map(|r| r.0.len()).sum());
        let mut builder = PopulationBuilder::with_capacity(rows.len());
        let mut ranges = Vec::with_capacity(rows.len());
        for (id, _, _) in &rows {
            ranges.push(text.len()..text.len() + id.len());
            text.push_str(id);
        }
        for (i, ((_, weight, stratum), range)) in rows.iter().zip(ranges).enumerate() {
            builder.push(&text, range, *weight, stratum).map_err(|e| RowsError::Entity(i, e))?;
        }
        Ok(builder.build(text)?)
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The text the ids were read from.
    pub fn text(&self) -> &str {
        (*self.text).as_ref()
    }

    pub fn id(&self, entity: u32) -> &str {
        &self.text()[self.entities[entity as usize].range()]
    }

    /// The byte offset of the entity's id in [`Population::text`] (to find its row in a file).
    pub fn id_offset(&self, entity: u32) -> usize {
        self.entities[entity as usize].start as usize
    }

    pub fn weight(&self, entity: u32) -> u32 {
        u32::from(self.entities[entity as usize].weight)
    }

    /// The entity's stratum as an index into [`Population::stratum_names`].
    pub fn stratum_index(&self, entity: u32) -> u16 {
        self.entities[entity as usize].stratum
    }

    pub fn stratum(&self, entity: u32) -> &str {
        &self.stratum_names[usize::from(self.stratum_index(entity))]
    }

    /// The distinct strata, in order of first appearance.
    pub fn stratum_names(&self) -> &[String] {
        &self.stratum_names
    }

    /// Entity indices `0..len`, in the order they were added.
    pub fn entities(&self) -> Range<u32> {
        0..self.len() as u32
    }

    /// `population_sha256`: lowercase hex SHA-256 of [`Population::commitment_text`].
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The commitment text: `id TAB weight TAB stratum LF` per entity, sorted by id (byte order).
    pub fn commitment_text(&self) -> String {
        let mut text = Vec::new();
        for key in self.sorted_by_id() {
            self.write_line(&mut text, key.entity);
        }
        String::from_utf8(text).expect("ids and strata are UTF-8")
    }

    fn write_line(&self, out: &mut Vec<u8>, e: u32) {
        let _ = writeln!(out, "{}\t{}\t{}", self.id(e), self.weight(e), self.stratum(e));
    }

    /// Sorts by id, checks ids, and hashes the commitment text, all in one walk of the sorted
    /// order: lines are built in parallel, a group at a time, while the previous group is hashed.
    fn commit(&self) -> Result<String, PopulationError> {
        const LINES_PER_CHUNK: usize = 1 << 15;
        const CHUNKS_PER_GROUP: usize = 16;
        let sorted = self.sorted_by_id();
        let mut hasher = Sha256::new();
        let mut hashed: Vec<Vec<u8>> = Vec::new();
        for (g, group) in sorted.chunks(LINES_PER_CHUNK * CHUNKS_PER_GROUP).enumerate() {
            let start = g * LINES_PER_CHUNK * CHUNKS_PER_GROUP;
            let (_, texts) = rayon::join(
                || hashed.drain(..).for_each(|t| hasher.update(&t)),
                || {
                    group
                        .par_chunks(LINES_PER_CHUNK)
                        .enumerate()
                        .map(|(c, chunk)| {
                            // The key before this chunk, to compare ids across the boundary.
                            let at = start + c * LINES_PER_CHUNK;
                            let before = at.checked_sub(1).map(|i| sorted[i]);
                            self.lines(before, chunk)
                        })
                        .collect::<Result<Vec<Vec<u8>>, PopulationError>>()
                },
            );
            hashed = texts?;
        }
        hashed.drain(..).for_each(|t| hasher.update(&t));
        self.check_ticket_names(&sorted)?;
        Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The commitment lines of `chunk`, checking that each id differs from the one before it.
    fn lines(&self, mut before: Option<SortKey>, chunk: &[SortKey]) -> Result<Vec<u8>, PopulationError> {
        let mut text = Vec::with_capacity(chunk.len() * 32);
        for &key in chunk {
            if let Some(prev) = before
                && self.cmp_keys(&prev, &key) == Ordering::Equal
            {
                let (first, second) = (prev.entity.min(key.entity), prev.entity.max(key.entity));
                return Err(PopulationError::DuplicateId {
                    id: self.id(key.entity).to_owned(),
                    first: first as usize,
                    second: second as usize,
                });
            }
            let e = self.entities[key.entity as usize];
            text.extend_from_slice(self.text()[e.range()].as_bytes());
            text.push(b'\t');
            text.extend_from_slice(itoa(u32::from(e.weight), &mut [0; 10]));
            text.push(b'\t');
            text.extend_from_slice(self.stratum_names[usize::from(e.stratum)].as_bytes());
            text.push(b'\n');
            before = Some(key);
        }
        Ok(text)
    }

    /// Ticket names `id#k` (protocol §2, step 1) must not be another entity's id.
    fn check_ticket_names(&self, sorted: &[SortKey]) -> Result<(), PopulationError> {
        let find = |id: &str| {
            let probe = SortKey::new(id, u32::MAX);
            sorted
                .binary_search_by(|k| k.head.cmp(&probe.head).then_with(|| self.id(k.entity).cmp(id)))
                .ok()
                .map(|i| sorted[i].entity)
        };
        let text = self.text();
        for (e, entity) in self.entities.iter().enumerate() {
            let id = &text[entity.range()];
            if !id.contains('#') {
                continue;
            }
            let Some((base, k)) = id.rsplit_once('#') else { continue };
            // Names are written `#2`, `#3`…: digits only, no leading zero.
            if k.is_empty() || k.starts_with('0') || !k.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Ok(copy) = k.parse::<u32>() else { continue };
            if let Some(b) = find(base).filter(|&b| copy >= 2 && self.weight(b) >= copy) {
                return Err(PopulationError::TicketNameCollision {
                    id: id.to_owned(),
                    entity: e,
                    base: base.to_owned(),
                    copy,
                    weight: self.weight(b),
                });
            }
        }
        Ok(())
    }

    /// Orders by id bytes: by the 16-byte heads, and by whole ids only when those are equal.
    fn cmp_keys(&self, a: &SortKey, b: &SortKey) -> Ordering {
        a.head.cmp(&b.head).then_with(|| self.id(a.entity).cmp(self.id(b.entity)))
    }

    fn sorted_by_id(&self) -> Vec<SortKey> {
        let text = self.text();
        let mut keys: Vec<SortKey> = self
            .entities
            .par_iter()
            .enumerate()
            .map(|(i, e)| SortKey::new(&text[e.range()], i as u32))
            .collect();
        keys.par_sort_unstable_by(|a, b| self.cmp_keys(a, b));
        keys
    }
}

/// An entity's place in id order: the first 16 bytes of its id as two big-endian integers
/// (zero-padded; ids hold no NUL, so padding sorts before any byte), compared without touching
/// the text.
#[derive(Debug, Clone, Copy)]
struct SortKey {
    head: [u64; 2],
    entity: u32,
}

impl SortKey {
    fn new(id: &str, entity: u32) -> SortKey {
        let mut head = [0u8; 16];
        let n = id.len().min(16);
        head[..n].copy_from_slice(&id.as_bytes()[..n]);
        SortKey {
            head: [
                u64::from_be_bytes(head[..8].try_into().expect("8 bytes")),
                u64::from_be_bytes(head[8..].try_into().expect("8 bytes")),
            ],
            entity,
        }
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

    fn population(rows: &[(&str, u64, &str)]) -> Result<Population, PopulationError> {
        let text: String = rows.iter().map(|r| r.0).collect();
        let mut b = PopulationBuilder::new();
        let mut at = 0;
        for &(id, w, s) in rows {
            b.push(&text, at..at + id.len(), w, s).unwrap();
            at += id.len();
        }
        b.build(text)
    }

    #[test]
    fn commitment_lines_are_sorted_by_id_bytes() {
        let p = population(&[("b", 2, "B"), ("個", 1, ""), ("a", 1, "A"), ("B", 4, "C")]).unwrap();
        assert_eq!(p.commitment_text(), "B\t4\tC\na\t1\tA\nb\t2\tB\n個\t1\t\n");
        let expected: String =
            Sha256::digest(p.commitment_text().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(p.sha256(), expected);
    }

    #[test]
    fn the_commitment_is_the_same_in_every_chunking() {
        // More lines than one chunk and one group, so boundaries are crossed.
        let ids: Vec<String> =
            (0..600_000u64).map(|i| format!("9141030{:011}", (i * 7919) % 1_000_003)).collect();
        let rows: Vec<(&str, u64, &str)> =
            ids.iter().map(|id| (id.as_str(), 1 + (id.len() as u64 % 3), "x")).collect();
        let p = population(&rows).unwrap();
        let expected: String =
            Sha256::digest(p.commitment_text().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(p.sha256(), expected);
    }

    #[test]
    fn ids_sharing_a_long_prefix_sort_by_their_tails() {
        let ids = ["914103070000000000B", "914103070000000000", "914103070000000000A", "9141030700000000"];
        let p = population(&ids.map(|id| (id, 1, ""))).unwrap();
        let mut expected = ids.to_vec();
        expected.sort();
        let text: String = expected.iter().map(|id| format!("{id}\t1\t\n")).collect();
        assert_eq!(p.commitment_text(), text);
    }

    #[test]
    fn duplicates_are_named_with_both_positions() {
        let err = population(&[("x", 1, ""), ("y", 1, ""), ("x", 2, "")]).unwrap_err();
        assert_eq!(err, PopulationError::DuplicateId { id: "x".into(), first: 0, second: 2 });
        // Across chunk boundaries too.
        let mut ids: Vec<String> = (0..100_000).map(|i| format!("{i:08}")).collect();
        ids.push("00077777".into());
        let rows: Vec<(&str, u64, &str)> = ids.iter().map(|id| (id.as_str(), 1, "")).collect();
        let err = population(&rows).unwrap_err();
        assert_eq!(
            err,
            PopulationError::DuplicateId { id: "00077777".into(), first: 77777, second: 100_000 }
        );
    }

    #[test]
    fn an_id_equal_to_another_entitys_ticket_name_is_refused() {
        let err = population(&[("A", 2, ""), ("A#2", 1, "")]).unwrap_err();
        assert!(
            matches!(err, PopulationError::TicketNameCollision { entity: 1, copy: 2, weight: 2, .. }),
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
        assert!(b.is_empty());
    }

    #[test]
    fn appended_builders_remap_strata() {
        let text = "123";
        let mut a = PopulationBuilder::new();
        a.push(text, 0..1, 1, "A").unwrap();
        let mut b = PopulationBuilder::new();
        b.push(text, 1..2, 1, "B").unwrap();
        b.push(text, 2..3, 1, "A").unwrap();
        a.append(b).unwrap();
        let p = a.build(text).unwrap();
        assert_eq!((p.id(2), p.stratum(2), p.stratum(1)), ("3", "A", "B"));
    }
}
