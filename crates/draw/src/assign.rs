//! Assigning inspectors to the drawn targets: `suiji-assign/1` (protocol §3).

use crate::draw::DrawDocument;
use crate::ticket::{Ticket, TicketHasher};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use suiji_domain::rules::MIN_TEAM_SIZE;
use thiserror::Error;

pub const ASSIGN_PROTOCOL: &str = "suiji-assign/1";

/// An inspector of the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Inspector {
    pub id: String,
    pub department: String,
}

/// 回避: this inspector must not inspect this target.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Recusal {
    pub inspector_id: String,
    pub target_id: String,
}

/// Who a team needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamRule {
    /// G inspectors from anywhere in the pool.
    Size(u32),
    /// 联合抽查: so many inspectors from each department.
    Require(BTreeMap<String, u32>),
}

impl TeamRule {
    pub fn team_size(&self) -> u32 {
        match self {
            TeamRule::Size(g) => *g,
            TeamRule::Require(counts) => counts.values().sum(),
        }
    }
}

/// The assignment's result. `require`, `max_load` and the two hashes are not in the protocol's
/// minimal shape; they are recorded so that the document alone says how to recompute it and
/// which pool and recusals it was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AssignmentDocument {
    pub protocol: String,
    pub seed: String,
    pub team_size: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require: Option<BTreeMap<String, u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_load: Option<u32>,
    /// SHA-256 of the pool: `id TAB department LF` per inspector, sorted by id.
    pub inspectors_sha256: String,
    /// SHA-256 of the recusals: `inspector_id TAB target_id LF`, sorted, without repeats.
    pub recusals_sha256: String,
    pub teams: Vec<Team>,
}

impl AssignmentDocument {
    /// The team rule this document was made with.
    pub fn team_rule(&self) -> TeamRule {
        match &self.require {
            Some(counts) => TeamRule::Require(counts.clone()),
            None => TeamRule::Size(self.team_size),
        }
    }
}

/// One target's team; the first inspector leads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Team {
    pub target: String,
    pub inspectors: Vec<String>,
}

/// Why an assignment cannot be made. Nothing is assigned when any of these occurs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AssignError {
    #[error("a team needs at least {MIN_TEAM_SIZE} inspectors, the rule asks for {0}")]
    TeamTooSmall(u32),
    #[error("department {0:?} is required with 0 inspectors")]
    ZeroRequirement(String),
    #[error("maximum load must be at least 1")]
    ZeroMaxLoad,
    #[error("duplicate inspector id {0:?}")]
    DuplicateInspector(String),
    #[error("inspector {0:?} has no department")]
    NoDepartment(String),
    #[error("{0:?} contains a control character (tab, line break…)")]
    ControlCharacter(String),
    #[error("the pool has {available} inspectors, a team needs {needed}")]
    PoolTooSmall { available: usize, needed: u32 },
    #[error("department {department:?} has {available} inspectors, a team needs {needed}")]
    DepartmentTooSmall { department: String, available: usize, needed: u32 },
    #[error("not enough inspectors for {target}")]
    NotEnoughInspectors { target: String },
}

/// Assigns a team to every selected target of `draw`, in rank order.
pub fn assign(
    draw: &DrawDocument,
    inspectors: &[Inspector],
    recusals: &[Recusal],
    rule: &TeamRule,
    max_load: Option<u32>,
) -> Result<AssignmentDocument, AssignError> {
    let targets: Vec<&str> = draw.selected.iter().map(|s| s.id.as_str()).collect();
    assign_targets(&draw.seed, &targets, inspectors, recusals, rule, max_load)
}

