//! The rules the seeds set, as named constants (see `docs/design.md`, "Rules the seeds set"),
//! and the numbers they leave to each bureau ([`Rules`], its 抽查工作细则): each a setting with
//! its default and the range the seeds allow it — a floor may be raised and never lowered, a
//! deadline shortened and never lengthened.

use crate::workflow::CreditWeights;
use serde::{Deserialize, Serialize};

/// Every team has at least two inspectors (001, 002). Not configurable below 2.
pub const MIN_TEAM_SIZE: u32 = 2;

/// A ratio in basis points: 10000 = 100%.
pub const RATIO_BP_FULL: u32 = 10_000;

/// General items are inspected at a ratio of at least 5% (001).
pub const MIN_GENERAL_RATIO_BP: u32 = 500;

/// A target is drawn by random tasks at most twice per calendar year (000).
pub const DEFAULT_YEARLY_CAP: u32 = 2;

/// The largest team a bureau may make its default.
pub const MAX_TEAM_SIZE: u32 = 10;

/// The fewest digits the witnesses' numbers must add up to (the draw's seed, rule 3).
pub const MIN_WITNESS_DIGITS: u32 = 20;
/// The most a bureau may ask for.
pub const MAX_WITNESS_DIGITS: u32 = 200;

/// The numbers a bureau sets for itself, within the seeds' limits. A task records the rules in
/// force when it is published, so changing a setting never changes a published task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rules {
    /// 一般事项最低抽查比例, in basis points: 5% or more (001 三(一)).
    #[schemars(range(min = 500, max = 10000))]
    pub general_floor_bp: u32,
    /// 重点事项最低抽查比例, in basis points; 0 sets none beyond each item's own minimum (the
    /// seeds set no floor for key items: "抽查比例不设上限").
    #[schemars(range(max = 10000))]
    pub key_floor_bp: u32,
    /// How often one firm may be drawn by random tasks in a year (000: twice).
    #[schemars(range(min = 1, max = 12))]
    pub yearly_cap: u32,
    /// How often one firm may be inspected on site in a year, by every kind of inspection
    /// together (国办发〔2024〕54号); over it only with a coded exemption.
    #[serde(default = "default_visit_cap")]
    #[schemars(range(min = 1, max = 24))]
    pub visit_cap: u32,
    /// A firm inspected within this many days is pointed out before it is drawn again (0: not).
    #[serde(default = "default_recent_days")]
    #[schemars(range(max = 365))]
    pub recent_days: u32,
    /// Working days from an inspection's end to its result's publication: 20 at most (001).
    #[schemars(range(min = 1, max = 20))]
    pub publication_workdays: u32,
    /// Working days from a penalty decision to its notice: 7 at most (004 二(六)).
    #[schemars(range(min = 1, max = 7))]
    pub penalty_workdays: u32,
    /// The default weights by 守法诚信等级 (004 二(五)): none zero, so every firm keeps a chance.
    pub weights: CreditWeights,
    /// The default team size: two or more (001, 002).
    #[schemars(range(min = 2, max = 10))]
    pub team_size: u32,
    /// The fewest digits the witnesses' numbers add up to: 20 or more.
    #[schemars(range(min = 20, max = 200))]
    pub witness_digits: u32,
    /// An inspector is drawn onto a team only with training within this many months (0: no
    /// such requirement).
    #[serde(default)]
    #[schemars(range(max = 60))]
    pub training_months: u32,
}

fn default_visit_cap() -> u32 {
    crate::workflow::DEFAULT_VISIT_CAP
}

fn default_recent_days() -> u32 {
    crate::workflow::DEFAULT_RECENT_DAYS
}

impl Rules {
    /// The limits a firm's year is held to under these rules.
    pub fn limits(&self) -> crate::workflow::Limits {
        crate::workflow::Limits { random: self.yearly_cap, visits: self.visit_cap }
    }
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            general_floor_bp: MIN_GENERAL_RATIO_BP,
            key_floor_bp: 0,
            yearly_cap: DEFAULT_YEARLY_CAP,
            visit_cap: crate::workflow::DEFAULT_VISIT_CAP,
            recent_days: crate::workflow::DEFAULT_RECENT_DAYS,
            publication_workdays: crate::workflow::PUBLICATION_WORKDAYS,
            penalty_workdays: crate::workflow::PENALTY_WORKDAYS,
            weights: CreditWeights::default(),
            team_size: MIN_TEAM_SIZE,
            witness_digits: MIN_WITNESS_DIGITS,
            training_months: 0,
        }
    }
}
