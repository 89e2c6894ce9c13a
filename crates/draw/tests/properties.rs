//! Properties of the draw and the assignment that hold for every input.

use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use suiji_draw::*;

type Rows = Vec<(String, u64, String)>;

fn population(rows: &[(String, u64, String)]) -> Population {
    Population::from_rows(rows.iter().map(|(id, w, s)| (id.as_str(), *w, s.as_str()))).unwrap()
}

/// Populations of distinct ids (USCC-like and 个体 names), weights 1 to 4, strata A to C.
fn rows(max: usize) -> impl Strategy<Value = Rows> {
    proptest::collection::btree_map(
        "(9[1-3]41[0-9]{4}[0-9A-Z]{10})|(个体-[0-9]{1,6})",
        (1u64..=4, "[ABC]"),
        1..max,
    )
    .prop_map(|m| m.into_iter().map(|(id, (w, s))| (id, w, s)).collect())
}

fn full_ranking(p: &Population, seed: &str) -> Vec<String> {
    draw(p, seed, &SizeRule::Size(p.len() as u64), 0).unwrap().selected.into_iter().map(|s| s.id).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn shuffling_the_rows_changes_nothing(rows in rows(60), seed in "[0-9]{20}", shuffle in any::<u64>(), reserve in 0u64..3) {
        let mut shuffled = rows.clone();
        // A deterministic shuffle (rows are sorted by id as generated).
        shuffled.sort_by_key(|(id, _, _)| {
            let mut h = shuffle;
            for b in id.bytes() { h = h.wrapping_mul(0x100000001b3).wrapping_add(u64::from(b)); }
            h
        });
        let (a, b) = (population(&rows), population(&shuffled));
        let k = (rows.len() as u64 / 2).max(1);
        let reserve = reserve.min(rows.len() as u64 - k);
        prop_assert_eq!(draw(&a, &seed, &SizeRule::Size(k), reserve), draw(&b, &seed, &SizeRule::Size(k), reserve));
        prop_assert_eq!(a.sha256(), b.sha256());
        let mut quotas = BTreeMap::new();
        for (_, _, s) in &rows { *quotas.entry(s.clone()).or_insert(0) = 1; }
        prop_assert_eq!(draw(&a, &seed, &SizeRule::Quotas(quotas.clone()), 0), draw(&b, &seed, &SizeRule::Quotas(quotas), 0));
    }

    #[test]
    fn a_subset_ranks_as_the_superset_filtered(rows in rows(60), seed in "[0-9]{20}", keep in any::<u64>()) {
        let subset: Rows = rows.iter().enumerate().filter(|(i, _)| keep >> (i % 64) & 1 == 1).map(|(_, r)| r.clone()).collect();
        prop_assume!(!subset.is_empty());
        let kept: HashSet<&String> = subset.iter().map(|r| &r.0).collect();
        let filtered: Vec<String> = full_ranking(&population(&rows), &seed).into_iter().filter(|id| kept.contains(id)).collect();
        prop_assert_eq!(full_ranking(&population(&subset), &seed), filtered);
    }

    #[test]
    fn quotas_take_each_stratum_in_ranking_order(rows in rows(60), seed in "[0-9]{20}", reserve in 0u64..4) {
        let p = population(&rows);
        let mut quotas: BTreeMap<String, u64> = BTreeMap::new();
        for (_, _, s) in &rows { *quotas.entry(s.clone()).or_insert(0) += 1; }
        for q in quotas.values_mut() { *q = (*q / 2).max(1); }
        let taken: u64 = quotas.values().sum();
        let reserve = reserve.min(rows.len() as u64 - taken);
        let doc = draw(&p, &seed, &SizeRule::Quotas(quotas.clone()), reserve).unwrap();
        // Walk the full ranking the way the protocol describes.
        let full = draw(&p, &seed, &SizeRule::Size(p.len() as u64), 0).unwrap().selected;
        let mut left = quotas.clone();
        let mut expected = Vec::new();
        let mut skipped = Vec::new();
        for s in full {
            match left.get_mut(&s.stratum) {
                Some(q) if *q > 0 => { *q -= 1; expected.push(s.id); }
                _ => skipped.push(s.id),
            }
        }
        prop_assert_eq!(doc.selected.iter().map(|s| s.id.clone()).collect::<Vec<_>>(), expected);
        prop_assert_eq!(doc.selected.iter().map(|s| s.rank).collect::<Vec<_>>(), (1..=taken).collect::<Vec<_>>());
        prop_assert_eq!(doc.reserve.iter().map(|s| s.id.clone()).collect::<Vec<_>>(), skipped[..reserve as usize].to_vec());
    }

    #[test]
    fn assignments_respect_recusals_team_size_and_balance(
        rows in rows(40), seed in "[0-9]{20}", pool in 2usize..15, g in 2u32..4, recuse in any::<u64>(),
    ) {
        let p = population(&rows);
        let d = draw(&p, &seed, &SizeRule::Size(p.len() as u64), 0).unwrap();
        let inspectors: Vec<Inspector> = (0..pool.max(g as usize))
            .map(|i| Inspector { id: format!("JC{i:04}"), department: ["人社局", "市场监管局"][i % 2].into() })
            .collect();
        // Without recusals or a cap, loads stay within one of each other.
        let a = assign(&d, &inspectors, &[], &TeamRule::Size(g), None).unwrap();
        let mut load: HashMap<&str, u32> = inspectors.iter().map(|i| (i.id.as_str(), 0)).collect();
        for team in &a.teams {
            prop_assert_eq!(team.inspectors.len(), g as usize);
            prop_assert_eq!(team.inspectors.iter().collect::<HashSet<_>>().len(), g as usize);
            for i in &team.inspectors { *load.get_mut(i.as_str()).unwrap() += 1; }
        }
        let (max, min) = (load.values().max().unwrap(), load.values().min().unwrap());
        prop_assert!(max - min <= 1, "loads from {} to {}", min, max);

        // With recusals, no recused inspector is ever on that target's team.
        let recusals: Vec<Recusal> = d.selected.iter().enumerate().flat_map(|(t, s)| {
            inspectors.iter().enumerate()
                .filter(move |(i, _)| (recuse >> ((t * 7 + i) % 64)) & 1 == 1 && i % 3 == 0)
                .map(|(_, insp)| Recusal { inspector_id: insp.id.clone(), target_id: s.id.clone() })
        }).collect();
        let recused: HashSet<(&str, &str)> = recusals.iter().map(|r| (r.inspector_id.as_str(), r.target_id.as_str())).collect();
        match assign(&d, &inspectors, &recusals, &TeamRule::Size(g), None) {
            Ok(a) => for team in &a.teams {
                prop_assert!(team.inspectors.len() >= 2);
                for i in &team.inspectors {
                    let pair = (i.as_str(), team.target.as_str());
                    prop_assert!(!recused.contains(&pair), "{:?} is recused", pair);
                }
            },
            Err(e) => prop_assert!(matches!(e, AssignError::NotEnoughInspectors { .. }), "{}", e),
        }
    }
}

