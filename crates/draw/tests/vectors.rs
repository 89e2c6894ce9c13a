//! The protocol's test vectors (in `tests/vectors/`, made by the public
//! `consistent_sampler` package): tickets, ranks, ids and teams must match byte for byte.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use suiji_draw::*;

#[derive(Deserialize)]
struct Row {
    id: String,
    weight: u64,
    stratum: String,
}

#[derive(Deserialize)]
struct AssignParams {
    team_size: u32,
    max_load: Option<u32>,
    require: Option<BTreeMap<String, u32>>,
}

#[derive(Deserialize)]
struct Case {
    population: Vec<Row>,
    seed: String,
    params: SizeRule,
    expect_draw: Value,
    inspectors: Vec<Inspector>,
    recusals: Vec<Recusal>,
    assign_params: AssignParams,
    expect_assign: Value,
}

fn cases() -> Vec<(String, Case)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let case = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), case)
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(cases.len(), 12, "all twelve vectors are present");
    cases
}

fn population(rows: &[Row]) -> Population {
    Population::from_rows(rows.iter().map(|r| (r.id.as_str(), r.weight, r.stratum.as_str()))).unwrap()
}

#[test]
fn draws_match_the_vectors_exactly() {
    for (name, case) in cases() {
        let document = draw(&population(&case.population), &case.seed, &case.params, 0).unwrap();
        assert_eq!(serde_json::to_value(&document).unwrap(), case.expect_draw, "{name}");
    }
}

#[test]
fn assignments_match_the_vectors_exactly() {
    let mut failures = 0;
    for (name, case) in cases() {
        let expected_draw: DrawDocument = serde_json::from_value(case.expect_draw).unwrap();
        let p = &case.assign_params;
        let rule = match &p.require {
            Some(counts) => TeamRule::Require(counts.clone()),
            None => TeamRule::Size(p.team_size),
        };
        let result = assign(&expected_draw, &case.inspectors, &case.recusals, &rule, p.max_load);
        match case.expect_assign.get("error") {
            Some(error) => {
                failures += 1;
                assert_eq!(result.unwrap_err().to_string(), error.as_str().unwrap(), "{name}");
            }
            None => {
                let mut actual = serde_json::to_value(result.unwrap()).unwrap();
                // Our documents also record the rule's extra inputs; they must be the case's.
                let extra = actual.as_object_mut().unwrap();
                assert_eq!(
                    extra.remove("require").map(|r| serde_json::from_value(r).unwrap()),
                    p.require,
                    "{name}"
                );
                assert_eq!(
                    extra.remove("max_load").map(|m| m.as_u64().unwrap() as u32),
                    p.max_load,
                    "{name}"
                );
                let hash = |v: Option<Value>| v.unwrap().as_str().unwrap().to_owned();
                assert_eq!(
                    hash(extra.remove("inspectors_sha256")),
                    assign::inspectors_sha256(&case.inspectors)
                );
                assert_eq!(hash(extra.remove("recusals_sha256")), assign::recusals_sha256(&case.recusals));
                assert_eq!(actual, case.expect_assign, "{name}");
            }
        }
    }
    assert_eq!(failures, 1, "exactly one vector's assignment must fail");
}

#[test]
fn every_vector_verifies_and_a_changed_rank_is_named() {
    for (name, case) in cases() {
        let population = population(&case.population);
        let mut document: DrawDocument = serde_json::from_value(case.expect_draw).unwrap();
        verify_draw(&document, &population).unwrap_or_else(|d| panic!("{name}: {d}"));
        document.selected.swap(0, 1);
        match verify_draw(&document, &population) {
            Err(Difference::Rank { list: "selected", rank: 1, .. }) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
}
