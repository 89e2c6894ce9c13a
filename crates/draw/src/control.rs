//! The control sample (对照样本) beside a directed draw: a small draw without weights or strata
//! from what the directed draw left, so that the problems found among its firms tell whether the
//! weighting found more (protocol §2.9).
//!
//! Everything follows from the directed draw's own document and its published population, so it
//! needs no file of its own to be re-checked: the **control population** is the committed
//! population less the draw's selected and reserve entities, each with weight 1 and the empty
//! stratum; the control draw is `suiji-draw/1` on it with the seed `<seed>/control`, the rule
//! `{"size": C}` and no reserve.

use crate::draw::{DrawDocument, DrawError, Selection, draw};
use crate::population::Population;
use crate::rule::SizeRule;
use crate::verify::{Difference, verify_draw};
use std::collections::HashSet;

/// The control draw's seed: the directed draw's, suffixed so the two rankings are independent.
pub fn control_seed(seed: &str) -> String {
    format!("{seed}/control")
}

/// The control population of `main`, a draw of `population`: the entities it neither selected
/// nor put on its reserve, each with weight 1 and the empty stratum — every firm the weighting
/// left has the same chance.
pub fn control_population(population: &Population, main: &DrawDocument) -> Population {
    let drawn: HashSet<&str> = main.selected.iter().chain(&main.reserve).map(|s| s.id.as_str()).collect();
    let rows = population.entities().map(|e| population.id(e)).filter(|id| !drawn.contains(id));
    // A part of a valid population with every weight 1 is valid: its ids are distinct, free of
    // separators, and with one ticket each no ticket name can meet another id.
    Population::from_rows(rows.map(|id| (id, 1, ""))).expect("a part of a valid population is valid")
}

/// Draws a control sample of `size` from what `main` (a draw of `population`) left.
pub fn draw_control(
    population: &Population,
    main: &DrawDocument,
    size: u64,
) -> Result<DrawDocument, DrawError> {
    draw(&control_population(population, main), &control_seed(&main.seed), &SizeRule::Size(size), 0)
}

/// Re-checks a control sample against the directed draw it stands beside (already verified
/// against `population`): its seed, its rule, and every entry recomputed.
pub fn verify_control(
    control: &DrawDocument,
    main: &DrawDocument,
    population: &Population,
) -> Result<DrawDocument, Difference> {
    let seed = control_seed(&main.seed);
    if control.seed != seed {
        return Err(Difference::ControlSeed { document: control.seed.clone(), expected: seed });
    }
    if !matches!(control.rule, SizeRule::Size(_)) || !control.reserve.is_empty() {
        return Err(Difference::ControlRule);
    }
    verify_draw(control, &control_population(population, main))
}