#[test]
fn teams_under_two_are_refused() {
    let p = population(&[("a".into(), 1, String::new())]);
    let d = draw(&p, "1", &SizeRule::Size(1), 0).unwrap();
    let pool: Vec<Inspector> =
        (0..3).map(|i| Inspector { id: format!("{i}"), department: "人社局".into() }).collect();
    assert_eq!(assign(&d, &pool, &[], &TeamRule::Size(1), None), Err(AssignError::TeamTooSmall(1)));
    let one = TeamRule::Require(BTreeMap::from([("人社局".to_owned(), 1)]));
    assert_eq!(assign(&d, &pool, &[], &one, None), Err(AssignError::TeamTooSmall(1)));
}

/// A weight-w entity comes first w times as often as a weight-1 one: over 21,000 fixed seeds,
/// which weight class ranks first, against the expected 1 : 2 : 4, by a chi-square test.
#[test]
fn weights_make_entities_proportionally_likely_to_come_first() {
    let rows: Rows = (0..30).map(|i| (format!("E{i:02}"), [1, 2, 4][i % 3], String::new())).collect();
    let p = population(&rows);
    let seeds = 21_000;
    let mut firsts = [0u32; 3];
    for s in 0..seeds {
        let first = &draw(&p, &format!("{s:020}"), &SizeRule::Size(1), 0).unwrap().selected[0];
        let i: usize = first.id[1..].parse().unwrap();
        firsts[i % 3] += 1;
    }
    let expected = [1.0, 2.0, 4.0].map(|w| f64::from(seeds) * w / 7.0);
    let chi2: f64 = firsts.iter().zip(expected).map(|(&o, e)| (f64::from(o) - e).powi(2) / e).sum();
    // 13.82 is the 0.1% critical value for 2 degrees of freedom.
    assert!(
        chi2 < 13.82,
        "first places by weight 1/2/4: {firsts:?}, expected {expected:?}, chi² = {chi2:.2}"
    );
}

/// Large enough for the per-thread candidate lists to be trimmed many times: a draw must still
/// be exactly the head of the full ranking, and a quota draw its walk.
#[test]
fn trimmed_candidate_lists_lose_nothing() {
    let ids: Vec<String> = (0..20_000).map(|i| format!("9141030{i:011}")).collect();
    let rows: Vec<(&str, u64, &str)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), [1, 2, 4][i % 3], ["A", "B", "C", "D"][i % 4]))
        .collect();
    let p = Population::from_rows(rows).unwrap();
    for seed in ["1", "20261123", "25646924322630583082/T-2026-001"] {
        let full = draw(&p, seed, &SizeRule::Size(p.len() as u64), 0).unwrap().selected;
        for (k, reserve) in [(1, 0), (7, 3), (100, 50), (1500, 10)] {
            let d = draw(&p, seed, &SizeRule::Size(k), reserve).unwrap();
            assert_eq!(d.selected[..], full[..k as usize], "{seed} size {k}");
            let ids: Vec<&str> = d.reserve.iter().map(|s| s.id.as_str()).collect();
            let expected: Vec<&str> =
                full[k as usize..(k + reserve) as usize].iter().map(|s| s.id.as_str()).collect();
            assert_eq!(ids, expected, "{seed} reserve");
        }
        let quotas = BTreeMap::from([("A".to_owned(), 3), ("C".to_owned(), 700)]);
        let d = draw(&p, seed, &SizeRule::Quotas(quotas.clone()), 20).unwrap();
        let mut left = quotas;
        let (mut chosen, mut others) = (Vec::new(), Vec::new());
        for s in &full {
            match left.get_mut(&s.stratum) {
                Some(q) if *q > 0 => {
                    *q -= 1;
                    chosen.push(s.id.as_str());
                }
                _ => others.push(s.id.as_str()),
            }
        }
        assert_eq!(d.selected.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), chosen, "{seed} quotas");
        assert_eq!(
            d.reserve.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            others[..20],
            "{seed} quota reserve"
        );
    }
}