/// Assigns a team to each of `targets`, in the order given, with `seed`: what [`assign`] does
/// for a draw's selection, and a merge (综合查一次) for the firms two tasks share.
pub fn assign_targets(
    seed: &str,
    targets: &[&str],
    inspectors: &[Inspector],
    recusals: &[Recusal],
    rule: &TeamRule,
    max_load: Option<u32>,
) -> Result<AssignmentDocument, AssignError> {
    check_pool(inspectors, recusals, rule, max_load)?;
    let recused: HashSet<(&str, &str)> =
        recusals.iter().map(|r| (r.inspector_id.as_str(), r.target_id.as_str())).collect();
    // Requirements in department-name order; one anonymous requirement for a plain team size.
    let requirements: Vec<(Option<&str>, u32)> = match rule {
        TeamRule::Size(g) => vec![(None, *g)],
        TeamRule::Require(counts) => counts.iter().map(|(d, &c)| (Some(d.as_str()), c)).collect(),
    };
    let mut load = vec![0u32; inspectors.len()];
    let mut teams = Vec::with_capacity(targets.len());
    for &t in targets {
        let hasher = TicketHasher::new(&format!("{seed}/{t}"));
        let mut team: Vec<usize> = Vec::new();
        for &(department, count) in &requirements {
            let mut candidates: Vec<(u32, Ticket, usize)> = inspectors
                .iter()
                .enumerate()
                .filter(|&(i, insp)| {
                    department.is_none_or(|d| insp.department == d)
                        && !recused.contains(&(insp.id.as_str(), t))
                        && max_load.is_none_or(|m| load[i] < m)
                        && !team.contains(&i)
                })
                .map(|(i, insp)| (load[i], Ticket::new(hasher.digest(insp.id.as_bytes())), i))
                .collect();
            if candidates.len() < count as usize {
                return Err(AssignError::NotEnoughInspectors { target: t.to_owned() });
            }
            candidates.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| a.1.cmp_value(&b.1))
                    .then_with(|| inspectors[a.2].id.cmp(&inspectors[b.2].id))
            });
            team.extend(candidates.iter().take(count as usize).map(|c| c.2));
        }
        for &i in &team {
            load[i] += 1;
        }
        teams.push(Team {
            target: t.to_owned(),
            inspectors: team.iter().map(|&i| inspectors[i].id.clone()).collect(),
        });
    }
    Ok(AssignmentDocument {
        protocol: ASSIGN_PROTOCOL.to_owned(),
        seed: seed.to_owned(),
        team_size: rule.team_size(),
        require: match rule {
            TeamRule::Require(counts) => Some(counts.clone()),
            TeamRule::Size(_) => None,
        },
        max_load,
        inspectors_sha256: inspectors_sha256(inspectors),
        recusals_sha256: recusals_sha256(recusals),
        teams,
    })
}

/// Lowercase hex SHA-256 of `lines` sorted and without repeats.
fn sorted_lines_sha256(mut lines: Vec<String>) -> String {
    lines.sort_unstable();
    lines.dedup();
    let mut hasher = Sha256::new();
    for line in &lines {
        hasher.update(line.as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The commitment to an inspector pool (ids are distinct, so sorting lines sorts by id).
pub fn inspectors_sha256(inspectors: &[Inspector]) -> String {
    sorted_lines_sha256(inspectors.iter().map(|i| format!("{}\t{}\n", i.id, i.department)).collect())
}

/// The commitment to a list of recusals.
pub fn recusals_sha256(recusals: &[Recusal]) -> String {
    sorted_lines_sha256(recusals.iter().map(|r| format!("{}\t{}\n", r.inspector_id, r.target_id)).collect())
}

/// Checks the rule against the pool before anyone is assigned.
fn check_pool(
    inspectors: &[Inspector],
    recusals: &[Recusal],
    rule: &TeamRule,
    max_load: Option<u32>,
) -> Result<(), AssignError> {
    if rule.team_size() < MIN_TEAM_SIZE {
        return Err(AssignError::TeamTooSmall(rule.team_size()));
    }
    if max_load == Some(0) {
        return Err(AssignError::ZeroMaxLoad);
    }
    let mut per_department: HashMap<&str, usize> = HashMap::new();
    let mut ids = HashSet::new();
    let fields = inspectors
        .iter()
        .flat_map(|i| [&i.id, &i.department])
        .chain(recusals.iter().flat_map(|r| [&r.inspector_id, &r.target_id]));
    if let Some(bad) = fields.into_iter().find(|f| f.chars().any(char::is_control)) {
        return Err(AssignError::ControlCharacter(bad.clone()));
    }
    for inspector in inspectors {
        if !ids.insert(inspector.id.as_str()) {
            return Err(AssignError::DuplicateInspector(inspector.id.clone()));
        }
        if inspector.department.is_empty() && matches!(rule, TeamRule::Require(_)) {
            return Err(AssignError::NoDepartment(inspector.id.clone()));
        }
        *per_department.entry(inspector.department.as_str()).or_default() += 1;
    }
    match rule {
        TeamRule::Size(g) if inspectors.len() < *g as usize => {
            Err(AssignError::PoolTooSmall { available: inspectors.len(), needed: *g })
        }
        TeamRule::Size(_) => Ok(()),
        TeamRule::Require(counts) => {
            for (department, &needed) in counts {
                if needed == 0 {
                    return Err(AssignError::ZeroRequirement(department.clone()));
                }
                let available = per_department.get(department.as_str()).copied().unwrap_or(0);
                if available < needed as usize {
                    return Err(AssignError::DepartmentTooSmall {
                        department: department.clone(),
                        available,
                        needed,
                    });
                }
            }
            Ok(())
        }
    }
}
