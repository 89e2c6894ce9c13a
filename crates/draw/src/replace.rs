//! Changing one member of a team after the assignment (a 回避 declared late, illness, a
//! departure), under `suiji-assign/1`'s own ordering: the other members stay, and the new one
//! is the candidate with the lowest ticket `ticket(S + "/" + target, inspector_id)`, where
//! `S = <draw seed>/replace/<inspection>/<n>` (the n-th change of that inspection).
//!
//! Candidates are the assignment's published pool, less the team as it stood (the member
//! leaving included), less those recused for the target, less those named unavailable now
//! (left the service, certificate lapsed since), and, for a joint team, only the leaving
//! member's department. Everything the choice depends on is in the document or the published
//! pool and recusal files, so anyone can re-check it.

use crate::assign::{ASSIGN_PROTOCOL, Inspector, inspectors_sha256};
use crate::ticket::{Ticket, TicketHasher};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The record of one member's replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MemberReplacement {
    pub protocol: String,
    /// `<draw seed>/replace/<inspection>/<n>`.
    pub seed: String,
    pub target: String,
    /// The team before the change, in order.
    pub team: Vec<String>,
    /// The member leaving.
    pub gone: String,
    /// The department the new member comes from (a joint team's requirement), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Members of the pool who cannot serve now, besides the team.
    #[serde(default)]
    pub unavailable: Vec<String>,
    /// Those recused for the target as of the change (a late 回避 among them).
    #[serde(default)]
    pub recused: Vec<String>,
    /// SHA-256 of the pool (the assignment's `inspectors.csv`).
    pub inspectors_sha256: String,
    /// The new member.
    pub chosen: String,
}

/// Why a member cannot be replaced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReplaceError {
    #[error("{0:?} is not on the team")]
    NotOnTeam(String),
    #[error("no inspector is left to replace {0:?}")]
    NoCandidate(String),
}

/// Chooses the member who replaces `gone` on `target`'s team.
#[allow(clippy::too_many_arguments)]
pub fn replace_member(
    seed: &str,
    target: &str,
    team: &[String],
    gone: &str,
    department: Option<&str>,
    unavailable: &[String],
    recused: &[String],
    inspectors: &[Inspector],
) -> Result<MemberReplacement, ReplaceError> {
    if !team.iter().any(|m| m == gone) {
        return Err(ReplaceError::NotOnTeam(gone.to_owned()));
    }
    let hasher = TicketHasher::new(&format!("{seed}/{target}"));
    let chosen = inspectors
        .iter()
        .filter(|i| {
            department.is_none_or(|d| i.department == d)
                && !team.contains(&i.id)
                && !unavailable.contains(&i.id)
                && !recused.contains(&i.id)
        })
        .map(|i| (Ticket::new(hasher.digest(i.id.as_bytes())), i))
        .min_by(|a, b| a.0.cmp_value(&b.0).then_with(|| a.1.id.cmp(&b.1.id)))
        .map(|(_, i)| i.id.clone())
        .ok_or_else(|| ReplaceError::NoCandidate(gone.to_owned()))?;
    let sorted = |list: &[String]| {
        let mut list = list.to_vec();
        list.sort();
        list.dedup();
        list
    };
    Ok(MemberReplacement {
        protocol: ASSIGN_PROTOCOL.to_owned(),
        seed: seed.to_owned(),
        target: target.to_owned(),
        team: team.to_vec(),
        gone: gone.to_owned(),
        department: department.map(str::to_owned),
        unavailable: sorted(unavailable),
        recused: sorted(recused),
        inspectors_sha256: inspectors_sha256(inspectors),
        chosen,
    })
}

impl MemberReplacement {
    /// The team after the change: the new member where the one leaving stood.
    pub fn team_after(&self) -> Vec<String> {
        self.team.iter().map(|m| if *m == self.gone { self.chosen.clone() } else { m.clone() }).collect()
    }
}

/// Recomputes a replacement from the assignment's pool; `draw_seed` (when given) must begin its
/// seed. Returns the recomputation when it agrees.
pub fn verify_replacement(
    document: &MemberReplacement,
    draw_seed: Option<&str>,
    inspectors: &[Inspector],
) -> Result<MemberReplacement, crate::verify::Difference> {
    use crate::verify::Difference;
    if document.protocol != ASSIGN_PROTOCOL {
        return Err(Difference::Protocol { document: document.protocol.clone(), expected: ASSIGN_PROTOCOL });
    }
    if let Some(draw) = draw_seed
        && !document.seed.starts_with(&format!("{draw}/replace/"))
    {
        return Err(Difference::SeedOfAssignment {
            assignment: document.seed.clone(),
            draw: draw.to_owned(),
        });
    }
    let pool = inspectors_sha256(inspectors);
    if document.inspectors_sha256 != pool {
        return Err(Difference::InspectorsSha256 {
            document: document.inspectors_sha256.clone(),
            recomputed: pool,
        });
    }
    let recomputed = replace_member(
        &document.seed,
        &document.target,
        &document.team,
        &document.gone,
        document.department.as_deref(),
        &document.unavailable,
        &document.recused,
        inspectors,
    )
    .map_err(Difference::ReplacementFails)?;
    if recomputed.chosen != document.chosen {
        return Err(Difference::Replacement {
            target: document.target.clone(),
            document: document.chosen.clone(),
            recomputed: recomputed.chosen,
        });
    }
    Ok(recomputed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Vec<Inspector> {
        ["A1", "A2", "A3", "A4", "B1", "B2"]
            .iter()
            .map(|id| Inspector { id: (*id).into(), department: id[..1].into() })
            .collect()
    }

    #[test]
    fn the_lowest_ticket_outside_the_team_replaces_the_member() {
        let team = vec!["A1".to_owned(), "B1".to_owned()];
        let r = replace_member("s/replace/7/1", "T", &team, "A1", None, &[], &[], &pool()).unwrap();
        assert!(!team.contains(&r.chosen));
        assert_eq!(r.team_after()[1], "B1", "the other member stays");
        // The same inputs give the same member; a different change number may not.
        let again = replace_member("s/replace/7/1", "T", &team, "A1", None, &[], &[], &pool()).unwrap();
        assert_eq!(again, r);
        // The chosen one recused (a late 回避), or unavailable: the next ticket instead.
        let recused = [r.chosen.clone()];
        let other = replace_member("s/replace/7/1", "T", &team, "A1", None, &[], &recused, &pool()).unwrap();
        assert_ne!(other.chosen, r.chosen);
        let away = replace_member(
            "s/replace/7/1",
            "T",
            &team,
            "A1",
            None,
            std::slice::from_ref(&r.chosen),
            &[],
            &pool(),
        )
        .unwrap();
        assert_eq!(away.chosen, other.chosen);
    }

    #[test]
    fn a_joint_team_keeps_its_departments() {
        let team = vec!["A1".to_owned(), "B1".to_owned()];
        let r = replace_member("s", "T", &team, "B1", Some("B"), &[], &[], &pool()).unwrap();
        assert_eq!(r.chosen, "B2");
        assert_eq!(
            replace_member("s", "T", &team, "B1", Some("B"), &["B2".into()], &[], &pool()),
            Err(ReplaceError::NoCandidate("B1".into()))
        );
        assert_eq!(
            replace_member("s", "T", &team, "A9", None, &[], &[], &pool()),
            Err(ReplaceError::NotOnTeam("A9".into()))
        );
    }
}
