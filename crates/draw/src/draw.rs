//! Drawing targets: `suiji-draw/1` (protocol §2).

use crate::population::Population;
use crate::rule::SizeRule;
use crate::ticket::{TicketHasher, first_digit, prefix, ticket_name, ticket_string};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use suiji_domain::rules::RATIO_BP_FULL;
use thiserror::Error;

pub const DRAW_PROTOCOL: &str = "suiji-draw/1";

/// The result of a draw: everything needed to re-run it but the population file, whose hash it
/// names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DrawDocument {
    pub protocol: String,
    pub seed: String,
    pub population_sha256: String,
    pub population_size: u64,
    pub rule: SizeRule,
    pub selected: Vec<Selection>,
    /// The next entities of the ranking, in order, to replace selected ones found gone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reserve: Vec<Selection>,
}

/// One ranked entity of a draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Selection {
    pub rank: u64,
    pub id: String,
    pub ticket: String,
    /// The name (`id` or `id#k`) whose ticket was the entity's smallest.
    pub ticket_name: String,
    pub stratum: String,
}

/// Why a draw cannot be made. Nothing is drawn when any of these occurs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DrawError {
    #[error("the population is empty")]
    EmptyPopulation,
    #[error("size must be at least 1")]
    ZeroSize,
    #[error("size {size} is larger than the population ({population} entities)")]
    SizeTooLarge { size: u64, population: u64 },
    #[error("ratio must be from 1 to {RATIO_BP_FULL} basis points, found {0}")]
    RatioOutOfRange(u32),
    #[error("quotas name no stratum")]
    NoQuotas,
    #[error("quota for stratum {0:?} must be at least 1")]
    ZeroQuota(String),
    #[error("quota of {quota} for stratum {stratum:?} cannot be filled: it has {available} entities")]
    QuotaUnfillable { stratum: String, quota: u64, available: u64 },
    #[error("reserve of {reserve} is more than the {remaining} entities left after the selection")]
    ReserveTooLarge { reserve: u64, remaining: u64 },
}

/// Draws from `population` with `seed` by `rule`, and ranks `reserve` more entities after it.
pub fn draw(
    population: &Population,
    seed: &str,
    rule: &SizeRule,
    reserve: u64,
) -> Result<DrawDocument, DrawError> {
    let n = population.len() as u64;
    check_rule(population, rule)?;
    let count = rule.count(n);
    let remaining = n - count;
    if reserve > remaining {
        return Err(DrawError::ReserveTooLarge { reserve, remaining });
    }
    let reserve = reserve as usize;
    let ranking = Ranking { population, hasher: TicketHasher::new(seed) };
    // How many of each bucket's best keys can end up in the result: for a quota draw a bucket
    // is a stratum, whose first `quota` are selected and whose next `reserve` may be reserves.
    let keep: Vec<usize> = match rule {
        SizeRule::Quotas(quotas) => population
            .stratum_names()
            .iter()
            .map(|s| quotas.get(s).map_or(0, |&q| q as usize) + reserve)
            .collect(),
        _ => vec![count as usize + reserve],
    };
    // The population's hash and the tickets are independent: compute them side by side.
    let (population_sha256, mut buckets) = rayon::join(
        || population.sha256().to_owned(),
        || ranking.best_keys(&keep, matches!(rule, SizeRule::Quotas(_))),
    );
    let (selected, reserved) = match rule {
        SizeRule::Quotas(quotas) => {
            let mut selected = Vec::new();
            let mut reserve_candidates = Vec::new();
            for (stratum, bucket) in population.stratum_names().iter().zip(&mut buckets) {
                let quota = quotas.get(stratum).map_or(0, |&q| q as usize);
                ranking.sort(bucket);
                selected.extend_from_slice(&bucket[..quota]);
                reserve_candidates.extend_from_slice(&bucket[quota..]);
            }
            ranking.sort(&mut selected);
            ranking.partial_sort(&mut reserve_candidates, reserve);
            reserve_candidates.truncate(reserve);
            (selected, reserve_candidates)
        }
        _ => {
            let mut keys = buckets.pop().expect("one bucket");
            ranking.sort(&mut keys);
            let reserved = keys.split_off(count as usize);
            (keys, reserved)
        }
    };
    Ok(DrawDocument {
        protocol: DRAW_PROTOCOL.to_owned(),
        seed: seed.to_owned(),
        population_sha256,
        population_size: n,
        rule: rule.clone(),
        reserve: ranking.selections(&reserved, selected.len() as u64),
        selected: ranking.selections(&selected, 0),
    })
}