/// Checks the targets teams were assigned to (`targets.json`: the effective selection after
/// replacements, then the control sample): each an unchanged entry of the draw's selected or
/// reserve lists, in rank order, then each an unchanged entry of the control sample, in rank
/// order.
pub fn check_targets(
    targets: &DrawDocument,
    main: &DrawDocument,
    control: Option<&DrawDocument>,
) -> Result<(), Difference> {
    let ranked: Vec<&Selection> = main.selected.iter().chain(&main.reserve).collect();
    let controls: Vec<&Selection> = control.map(|c| c.selected.iter().collect()).unwrap_or_default();
    if targets.seed != main.seed {
        return Err(Difference::Target { position: 1 });
    }
    // The main targets first; a control entry ends them (its id is none of the draw's).
    let mut in_control = false;
    let mut last = 0;
    for (i, t) in targets.selected.iter().enumerate() {
        let found = |list: &[&Selection]| list.contains(&t);
        if !in_control && !found(&ranked) && found(&controls) {
            in_control = true;
            last = 0;
        }
        let list = if in_control { &controls } else { &ranked };
        if !found(list) || t.rank <= last {
            return Err(Difference::Target { position: i + 1 });
        }
        last = t.rank;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::verify_draw;

    fn population() -> Population {
        let ids: Vec<String> = (0..40).map(|i| format!("91{i:016}")).collect();
        let rows: Vec<(String, u64, String)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), 1 + (i as u64 % 4), ["A", "B", "C", "D"][i % 4].to_owned()))
            .collect();
        Population::from_rows(rows.iter().map(|(i, w, s)| (i.as_str(), *w, s.as_str()))).unwrap()
    }

    fn main_draw(p: &Population) -> DrawDocument {
        draw(p, "12345678901234567890/T-1", &SizeRule::Size(6), 3).unwrap()
    }

    #[test]
    fn the_control_sample_comes_from_what_the_draw_left_without_weights_or_strata() {
        let p = population();
        let main = main_draw(&p);
        let control = draw_control(&p, &main, 5).unwrap();
        assert_eq!(control.seed, "12345678901234567890/T-1/control");
        assert_eq!(control.population_size, 40 - 9);
        assert_eq!(control.selected.len(), 5);
        assert!(control.reserve.is_empty());
        let drawn: HashSet<&str> = main.selected.iter().chain(&main.reserve).map(|s| s.id.as_str()).collect();
        for s in &control.selected {
            assert!(!drawn.contains(s.id.as_str()), "{} was drawn already", s.id);
            assert_eq!(s.stratum, "");
            assert_eq!(s.ticket_name, s.id, "one ticket each");
        }
        // The control population is a population anyone can rebuild and re-check as any other.
        let cp = control_population(&p, &main);
        assert!(cp.commitment_text().lines().all(|l| l.ends_with("\t1\t")));
        verify_draw(&control, &cp).unwrap();
        assert_eq!(verify_control(&control, &main, &p).unwrap(), control);
    }

    #[test]
    fn a_control_sample_of_another_seed_or_rule_or_population_is_found_out() {
        let p = population();
        let main = main_draw(&p);
        let control = draw_control(&p, &main, 5).unwrap();
        let other_seed = DrawDocument { seed: "1/T-1/control".into(), ..control.clone() };
        assert!(matches!(verify_control(&other_seed, &main, &p), Err(Difference::ControlSeed { .. })));
        let with_reserve =
            draw(&control_population(&p, &main), &control.seed, &SizeRule::Size(5), 2).unwrap();
        assert_eq!(verify_control(&with_reserve, &main, &p), Err(Difference::ControlRule));
        // Drawn from the whole population instead of what the draw left: the hash differs.
        let whole = draw(&p, &control.seed, &SizeRule::Size(5), 0).unwrap();
        assert!(matches!(verify_control(&whole, &main, &p), Err(Difference::PopulationSize { .. })));
        let mut swapped = control.clone();
        swapped.selected[0].id = main.selected[0].id.clone();
        assert!(matches!(verify_control(&swapped, &main, &p), Err(Difference::Rank { .. })));
    }

    #[test]
    fn the_targets_are_the_draws_entries_then_the_control_samples_in_rank_order() {
        let p = population();
        let main = main_draw(&p);
        let control = draw_control(&p, &main, 3).unwrap();
        // The first selected firm replaced by the first reserve, then the control sample.
        let mut selected: Vec<Selection> = main.selected[1..].to_vec();
        selected.push(main.reserve[0].clone());
        selected.extend(control.selected.iter().cloned());
        let targets = DrawDocument { selected, reserve: Vec::new(), ..main.clone() };
        check_targets(&targets, &main, Some(&control)).unwrap();
        // Without the control document the control entries are not the draw's.
        assert_eq!(check_targets(&targets, &main, None), Err(Difference::Target { position: 7 }));
        // A control entry before a draw entry is out of order.
        let mut mixed = targets.clone();
        mixed.selected.swap(5, 6);
        assert_eq!(check_targets(&mixed, &main, Some(&control)), Err(Difference::Target { position: 7 }));
        // An entry changed (another ticket) is not the draw's.
        let mut changed = targets.clone();
        changed.selected[7].ticket = main.selected[0].ticket.clone();
        assert_eq!(check_targets(&changed, &main, Some(&control)), Err(Difference::Target { position: 8 }));
    }
}
