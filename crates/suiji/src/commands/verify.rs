//! `suiji verify`: recompute a draw (and its assignment) from the published inputs.

use crate::cli::VerifyArgs;
use crate::files::{TextFile, documents, pool, population};
use crate::{Failure, output_line};
use std::io::Write;
use suiji_draw::{
    ASSIGN_PROTOCOL, AssignmentDocument, DRAW_PROTOCOL, DrawDocument, verify_assignment, verify_draw,
};

pub fn run(args: &VerifyArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let draw: DrawDocument = documents::parse(&TextFile::read(&args.draw)?, DRAW_PROTOCOL)?;
    let population = population::parse(TextFile::read(&args.population)?)?;
    // Read every input before comparing, so a bad file is reported as such (exit 2).
    let assignment = match (&args.assignment, &args.inspectors) {
        (Some(a), Some(i)) => {
            let document: AssignmentDocument = documents::parse(&TextFile::read(a)?, ASSIGN_PROTOCOL)?;
            let inspectors = pool::parse_inspectors(&TextFile::read(i)?)?;
            let recusals = match &args.recusals {
                Some(path) => pool::parse_recusals(&TextFile::read(path)?)?,
                None => Vec::new(),
            };
            Some((a, document, inspectors, recusals))
        }
        _ => None,
    };

    let out = &mut *stdout;
    output_line(out, format!("draw {}: {} seed {:?}", args.draw.display(), draw.protocol, draw.seed))?;
    verify_draw(&draw, &population).map_err(|d| Failure::Difference(d.to_string()))?;
    output_line(
        out,
        format!(
            "  population {}: {} entities, population_sha256 {} matches",
            args.population.display(),
            draw.population_size,
            draw.population_sha256
        ),
    )?;
    output_line(
        out,
        format!(
            "  rule {}: {} selected and {} reserve recomputed; every rank, id, ticket and stratum matches",
            draw.rule,
            draw.selected.len(),
            draw.reserve.len()
        ),
    )?;
    if let Some((path, document, inspectors, recusals)) = assignment {
        output_line(out, format!("assignment {}: {}", path.display(), document.protocol))?;
        verify_assignment(&document, &draw, &inspectors, &recusals)
            .map_err(|d| Failure::Difference(d.to_string()))?;
        let max_load = document.max_load.map_or(String::new(), |m| format!(", max load {m}"));
        output_line(
            out,
            format!(
                "  {} inspectors, {} recusals, team size {}{max_load}: {} teams recomputed; every member matches",
                inspectors.len(),
                recusals.len(),
                document.team_size,
                document.teams.len()
            ),
        )?;
    }
    output_line(out, "OK: the documents are exactly what the protocol gives for these inputs".to_owned())
}
