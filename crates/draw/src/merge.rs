//! Merging two tasks' visits to the same firms into one (综合查一次, 进一次门、查多项事): one
//! joint team a firm, drawn under `suiji-assign/1` over the union of the two assignments'
//! pools, with each department's quota, and the seed `<seed A>+<seed B>/merge` — the two
//! draws' seeds, the merging task's first. The document is an assignment document whose teams
//! list the merged firms in order; anyone recomputes it from the published pool and recusals.

use crate::assign::{
    ASSIGN_PROTOCOL, AssignError, AssignmentDocument, Inspector, Recusal, TeamRule, assign_targets,
};
use crate::verify::{Difference, same_inputs, same_teams};
use std::collections::BTreeMap;

/// The seed of the joint teams of tasks drawn with `seed_a` and `seed_b`.
pub fn merge_seed(seed_a: &str, seed_b: &str) -> String {
    format!("{seed_a}+{seed_b}/merge")
}

/// The joint teams for `targets` (in this order), each with `quota` inspectors of each
/// department.
pub fn merge_teams(
    seed_a: &str,
    seed_b: &str,
    targets: &[&str],
    inspectors: &[Inspector],
    recusals: &[Recusal],
    quota: &BTreeMap<String, u32>,
) -> Result<AssignmentDocument, AssignError> {
    let rule = TeamRule::Require(quota.clone());
    assign_targets(&merge_seed(seed_a, seed_b), targets, inspectors, recusals, &rule, None)
}

/// Recomputes a merge's joint teams from the pool and recusals it published. With the two
/// draws' seeds, also checks that the document's seed is theirs.
pub fn verify_merge(
    document: &AssignmentDocument,
    seeds: Option<(&str, &str)>,
    inspectors: &[Inspector],
    recusals: &[Recusal],
) -> Result<AssignmentDocument, Difference> {
    if document.protocol != ASSIGN_PROTOCOL {
        return Err(Difference::Protocol { document: document.protocol.clone(), expected: ASSIGN_PROTOCOL });
    }
    if let Some((a, b)) = seeds {
        let expected = merge_seed(a, b);
        if document.seed != expected {
            return Err(Difference::SeedOfAssignment { assignment: document.seed.clone(), draw: expected });
        }
    }
    same_inputs(document, inspectors, recusals)?;
    let targets: Vec<&str> = document.teams.iter().map(|t| t.target.as_str()).collect();
    let recomputed = assign_targets(
        &document.seed,
        &targets,
        inspectors,
        recusals,
        &document.team_rule(),
        document.max_load,
    )
    .map_err(Difference::AssignmentFails)?;
    same_teams(document, &recomputed)?;
    Ok(recomputed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Vec<Inspector> {
        let mut out = Vec::new();
        for (d, n) in [("监察大队", 4), ("社会保险科", 3)] {
            for i in 0..n {
                out.push(Inspector { id: format!("{d}-{i}"), department: d.to_owned() });
            }
        }
        out
    }

    #[test]
    fn a_joint_team_takes_each_departments_quota_and_re_checks() {
        let quota = BTreeMap::from([("监察大队".to_owned(), 2), ("社会保险科".to_owned(), 1)]);
        let recusals = vec![Recusal { inspector_id: "社会保险科-0".into(), target_id: "F2".into() }];
        let doc = merge_teams("11", "22", &["F1", "F2"], &pool(), &recusals, &quota).unwrap();
        assert_eq!(doc.seed, "11+22/merge");
        assert_eq!(doc.teams.len(), 2);
        for team in &doc.teams {
            assert_eq!(team.inspectors.len(), 3);
            assert_eq!(team.inspectors.iter().filter(|i| i.starts_with("监察大队")).count(), 2);
        }
        assert!(!doc.teams[1].inspectors.contains(&"社会保险科-0".to_owned()));
        assert!(verify_merge(&doc, Some(("11", "22")), &pool(), &recusals).is_ok());
        // Another seed, another pool or a changed member is named.
        assert!(matches!(
            verify_merge(&doc, Some(("22", "11")), &pool(), &recusals),
            Err(Difference::SeedOfAssignment { .. })
        ));
        assert!(matches!(
            verify_merge(&doc, None, &pool()[1..], &recusals),
            Err(Difference::InspectorsSha256 { .. })
        ));
        let mut forged = doc.clone();
        forged.teams[0].inspectors.reverse();
        assert!(matches!(
            verify_merge(&forged, None, &pool(), &recusals),
            Err(Difference::Team { position: 1, .. })
        ));
    }

    #[test]
    fn a_department_short_of_its_quota_makes_no_teams() {
        let quota = BTreeMap::from([("社会保险科".to_owned(), 4)]);
        assert!(matches!(
            merge_teams("1", "2", &["F1"], &pool(), &[], &quota),
            Err(AssignError::DepartmentTooSmall { .. })
        ));
    }
}
