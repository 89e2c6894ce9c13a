//! `suiji draw`: population + seed + size rule → draw document.

use crate::cli::DrawArgs;
use crate::files::{TextFile, population};
use crate::{Failure, output};
use std::io::Write;
use suiji_draw::{SizeRule, draw};

pub fn run(args: &DrawArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rule = match (args.size, args.ratio_bp) {
        (Some(k), _) => SizeRule::Size(k),
        (_, Some(r)) => SizeRule::RatioBp(r),
        _ => SizeRule::Quotas(super::pairs_to_map("--quota", &args.quota)?),
    };
    if args.seed.is_empty() {
        return Err(Failure::Input("--seed is empty: a draw needs public entropy".into()));
    }
    let population = population::parse(TextFile::read(&args.population)?)?;
    let document = draw(&population, &args.seed, &rule, args.reserve)
        .map_err(|e| Failure::Input(format!("cannot draw from {}: {e}", args.population.display())))?;
    output::write_document(&document, args.out.as_deref(), stdout)
}
