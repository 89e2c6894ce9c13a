//! How many entities a draw selects (protocol §2, step 4).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use suiji_domain::rules::RATIO_BP_FULL;

/// The size rule, serialised as the protocol's `rule` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SizeRule {
    /// The first K entities of the ranking.
    Size(u64),
    /// `ceil(N × R / 10000)` entities; R in basis points (500 = 5%).
    RatioBp(u32),
    /// Per stratum, its quota of entities, taken in ranking order.
    Quotas(BTreeMap<String, u64>),
}

impl SizeRule {
    /// The number of entities the rule selects from a population of `n`.
    pub fn count(&self, n: u64) -> u64 {
        match self {
            SizeRule::Size(k) => *k,
            SizeRule::RatioBp(r) => (n * u64::from(*r)).div_ceil(u64::from(RATIO_BP_FULL)),
            SizeRule::Quotas(q) => q.values().sum(),
        }
    }
}

impl std::fmt::Display for SizeRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SizeRule::Size(k) => write!(f, "size {k}"),
            SizeRule::RatioBp(r) => write!(f, "ratio {r} bp ({}%)", f64::from(*r) / 100.0),
            SizeRule::Quotas(q) => {
                write!(f, "quotas")?;
                for (stratum, quota) in q {
                    write!(f, " {stratum}={quota}")?;
                }
                Ok(())
            }
        }
    }
}
