//! The verifiable draw of suiji: `suiji-draw/1` ranks a population by tickets from a public seed
//! and selects by a size rule; `suiji-assign/1` gives each selected target a team of inspectors.
//! Both are specified in `docs/draw-protocol.md` and agree byte for byte with the public
//! `consistent_sampler` package, so anyone can re-check a draw without this code.
//!
//! No I/O: callers hand in parsed populations and pools, and get documents back.
//!
//! ```
//! use suiji_draw::{Population, SizeRule, draw};
//!
//! let rows = [("914403001922038216", 1, ""), ("91440300708461136T", 4, ""), ("91330100799655058B", 2, "")];
//! let population = Population::from_rows(rows).unwrap();
//! let document = draw(&population, "25646924322630583082", &SizeRule::Size(2), 1).unwrap();
//! assert_eq!(document.selected.len(), 2);
//! assert_eq!(document.reserve[0].rank, 3);
//! ```

#![forbid(unsafe_code)]

pub mod assign;
pub mod control;
pub mod draw;
pub mod merge;
pub mod population;
pub mod replace;
pub mod rule;
pub mod ticket;
pub mod verify;

pub use assign::{
    ASSIGN_PROTOCOL, AssignError, AssignmentDocument, Inspector, Recusal, Team, TeamRule, assign,
    assign_targets,
};
pub use control::{check_targets, control_population, control_seed, draw_control, verify_control};
pub use draw::{DRAW_PROTOCOL, DrawDocument, DrawError, Selection, draw};
pub use merge::{merge_seed, merge_teams, verify_merge};
pub use population::{
    EntityError, MAX_WEIGHT, Piece, Population, PopulationBuilder, PopulationError, RowsError,
};
pub use replace::{MemberReplacement, ReplaceError, replace_member, verify_replacement};
pub use rule::SizeRule;
pub use ticket::{TicketHasher, ticket};
pub use verify::{Difference, verify_assignment, verify_draw};
