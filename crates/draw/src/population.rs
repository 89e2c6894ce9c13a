//! The population of a draw: entities `(id, weight, stratum)` with distinct ids (protocol §2),
//! and its commitment `population_sha256`.
//!
//! Stored by column, ids packed in one string: a ten-million-row population is a handful of
//! allocations, not tens of millions.

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};
use std::fmt::Write as _;
use thiserror::Error;

/// The largest weight accepted: each unit of weight is one more ticket to hash.
pub const MAX_WEIGHT: u32 = 10_000;

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
}

/// Why a list of entities is not a population.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PopulationError {
    /// Positions are 0-based indices in the order entities were added.
    #[error("duplicate id {id:?} (entities {first} and {second})")]
    DuplicateId { id: String, first: usize, second: usize },
    /// `id` is `base#k` and `base` has weight ≥ k: both would get the same ticket.
    #[error(
        "id {id:?} is also ticket name {copy} of {base:?} (weight {weight}); the two would share a ticket"
    )]
    TicketNameCollision { id: String, entity: usize, base: String, copy: u32, weight: u32 },
}

/// Checks a text field that goes into the commitment, where tab and line feed are separators.
fn check_text(field: &'static str, value: &str) -> Result<(), EntityError> {
    if value.chars().any(char::is_control) {
        return Err(EntityError::ControlCharacter { field, value: value.to_owned() });
    }
    if value.trim() != value {
        return Err(EntityError::OuterSpace { field, value: value.to_owned() });
    }
    Ok(())
}

/// Collects and validates entities one by one; [`PopulationBuilder::build`] checks the whole.
#[derive(Debug, Default)]
pub struct PopulationBuilder {
    ids: String,
    id_ends: Vec<usize>,
    weights: Vec<u32>,
    strata: Vec<u32>,
    stratum_names: Vec<String>,
}

impl PopulationBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(entities: usize, id_bytes: usize) -> Self {
        PopulationBuilder {
            ids: String::with_capacity(id_bytes),
            id_ends: Vec::with_capacity(entities),
            weights: Vec::with_capacity(entities),
            strata: Vec::with_capacity(entities),
            stratum_names: Vec::new(),
        }
    }

    /// Adds one entity; nothing is added when it is invalid.
    pub fn push(&mut self, id: &str, weight: u64, stratum: &str) -> Result<(), EntityError> {
        if id.is_empty() {
            return Err(EntityError::EmptyId);
        }
        check_text("id", id)?;
        check_text("stratum", stratum)?;
        if !(1..=u64::from(MAX_WEIGHT)).contains(&weight) {
            return Err(EntityError::Weight(weight));
        }
        let stratum = self.stratum_index(stratum);
        self.ids.push_str(id);
        self.id_ends.push(self.ids.len());
        self.weights.push(weight as u32);
        self.strata.push(stratum);
        Ok(())
    }

    fn stratum_index(&mut self, name: &str) -> u32 {
        // Populations have a handful of strata: a linear scan beats hashing.
        match self.stratum_names.iter().position(|s| s == name) {
            Some(i) => i as u32,
            None => {
                self.stratum_names.push(name.to_owned());
                (self.stratum_names.len() - 1) as u32
            }
        }
    }

    /// Appends another builder's entities after this one's.
    pub fn append(&mut self, other: PopulationBuilder) {
        let base = self.ids.len();
        self.ids.push_str(&other.ids);
        self.id_ends.extend(other.id_ends.iter().map(|e| e + base));
        self.weights.extend_from_slice(&other.weights);
        let remap: Vec<u32> = other.stratum_names.iter().map(|s| self.stratum_index(s)).collect();
        self.strata.extend(other.strata.iter().map(|&s| remap[s as usize]));
    }

    pub fn len(&self) -> usize {
        self.id_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id_ends.is_empty()
    }

    /// Checks that ids are distinct and orders them for the commitment.
    pub fn build(self) -> Result<Population, PopulationError> {
        let mut population = Population {
            ids: self.ids,
            id_ends: self.id_ends,
            weights: self.weights,
            strata: self.strata,
            stratum_names: self.stratum_names,
            by_id: Vec::new(),
        };
        population.by_id = population.sorted_by_id();
        if let Some(pair) = population.by_id.windows(2).find(|w| population.id(w[0]) == population.id(w[1])) {
            let (a, b) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
            return Err(PopulationError::DuplicateId {
                id: population.id(a).to_owned(),
                first: a as usize,
                second: b as usize,
            });
        }
        population.check_ticket_names()?;
        Ok(population)
    }
}

/// A validated population: distinct ids, weights in range, ids and strata free of separators.
#[derive(Debug, Clone)]
pub struct Population {
    ids: String,
    id_ends: Vec<usize>,
    weights: Vec<u32>,
    strata: Vec<u32>,
    stratum_names: Vec<String>,
    /// Entity indices in id (byte) order.
    by_id: Vec<u32>,
}

impl Population {
    pub fn len(&self) -> usize {
        self.id_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id_ends.is_empty()
    }

    pub fn id(&self, entity: u32) -> &str {
        let i = entity as usize;
        let start = if i == 0 { 0 } else { self.id_ends[i - 1] };
        &self.ids[start..self.id_ends[i]]
    }

    pub fn weight(&self, entity: u32) -> u32 {
        self.weights[entity as usize]
    }

    /// The entity's stratum as an index into [`Population::stratum_names`].
    pub fn stratum_index(&self, entity: u32) -> u32 {
        self.strata[entity as usize]
    }

