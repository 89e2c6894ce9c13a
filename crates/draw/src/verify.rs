//! Re-checking published documents: recompute from the inputs, name the first difference.

use crate::assign::{
    AssignError, AssignmentDocument, Inspector, Recusal, assign, inspectors_sha256, recusals_sha256,
};
use crate::draw::{DRAW_PROTOCOL, DrawDocument, DrawError, Selection, draw};
use crate::population::Population;
use std::fmt;

/// The first way a document differs from its recomputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    Protocol {
        document: String,
        expected: &'static str,
    },
    PopulationSize {
        document: u64,
        recomputed: u64,
    },
    PopulationSha256 {
        document: String,
        recomputed: String,
    },
    InspectorsSha256 {
        document: String,
        recomputed: String,
    },
    RecusalsSha256 {
        document: String,
        recomputed: String,
    },
    SeedOfAssignment {
        assignment: String,
        draw: String,
    },
    DrawFails(DrawError),
    AssignmentFails(AssignError),
    /// `list` is "selected" or "reserve"; a side is `None` where that list is shorter.
    Rank {
        list: &'static str,
        rank: u64,
        document: Option<Box<Selection>>,
        recomputed: Option<Box<Selection>>,
    },
    /// `position` counts teams from 1, in rank order.
    Team {
        position: usize,
        document: Option<String>,
        recomputed: Option<String>,
    },
    TeamSize {
        document: u32,
        recomputed: u32,
    },
    /// A member's replacement chose someone else than its recomputation.
    Replacement {
        target: String,
        document: String,
        recomputed: String,
    },
    ReplacementFails(crate::replace::ReplaceError),
    /// A control sample's seed is not `<the draw's seed>/control`.
    ControlSeed {
        document: String,
        expected: String,
    },
    /// A control sample is drawn by `{"size": C}` with no reserve.
    ControlRule,
    /// The teams' target at `position` (from 1) is not an unchanged entry of the draw (or of
    /// its control sample) in rank order.
    Target {
        position: usize,
    },
}

fn describe(s: &Option<Box<Selection>>) -> String {
    match s {
        Some(s) => format!("{} (ticket {}, name {}, stratum {:?})", s.id, s.ticket, s.ticket_name, s.stratum),
        None => "nothing".to_owned(),
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Protocol { document, expected } => {
                write!(f, "protocol is {document:?}, this tool checks {expected:?}")
            }
            Difference::PopulationSize { document, recomputed } => write!(
                f,
                "population size differs: the document says {document}, the population file has {recomputed}"
            ),
            Difference::PopulationSha256 { document, recomputed } => write!(
                f,
                "population hash differs: the document says {document}, the population file hashes to {recomputed}"
            ),
            Difference::SeedOfAssignment { assignment, draw } => {
                write!(f, "the assignment's seed {assignment:?} is not the draw's seed {draw:?}")
            }
            Difference::InspectorsSha256 { document, recomputed } => write!(
                f,
                "inspector pool hash differs: the document says {document}, the inspectors file hashes to {recomputed}"
            ),
            Difference::RecusalsSha256 { document, recomputed } => write!(
                f,
                "recusals hash differs: the document says {document}, the recusals given hash to {recomputed}"
            ),
            Difference::DrawFails(e) => write!(f, "the draw cannot be recomputed: {e}"),
            Difference::AssignmentFails(e) => write!(f, "the assignment cannot be recomputed: {e}"),
            Difference::Rank { list, rank, document, recomputed } => write!(
                f,
                "{list} rank {rank} differs: the document has {}, the recomputation gives {}",
                describe(document),
                describe(recomputed)
            ),
            Difference::Team { position, document, recomputed } => write!(
                f,
                "team {position} differs: the document has {}, the recomputation gives {}",
                document.as_deref().unwrap_or("nothing"),
                recomputed.as_deref().unwrap_or("nothing")
            ),
            Difference::TeamSize { document, recomputed } => {
                write!(f, "team size differs: the document says {document}, its rule gives {recomputed}")
            }
            Difference::Replacement { target, document, recomputed } => write!(
                f,
                "the replacement on {target}'s team differs: the document chose {document}, the recomputation gives {recomputed}"
            ),
            Difference::ReplacementFails(e) => write!(f, "the replacement cannot be recomputed: {e}"),
            Difference::ControlSeed { document, expected } => {
                write!(f, "the control sample's seed is {document:?}, the draw's gives {expected:?}")
            }
            Difference::ControlRule => {
                write!(f, "a control sample is drawn by a size rule with no reserve")
            }
            Difference::Target { position } => write!(
                f,
                "target {position} is not an entry of the draw or of its control sample, in rank order"
            ),
        }
    }
}