/// Checks that `rule` can be served by `population`, before any ticket is computed.
fn check_rule(population: &Population, rule: &SizeRule) -> Result<(), DrawError> {
    let n = population.len() as u64;
    if n == 0 {
        return Err(DrawError::EmptyPopulation);
    }
    match rule {
        SizeRule::Size(0) => Err(DrawError::ZeroSize),
        SizeRule::Size(size) if *size > n => Err(DrawError::SizeTooLarge { size: *size, population: n }),
        SizeRule::Size(_) => Ok(()),
        SizeRule::RatioBp(r) if !(1..=RATIO_BP_FULL).contains(r) => Err(DrawError::RatioOutOfRange(*r)),
        SizeRule::RatioBp(_) => Ok(()),
        SizeRule::Quotas(quotas) => {
            if quotas.is_empty() {
                return Err(DrawError::NoQuotas);
            }
            let mut available = vec![0u64; population.stratum_names().len()];
            for e in population.entities() {
                available[usize::from(population.stratum_index(e))] += 1;
            }
            for (stratum, &quota) in quotas {
                if quota == 0 {
                    return Err(DrawError::ZeroQuota(stratum.clone()));
                }
                let available =
                    population.stratum_names().iter().position(|s| s == stratum).map_or(0, |i| available[i]);
                if available < quota {
                    return Err(DrawError::QuotaUnfillable { stratum: stratum.clone(), quota, available });
                }
            }
            Ok(())
        }
    }
}

/// An entity's place in the ranking: its smallest ticket (as a prefix) and the copy it came from.
#[derive(Debug, Clone, Copy)]
struct Key {
    prefix: u64,
    entity: u32,
    copy: u32,
}

/// One thread's best keys so far for one bucket.
struct Bucket {
    keys: Vec<Key>,
    keep: usize,
    /// Once trimmed, the prefix of the worst key kept: a key with a greater prefix cannot be
    /// among the best, and is not even pushed.
    ceiling: u64,
}

impl Bucket {
    /// Keeps the `keep` best keys.
    fn trim(&mut self, ranking: &Ranking<'_>) {
        if self.keys.len() <= self.keep {
            return;
        }
        if self.keep == 0 {
            self.keys.clear();
            return;
        }
        let (_, worst, _) = self.keys.select_nth_unstable_by(self.keep - 1, |a, b| ranking.cmp(a, b));
        self.ceiling = self.ceiling.min(worst.prefix);
        self.keys.truncate(self.keep);
    }
}

/// Ranks a population's entities under one seed.
struct Ranking<'p> {
    population: &'p Population,
    hasher: TicketHasher,
}