    pub fn stratum(&self, entity: u32) -> &str {
        &self.stratum_names[self.strata[entity as usize] as usize]
    }

    /// The distinct strata, in order of first appearance.
    pub fn stratum_names(&self) -> &[String] {
        &self.stratum_names
    }

    /// Entity indices `0..len`, for iterating.
    pub fn entities(&self) -> std::ops::Range<u32> {
        0..self.len() as u32
    }

    /// The commitment text: `id TAB weight TAB stratum LF` per entity, sorted by id.
    pub fn commitment_text(&self) -> String {
        let mut text = String::with_capacity(self.ids.len() + self.len() * 4);
        for &e in &self.by_id {
            self.write_line(&mut text, e);
        }
        text
    }

    fn write_line(&self, out: &mut String, e: u32) {
        let _ = writeln!(out, "{}\t{}\t{}", self.id(e), self.weight(e), self.stratum(e));
    }

    /// `population_sha256`: lowercase hex SHA-256 of [`Population::commitment_text`].
    pub fn sha256(&self) -> String {
        // Lines are built in parallel, hashed in order, a bounded chunk at a time.
        const LINES_PER_CHUNK: usize = 1 << 16;
        let mut hasher = Sha256::new();
        for group in self.by_id.chunks(LINES_PER_CHUNK * 8) {
            let texts: Vec<String> = group
                .par_chunks(LINES_PER_CHUNK)
                .map(|chunk| {
                    let mut text = String::with_capacity(chunk.len() * 32);
                    for &e in chunk {
                        self.write_line(&mut text, e);
                    }
                    text
                })
                .collect();
            for text in texts {
                hasher.update(text.as_bytes());
            }
        }
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Finds an entity by id.
    pub fn find(&self, id: &str) -> Option<u32> {
        self.by_id.binary_search_by(|&e| self.id(e).cmp(id)).ok().map(|i| self.by_id[i])
    }

    /// Ticket names `id#k` (protocol §2, step 1) must not be another entity's id.
    fn check_ticket_names(&self) -> Result<(), PopulationError> {
        for e in self.entities() {
            let id = self.id(e);
            let Some((base, k)) = id.rsplit_once('#') else { continue };
            // Names are written `#2`, `#3`…: no sign, no leading zero.
            let Ok(copy) = k.parse::<u32>() else { continue };
            if copy < 2 || k.starts_with('0') || !k.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            if let Some(b) = self.find(base).filter(|&b| self.weight(b) >= copy) {
                return Err(PopulationError::TicketNameCollision {
                    id: id.to_owned(),
                    entity: e as usize,
                    base: base.to_owned(),
                    copy,
                    weight: self.weight(b),
                });
            }
        }
        Ok(())
    }

    /// Entity indices sorted by id bytes. Sorts 16-byte prefixes as integers and reads whole
    /// ids only when two prefixes are equal (ids hold no NUL, so zero padding keeps the order).
    fn sorted_by_id(&self) -> Vec<u32> {
        let mut keys: Vec<(u128, u32)> = self
            .entities()
            .into_par_iter()
            .map(|e| {
                let mut head = [0u8; 16];
                let id = self.id(e).as_bytes();
                let n = id.len().min(16);
                head[..n].copy_from_slice(&id[..n]);
                (u128::from_be_bytes(head), e)
            })
            .collect();
        keys.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| self.id(a.1).cmp(self.id(b.1))));
        keys.into_iter().map(|(_, e)| e).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population(rows: &[(&str, u64, &str)]) -> Result<Population, PopulationError> {
        let mut b = PopulationBuilder::new();
        for &(id, w, s) in rows {
            b.push(id, w, s).unwrap();
        }
        b.build()
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
    fn ids_sharing_a_long_prefix_sort_by_their_tails() {
        let ids = ["914103070000000000B", "914103070000000000", "914103070000000000A", "9141030700000000"];
        let p = population(&ids.map(|id| (id, 1, ""))).unwrap();
        let sorted: Vec<&str> = p.by_id.iter().map(|&e| p.id(e)).collect();
        let mut expected = ids.to_vec();
        expected.sort();
        assert_eq!(sorted, expected);
    }

    #[test]
    fn duplicates_are_named_with_both_positions() {
        let err = population(&[("x", 1, ""), ("y", 1, ""), ("x", 2, "")]).unwrap_err();
        assert_eq!(err, PopulationError::DuplicateId { id: "x".into(), first: 0, second: 2 });
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
        assert_eq!(b.push("", 1, ""), Err(EntityError::EmptyId));
        assert!(matches!(b.push("a\tb", 1, ""), Err(EntityError::ControlCharacter { .. })));
        assert!(matches!(b.push("a", 1, "x\n"), Err(EntityError::ControlCharacter { .. })));
        assert!(matches!(b.push(" a", 1, ""), Err(EntityError::OuterSpace { .. })));
        assert_eq!(b.push("a", 0, ""), Err(EntityError::Weight(0)));
        assert_eq!(b.push("a", 10_001, ""), Err(EntityError::Weight(10_001)));
        assert!(b.is_empty());
    }

    #[test]
    fn appended_builders_remap_strata() {
        let mut a = PopulationBuilder::new();
        a.push("1", 1, "A").unwrap();
        let mut b = PopulationBuilder::new();
        b.push("2", 1, "B").unwrap();
        b.push("3", 1, "A").unwrap();
        a.append(b);
        let p = a.build().unwrap();
        assert_eq!((p.id(2), p.stratum(2), p.stratum(1)), ("3", "A", "B"));
    }
}
