//! Fuzzing the file and argument parsing in-process: no input may panic. Every run ends in a
//! document or in a `Failure` with a message, and a document is always valid JSON.

use proptest::prelude::*;
use suiji::{Failure, run};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

/// Runs suiji in-process; checks that success printed JSON and failure has a message.
fn run_checked(args: &[String]) -> Result<(), String> {
    let mut out = Vec::new();
    match run(std::iter::once("suiji".to_owned()).chain(args.iter().cloned()), &mut out) {
        Ok(()) => {
            let text = String::from_utf8(out).map_err(|e| e.to_string())?;
            if args.first().is_some_and(|c| c == "draw" || c == "assign")
                && !args.iter().any(|a| a == "--out")
            {
                serde_json::from_str::<serde_json::Value>(&text).map_err(|e| format!("not JSON: {e}"))?;
            }
            Ok(())
        }
        Err(Failure::Usage(_)) => Ok(()),
        Err(Failure::Rejected(report)) if !report.trim().is_empty() => Ok(()),
        Err(Failure::Rejected(_)) => Err("an import's rejection must list its problems".into()),
        Err(f @ (Failure::Input(_) | Failure::Difference(_))) => {
            let message = f.to_string();
            if message.trim().is_empty() || message.contains('\n') {
                return Err(format!("a failure must be one line: {message:?}"));
            }
            Ok(())
        }
    }
}

/// CSV-like text from pieces that reach the interesting paths: headers, quotes, separators,
/// line ends, BOMs, numbers in and out of range, non-ASCII and control characters.
fn csv_text() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "id",
        "weight",
        "stratum",
        "department",
        "inspector_id",
        "target_id",
        "ID",
        " weight ",
        "A",
        "B",
        "个体-1",
        "91410307MA9XXXXXXX",
        "\"",
        "\"\"",
        ",",
        ",",
        ",",
        "\n",
        "\n",
        "\r\n",
        "\r",
        " ",
        "0",
        "1",
        "2",
        "4",
        "10000",
        "10001",
        "-1",
        "1.5",
        "99999999999999999999999",
        "\u{feff}",
        "\t",
        "\0",
        "é",
        "=",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat().into_bytes())
}

fn file(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, content).unwrap();
    p.display().to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_bytes_as_a_population(bytes in prop::collection::vec(any::<u8>(), 0..300), k in 0u64..4) {
        let dir = tempfile::tempdir().unwrap();
        let pop = file(&dir, "pop.csv", &bytes);
        let args: Vec<String> = ["draw", "--population", &pop, "--seed", "1", "--size", &k.to_string()].map(String::from).to_vec();
        prop_assert_eq!(run_checked(&args), Ok(()));
    }

    #[test]
    fn csv_like_text_as_every_kind_of_file(
        pop in csv_text(), insp in csv_text(), rec in csv_text(), ratio in 0u32..10002, g in 0u32..4,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let header_pop = [b"id,weight,stratum\n".as_slice(), &pop].concat();
        let pop = file(&dir, "pop.csv", &header_pop);
        let draw = dir.path().join("draw.json").display().to_string();
        let args: Vec<String> = ["draw", "--population", &pop, "--seed", "s", "--ratio-bp", &ratio.to_string(), "--out", &draw]
            .map(String::from).to_vec();
        prop_assert_eq!(run_checked(&args), Ok(()));
        let draw = if std::path::Path::new(&draw).exists() { draw } else {
            // Assign against a known-good draw so the pool parsing is reached too.
            let example = format!("{EXAMPLES}/population.csv");
            let args: Vec<String> = ["draw", "--population", &example, "--seed", "s", "--size", "3", "--out", &draw].map(String::from).to_vec();
            prop_assert_eq!(run_checked(&args), Ok(()));
            draw
        };
        let insp = file(&dir, "insp.csv", &[b"id,department\n".as_slice(), &insp].concat());
        let rec = file(&dir, "rec.csv", &[b"inspector_id,target_id\n".as_slice(), &rec].concat());
        let args: Vec<String> = ["assign", "--draw", &draw, "--inspectors", &insp, "--recusals", &rec, "--team-size", &g.to_string()]
            .map(String::from).to_vec();
        prop_assert_eq!(run_checked(&args), Ok(()));
    }

    #[test]
    fn mutated_documents_are_verified_without_panic(cut in 0usize..2000, byte in any::<u8>(), replace in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let pop = format!("{EXAMPLES}/population.csv");
        let draw = dir.path().join("draw.json").display().to_string();
        let args: Vec<String> = ["draw", "--population", &pop, "--seed", "9", "--size", "4", "--reserve", "1", "--out", &draw].map(String::from).to_vec();
        prop_assert_eq!(run_checked(&args), Ok(()));
        let mut doc = std::fs::read(&draw).unwrap();
        let at = cut % doc.len();
        if replace { doc[at] = byte } else { doc.insert(at, byte) }
        let changed = file(&dir, "changed.json", &doc);
        let args: Vec<String> = ["verify", "--draw", &changed, "--population", &pop].map(String::from).to_vec();
        prop_assert_eq!(run_checked(&args), Ok(()));
    }

    #[test]
    fn any_arguments(args in prop::collection::vec(prop::sample::select(vec![
        "draw", "assign", "verify", "--population", "--seed", "--size", "--ratio-bp", "--quota", "--reserve", "--out",
        "--draw", "--inspectors", "--recusals", "--team-size", "--require", "--max-load", "--assignment", "--help",
        "-h", "--version", "0", "1", "2", "60", "10000", "-3", "A=1", "大型=2", "=", "x=y", "",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/population.csv"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/inspectors.csv"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/recusals.csv"),
        "/nonexistent", "/dev/null",
    ]), 0..12)) {
        // `--out` would write into the examples folder: keep outputs out of the tree.
        let args: Vec<String> = args.into_iter().filter(|a| *a != "--out").map(String::from).collect();
        prop_assert_eq!(run_checked(&args), Ok(()));
    }
}