impl Ranking<'_> {
    fn id(&self, key: &Key) -> &str {
        self.population.id(key.entity)
    }

    fn ticket(&self, key: &Key) -> String {
        ticket_string(&self.hasher.digest_copy(self.id(key).as_bytes(), key.copy))
    }

    fn ticket_name(&self, key: &Key) -> String {
        ticket_name(self.id(key), key.copy)
    }

    /// The ranking order: by ticket, then by ticket name (protocol §2, step 3).
    #[inline]
    fn cmp(&self, a: &Key, b: &Key) -> Ordering {
        a.prefix
            .cmp(&b.prefix)
            .then_with(|| self.ticket(a).cmp(&self.ticket(b)))
            .then_with(|| self.ticket_name(a).cmp(&self.ticket_name(b)))
    }

    /// An entity's key, the smallest of its `weight` tickets, when its prefix is at most
    /// `ceiling`. A ticket whose first digit already puts it above the ceiling is passed over
    /// without computing its prefix: for a 5% draw that is nine tickets in ten.
    fn key_within(&self, entity: u32, ceiling: u64) -> Option<Key> {
        const DIGIT: u64 = 1_000_000_000_000_000_000;
        let mut buf = [0; 24];
        let id = self.population.id_bytes(entity, &mut buf);
        let mut best: Option<Key> = None;
        for copy in 1..=self.population.weight(entity) {
            let digest = self.hasher.digest_copy(id, copy);
            if first_digit(&digest) * DIGIT > ceiling {
                continue;
            }
            let candidate = Key { prefix: prefix(&digest), entity, copy };
            if candidate.prefix <= ceiling && best.is_none_or(|b| self.cmp(&candidate, &b) == Ordering::Less)
            {
                best = Some(candidate);
            }
        }
        best
    }

    /// For each bucket (a stratum when `by_stratum`, else one for all), its `keep[b]` best keys,
    /// unordered. Each thread keeps a bounded list per bucket and trims it when it doubles, so
    /// memory follows what is kept, not the population.
    fn best_keys(&self, keep: &[usize], by_stratum: bool) -> Vec<Vec<Key>> {
        let bucket_of = |e: u32| if by_stratum { usize::from(self.population.stratum_index(e)) } else { 0 };
        let new_buckets = || -> Vec<Bucket> {
            keep.iter().map(|&k| Bucket { keys: Vec::new(), keep: k, ceiling: u64::MAX }).collect()
        };
        // A few chunks a thread: each one's lists live long enough to be trimmed.
        let n = self.population.len() as u32;
        let chunk = (n / (rayon::current_num_threads() as u32 * 4)).max(1 << 12);
        let buckets = (0..n.div_ceil(chunk))
            .into_par_iter()
            .map(|c| {
                let mut buckets = new_buckets();
                for e in c * chunk..(c * chunk + chunk).min(n) {
                    let bucket = &mut buckets[bucket_of(e)];
                    if bucket.keep == 0 {
                        continue;
                    }
                    if let Some(key) = self.key_within(e, bucket.ceiling) {
                        bucket.keys.push(key);
                        if bucket.keys.len() >= 2 * bucket.keep + 1024 {
                            bucket.trim(self);
                        }
                    }
                }
                buckets
            })
            .reduce(new_buckets, |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    x.keys.extend(y.keys);
                    x.trim(self);
                }
                a
            });
        buckets
            .into_iter()
            .map(|mut b| {
                b.trim(self);
                b.keys
            })
            .collect()
    }

    /// Sorts keys in ranking order.
    fn sort(&self, keys: &mut [Key]) {
        keys.par_sort_unstable_by(|a, b| self.cmp(a, b));
    }

    /// Puts the `n` smallest keys, in ranking order, at the front of `keys`.
    fn partial_sort(&self, keys: &mut [Key], n: usize) {
        if n == 0 {
            return;
        }
        if n < keys.len() {
            keys.select_nth_unstable_by(n - 1, |a, b| self.cmp(a, b));
        }
        self.sort(&mut keys[..n]);
    }

    /// Document entries for `keys`, ranked from `first_rank + 1`.
    fn selections(&self, keys: &[Key], first_rank: u64) -> Vec<Selection> {
        keys.par_iter()
            .enumerate()
            .map(|(i, key)| Selection {
                rank: first_rank + i as u64 + 1,
                id: self.id(key).to_owned(),
                ticket: self.ticket(key),
                ticket_name: self.ticket_name(key),
                stratum: self.population.stratum(key.entity).to_owned(),
            })
            .collect()
    }
}