/// Recomputes `document` from `population`; returns the recomputation when every field agrees.
pub fn verify_draw(document: &DrawDocument, population: &Population) -> Result<DrawDocument, Difference> {
    if document.protocol != DRAW_PROTOCOL {
        return Err(Difference::Protocol { document: document.protocol.clone(), expected: DRAW_PROTOCOL });
    }
    let size = population.len() as u64;
    if document.population_size != size {
        return Err(Difference::PopulationSize { document: document.population_size, recomputed: size });
    }
    let sha = population.sha256().to_owned();
    if document.population_sha256 != sha {
        return Err(Difference::PopulationSha256 {
            document: document.population_sha256.clone(),
            recomputed: sha,
        });
    }
    let recomputed = draw(population, &document.seed, &document.rule, document.reserve.len() as u64)
        .map_err(Difference::DrawFails)?;
    first_rank_difference("selected", &document.selected, &recomputed.selected)?;
    first_rank_difference("reserve", &document.reserve, &recomputed.reserve)?;
    Ok(recomputed)
}

fn first_rank_difference(
    list: &'static str,
    document: &[Selection],
    recomputed: &[Selection],
) -> Result<(), Difference> {
    for i in 0..document.len().max(recomputed.len()) {
        let (d, r) = (document.get(i), recomputed.get(i));
        if d != r {
            return Err(Difference::Rank {
                list,
                rank: r.or(d).map_or(i as u64 + 1, |s| s.rank),
                document: d.cloned().map(Box::new),
                recomputed: r.cloned().map(Box::new),
            });
        }
    }
    Ok(())
}

/// Recomputes `assignment` from the (already verified) draw and the pool.
pub fn verify_assignment(
    assignment: &AssignmentDocument,
    draw: &DrawDocument,
    inspectors: &[Inspector],
    recusals: &[Recusal],
) -> Result<AssignmentDocument, Difference> {
    use crate::assign::ASSIGN_PROTOCOL;
    if assignment.protocol != ASSIGN_PROTOCOL {
        return Err(Difference::Protocol {
            document: assignment.protocol.clone(),
            expected: ASSIGN_PROTOCOL,
        });
    }
    if assignment.seed != draw.seed {
        return Err(Difference::SeedOfAssignment {
            assignment: assignment.seed.clone(),
            draw: draw.seed.clone(),
        });
    }
    same_inputs(assignment, inspectors, recusals)?;
    let recomputed = assign(draw, inspectors, recusals, &assignment.team_rule(), assignment.max_load)
        .map_err(Difference::AssignmentFails)?;
    same_teams(assignment, &recomputed)?;
    Ok(recomputed)
}

/// The pool and recusals an assignment document names are the ones given, and its team size is
/// its rule's.
pub(crate) fn same_inputs(
    document: &AssignmentDocument,
    inspectors: &[Inspector],
    recusals: &[Recusal],
) -> Result<(), Difference> {
    let pool = inspectors_sha256(inspectors);
    if document.inspectors_sha256 != pool {
        return Err(Difference::InspectorsSha256 {
            document: document.inspectors_sha256.clone(),
            recomputed: pool,
        });
    }
    let recused = recusals_sha256(recusals);
    if document.recusals_sha256 != recused {
        return Err(Difference::RecusalsSha256 {
            document: document.recusals_sha256.clone(),
            recomputed: recused,
        });
    }
    let rule = document.team_rule();
    if rule.team_size() != document.team_size {
        return Err(Difference::TeamSize { document: document.team_size, recomputed: rule.team_size() });
    }
    Ok(())
}

/// The first team where a document and its recomputation differ, if any.
pub(crate) fn same_teams(
    document: &AssignmentDocument,
    recomputed: &AssignmentDocument,
) -> Result<(), Difference> {
    let show = |t: &crate::assign::Team| format!("{}: {}", t.target, t.inspectors.join(", "));
    for i in 0..document.teams.len().max(recomputed.teams.len()) {
        let (d, r) = (document.teams.get(i), recomputed.teams.get(i));
        if d != r {
            return Err(Difference::Team { position: i + 1, document: d.map(show), recomputed: r.map(show) });
        }
    }
    Ok(())
}
