//! The rules the seeds set, as named constants (see `docs/design.md`, "Rules the seeds set").

/// Every team has at least two inspectors (001, 002). Not configurable below 2.
pub const MIN_TEAM_SIZE: u32 = 2;

/// A ratio in basis points: 10000 = 100%.
pub const RATIO_BP_FULL: u32 = 10_000;

/// General items are inspected at a ratio of at least 5% (001).
pub const MIN_GENERAL_RATIO_BP: u32 = 500;

/// A target is drawn by random tasks at most twice per calendar year (000).
pub const DEFAULT_YEARLY_CAP: u32 = 2;
