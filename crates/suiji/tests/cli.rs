//! The `suiji` binary end to end: real files in a temporary directory, real processes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../draw/tests/vectors");

fn example(name: &str) -> String {
    format!("{EXAMPLES}/{name}")
}

fn suiji(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_suiji")).args(args).output().expect("suiji runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }
    fn file(&self, name: &str, content: impl AsRef<[u8]>) -> String {
        let p = self.0.path().join(name);
        std::fs::write(&p, content).unwrap();
        p.display().to_string()
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

/// Runs a command that must fail on bad input: exit 2, one line naming the problem, no output.
fn fails_with(args: &[&str], expected: &str) {
    let o = suiji(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert_eq!(stdout(&o), "", "{args:?}");
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(expected), "{args:?}\nexpected: {expected}\nfound: {err}");
}

/// A malformed command line: exit 2, clap's message first, then its usage lines.
fn usage_error(args: &[&str], expected: &str) {
    let o = suiji(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    let err = stderr(&o);
    assert!(err.lines().next().unwrap().contains(expected), "{args:?}\nexpected: {expected}\nfound: {err}");
}

#[test]
fn draw_assign_verify_round_trip_on_the_examples() {
    let dir = Dir::new();
    let (draw, teams) = (dir.path("draw.json"), dir.path("teams.json"));
    let (draw, teams) = (draw.to_str().unwrap(), teams.to_str().unwrap());
    let pop = example("population.csv");
    let o = suiji(&[
        "draw",
        "--population",
        &pop,
        "--seed",
        "20261123/T-1",
        "--ratio-bp",
        "1000",
        "--reserve",
        "2",
        "--out",
        draw,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&std::fs::read(draw).unwrap()).unwrap();
    assert_eq!(doc["protocol"], "suiji-draw/1");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(draw).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "readable by others, as documents are shared: {mode:o}");
    }
    assert_eq!(doc["rule"], serde_json::json!({"ratio_bp": 1000}));
    assert_eq!(doc["selected"].as_array().unwrap().len(), 6);
    assert_eq!(doc["reserve"][1]["rank"], 8);

    let (insp, rec) = (example("inspectors.csv"), example("recusals.csv"));
    let o = suiji(&[
        "assign",
        "--draw",
        draw,
        "--inspectors",
        &insp,
        "--recusals",
        &rec,
        "--require",
        "劳动保障监察大队=1",
        "--require",
        "社会保险科=1",
        "--max-load",
        "2",
        "--out",
        teams,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = suiji(&[
        "verify",
        "--draw",
        draw,
        "--population",
        &pop,
        "--assignment",
        teams,
        "--inspectors",
        &insp,
        "--recusals",
        &rec,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("60 entities, population_sha256"), "{out}");
    assert!(out.contains("6 teams recomputed"), "{out}");
    assert!(
        out.ends_with("OK: the documents are exactly what the protocol gives for these inputs\n"),
        "{out}"
    );

    // Without the recusals the assignment was made with, verify names the recusals.
    let o = suiji(&[
        "verify",
        "--draw",
        draw,
        "--population",
        &pop,
        "--assignment",
        teams,
        "--inspectors",
        &insp,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("recusals hash differs"), "{}", stderr(&o));
}

#[test]
fn verify_names_the_first_difference() {
    let dir = Dir::new();
    let pop = example("population.csv");
    let draw_path = dir.path("draw.json");
    let draw = draw_path.to_str().unwrap();
    assert!(
        suiji(&["draw", "--population", &pop, "--seed", "7", "--size", "5", "--out", draw]).status.success()
    );
    let original: Value = serde_json::from_slice(&std::fs::read(draw).unwrap()).unwrap();
    let check = |doc: &Value, population: &str, expected: &str| {
        let f = dir.file("changed.json", serde_json::to_vec(doc).unwrap());
        let o = suiji(&["verify", "--draw", &f, "--population", population]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(expected), "expected {expected}, found {}", stderr(&o));
    };

    // One weight changed in the population file.
    let text = std::fs::read_to_string(&pop).unwrap();
    let line = text.lines().nth(1).unwrap();
    let (id, _) = line.split_once(',').unwrap();
    let changed = text.replacen(line, &format!("{id},3,小型"), 1);
    check(&original, &dir.file("pop.csv", changed), "population hash differs");

    // Ranks 2 and 3 swapped.
    let mut doc = original.clone();
    doc["selected"].as_array_mut().unwrap().swap(1, 2);
    check(&doc, &pop, "selected rank 2 differs");

    // A ticket digit changed.
    let mut doc = original.clone();
    let t = doc["selected"][4]["ticket"].as_str().unwrap().to_owned();
    let last = if t.ends_with('1') { "2" } else { "1" };
    doc["selected"][4]["ticket"] = Value::from(format!("{}{last}", &t[..t.len() - 1]));
    check(&doc, &pop, "selected rank 5 differs");

    // A different seed.
    let mut doc = original.clone();
    doc["seed"] = Value::from("8");
    check(&doc, &pop, "selected rank 1 differs");

    // A team changed.
    let teams_path = dir.path("teams.json");
    let teams = teams_path.to_str().unwrap();
    let insp = example("inspectors.csv");
    assert!(
        suiji(&["assign", "--draw", draw, "--inspectors", &insp, "--team-size", "3", "--out", teams])
            .status
            .success()
    );
    let mut a: Value = serde_json::from_slice(&std::fs::read(teams).unwrap()).unwrap();
    a["teams"][3]["inspectors"].as_array_mut().unwrap().swap(0, 1);
    let f = dir.file("teams-changed.json", serde_json::to_vec(&a).unwrap());
    let o =
        suiji(&["verify", "--draw", draw, "--population", &pop, "--assignment", &f, "--inspectors", &insp]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("team 4 differs"), "{}", stderr(&o));
}

/// Every shared test vector through the binary: CSV files in, documents out.
#[test]
fn the_vectors_through_the_command_line() {
    let dir = Dir::new();
    let mut names: Vec<_> = std::fs::read_dir(VECTORS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 12);
    for path in names {
        let case: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let rows = |key: &str, cols: &[&str]| {
            let mut csv = cols.join(",") + "\n";
            for r in case[key].as_array().unwrap() {
                let cells: Vec<String> = cols
                    .iter()
                    .map(|c| r[c].as_str().map_or_else(|| r[c].to_string(), str::to_owned))
                    .collect();
                csv += &(cells.join(",") + "\n");
            }
            csv
        };
        let pop = dir.file("pop.csv", rows("population", &["id", "weight", "stratum"]));
        let insp = dir.file("insp.csv", rows("inspectors", &["id", "department"]));
        let rec = dir.file("rec.csv", rows("recusals", &["inspector_id", "target_id"]));
        let mut args = vec!["draw".to_owned(), "--population".into(), pop.clone(), "--seed".into()];
        args.push(case["seed"].as_str().unwrap().into());
        let params = case["params"].as_object().unwrap();
        for (k, v) in params {
            match k.as_str() {
                "size" => args.extend(["--size".into(), v.to_string()]),
                "ratio_bp" => args.extend(["--ratio-bp".into(), v.to_string()]),
                _ => {
                    for (s, q) in v.as_object().unwrap() {
                        args.extend(["--quota".into(), format!("{s}={q}")]);
                    }
                }
            }
        }
        let draw = dir.path("draw.json").display().to_string();
        args.extend(["--out".into(), draw.clone()]);
        let o = suiji(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(o.status.success(), "{path:?}: {}", stderr(&o));
        let doc: Value = serde_json::from_slice(&std::fs::read(&draw).unwrap()).unwrap();
        assert_eq!(doc, case["expect_draw"], "{path:?}");

        let p = &case["assign_params"];
        let mut args = vec!["assign", "--draw", &draw, "--inspectors", &insp, "--recusals", &rec];
        let (team_size, max_load) = (p["team_size"].to_string(), p["max_load"].to_string());
        let requires: Vec<String> = p["require"]
            .as_object()
            .map(|r| r.iter().map(|(d, n)| format!("{d}={n}")).collect())
            .unwrap_or_default();
        if requires.is_empty() {
            args.extend(["--team-size", &team_size]);
        }
        for r in &requires {
            args.extend(["--require", r]);
        }
        if !p["max_load"].is_null() {
            args.extend(["--max-load", &max_load]);
        }
        let o = suiji(&args);
        if let Some(error) = case["expect_assign"]["error"].as_str() {
            assert_eq!(o.status.code(), Some(2), "{path:?}");
            assert_eq!(stderr(&o), format!("suiji: error: cannot assign: {error}\n"));
            continue;
        }
        assert!(o.status.success(), "{path:?}: {}", stderr(&o));
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["teams"], case["expect_assign"]["teams"], "{path:?}");
        assert_eq!(doc["seed"], case["expect_assign"]["seed"], "{path:?}");
        assert_eq!(doc["team_size"], case["expect_assign"]["team_size"], "{path:?}");
    }
}

#[test]
fn bom_crlf_quotes_and_column_order_do_not_change_the_draw() {
    let dir = Dir::new();
    let plain = dir.file("plain.csv", "id,weight,stratum\nA-1,2,x\nB,1,y\n\"C,3\",4,x\n");
    let other =
        dir.file("other.csv", "\u{feff}Stratum , ID,weight\r\nx,A-1,2\r\n\r\ny,\"B\",1\r\nx,\"C,3\",4\r\n");
    let a = suiji(&["draw", "--population", &plain, "--seed", "1", "--size", "3"]);
    let b = suiji(&["draw", "--population", &other, "--seed", "1", "--size", "3"]);
    assert!(a.status.success() && b.status.success(), "{}{}", stderr(&a), stderr(&b));
    assert_eq!(stdout(&a), stdout(&b));
    assert!(stdout(&a).contains("\"id\":\"C,3\""));
    // Weight and stratum are optional: weight 1, empty stratum.
    let ids = dir.file("ids.csv", "id\nA-1\nB\n");
    let o = suiji(&["draw", "--population", &ids, "--seed", "1", "--quota", "=2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"stratum\":\"\""));
}

#[test]
fn bad_population_files_are_named_by_row_and_column() {
    let dir = Dir::new();
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "dup.csv",
            b"id,weight\nA,1\nB,2\nA,3\n",
            "dup.csv: row 4, column id: duplicate id \"A\", also on row 2",
        ),
        (
            "collide.csv",
            b"id,weight\nA,2\nA#2,1\n",
            "collide.csv: row 3, column id: id \"A#2\" is also ticket name 2 of \"A\" (weight 2)",
        ),
        (
            "crlf.csv",
            b"id,weight\r\nA,1\r\n\r\nB,x\r\n",
            "crlf.csv: row 4, column weight: weight must be a whole number",
        ),
        (
            "crlf-q.csv",
            b"id,weight\r\n\"A\",1\r\n\r\n\"B\",x\r\n",
            "crlf-q.csv: row 4, column weight: weight must be a whole number",
        ),
        ("lead.csv", b"\r\n\r\nid\r\nA\r\n\r\n,\r\n", "lead.csv: row 6: has 2 fields, the header has 1"),
        ("empty-id.csv", b"id,weight\nA,1\n,2\n", "empty-id.csv: row 3, column id: id is empty"),
        (
            "frac.csv",
            b"id,weight\nA,1.5\n",
            "frac.csv: row 2, column weight: weight must be a whole number from 1 to 10000, found \"1.5\"",
        ),
        (
            "zero.csv",
            b"id,weight\nA,0\n",
            "zero.csv: row 2, column weight: weight must be a whole number from 1 to 10000, found 0",
        ),
        ("neg.csv", b"id,weight\nA,-2\n", "neg.csv: row 2, column weight: weight must be a whole number"),
        (
            "huge.csv",
            b"id,weight\nA,99999999999999999999999\n",
            "huge.csv: row 2, column weight: weight must be a whole number",
        ),
        (
            "header.csv",
            b"id,wieght\nA,1\n",
            "header.csv: row 1: unknown column \"wieght\" (column 2); the header is id,weight,stratum",
        ),
        ("noid.csv", b"weight\n1\n", "noid.csv: row 1: the header has no \"id\" column"),
        ("twice.csv", b"id,id\n1,2\n", "twice.csv: row 1: column \"id\" appears twice"),
        ("fields.csv", b"id,weight\nA,1,x\n", "fields.csv: row 2: has 3 fields, the header has 2"),
        ("utf8.csv", b"id\nA\n\xff\xfe\n", "utf8.csv: row 3: not valid UTF-8"),
        ("gbk.csv", b"id,stratum\nA,\xb4\xf3\xd0\xcd\n", "gbk.csv: row 2: not valid UTF-8"),
        ("blank.csv", b"", "blank.csv: is empty; it needs the header id,weight,stratum"),
        ("space.csv", b"id\nA \n", "space.csv: row 2, column id: id \"A \" begins or ends with a space"),
        (
            "tab.csv",
            b"id,stratum\nA,x\ty\n",
            "tab.csv: row 2, column stratum: stratum \"x\\ty\" contains a control character",
        ),
        ("quote.csv", b"id\n\"A\n", "quote.csv: row 2, column id: id \"A\\n\" contains a control character"),
    ];
    for (name, content, expected) in cases {
        let f = dir.file(name, content);
        fails_with(&["draw", "--population", &f, "--seed", "1", "--size", "1"], expected);
    }
    fails_with(
        &["draw", "--population", "missing.csv", "--seed", "1", "--size", "1"],
        "missing.csv: cannot read:",
    );
}

#[test]
fn rules_that_cannot_be_served_are_refused_and_nothing_is_written() {
    let dir = Dir::new();
    let pop = example("population.csv");
    let out = dir.file("out.json", "previous content");
    let base = ["draw", "--population", pop.as_str(), "--seed", "1", "--out", out.as_str()];
    let with = |extra: &[&'static str]| [&base[..], extra].concat();
    fails_with(&with(&["--size", "61"]), "size 61 is larger than the population (60 entities)");
    fails_with(&with(&["--size", "0"]), "size must be at least 1");
    fails_with(&with(&["--ratio-bp", "0"]), "ratio must be from 1 to 10000 basis points, found 0");
    fails_with(&with(&["--ratio-bp", "10001"]), "found 10001");
    fails_with(
        &with(&["--quota", "大型=5"]),
        "quota of 5 for stratum \"大型\" cannot be filled: it has 4 entities",
    );
    fails_with(&with(&["--quota", "巨型=1"]), "it has 0 entities");
    fails_with(&with(&["--quota", "大型=0"]), "quota for stratum \"大型\" must be at least 1");
    fails_with(&with(&["--quota", "大型=1", "--quota", "大型=2"]), "--quota \"大型\" is given twice");
    usage_error(&with(&["--quota", "大型"]), "expected NAME=NUMBER");
    fails_with(&with(&["--size", "59", "--reserve", "2"]), "reserve of 2 is more than the 1 entities left");
    usage_error(&with(&["--size", "5", "--ratio-bp", "4"]), "cannot be used with");
    usage_error(&with(&["--size", "-5"]), "unexpected argument");
    usage_error(&with(&["--size", "five"]), "invalid value");
    fails_with(&["draw", "--population", &pop, "--seed", "", "--size", "1"], "--seed is empty");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous content");
}

#[test]
fn assignments_that_cannot_be_made_are_refused() {
    let dir = Dir::new();
    let draw = dir.path("d.json").display().to_string();
    let pop = example("population.csv");
    assert!(
        suiji(&["draw", "--population", &pop, "--seed", "1", "--size", "5", "--out", &draw]).status.success()
    );
    let insp = example("inspectors.csv");
    let base = ["assign", "--draw", draw.as_str(), "--inspectors", insp.as_str()];
    let with = |extra: &[&'static str]| [&base[..], extra].concat();
    fails_with(&with(&["--team-size", "1"]), "a team needs at least 2 inspectors, the rule asks for 1");
    fails_with(&with(&["--team-size", "14"]), "the pool has 13 inspectors, a team needs 14");
    fails_with(
        &with(&["--require", "社会保险科=6"]),
        "department \"社会保险科\" has 5 inspectors, a team needs 6",
    );
    fails_with(
        &with(&["--require", "办公室=1", "--require", "社会保险科=1"]),
        "department \"办公室\" has 0 inspectors",
    );
    fails_with(
        &with(&["--require", "社会保险科=1"]),
        "a team needs at least 2 inspectors, the rule asks for 1",
    );
    fails_with(&with(&["--team-size", "13", "--max-load", "0"]), "maximum load must be at least 1");
    fails_with(&with(&["--team-size", "13", "--max-load", "1"]), "cannot assign: not enough inspectors for");
    let dup = dir.file("dup.csv", "id,department\nX,a\nY,b\nX,c\n");
    fails_with(
        &["assign", "--draw", &draw, "--inspectors", &dup, "--team-size", "2"],
        "dup.csv: row 4, column id: duplicate inspector id \"X\", also on row 2",
    );
    let crlf = dir.file("crlf.csv", "id,department\r\nX,a\r\n\r\nY,b\r\nX,c\r\n");
    fails_with(
        &["assign", "--draw", &draw, "--inspectors", &crlf, "--team-size", "2"],
        "crlf.csv: row 5, column id: duplicate inspector id \"X\", also on row 2",
    );
    let nodept = dir.file("nodept.csv", "id,department\nX,\nY,b\n");
    fails_with(
        &["assign", "--draw", &draw, "--inspectors", &nodept, "--team-size", "2"],
        "nodept.csv: row 2, column department: department is empty",
    );
    let rec = dir.file("rec.csv", "inspector_id,target\nX,Y\n");
    fails_with(
        &["assign", "--draw", &draw, "--inspectors", &insp, "--team-size", "2", "--recusals", &rec],
        "rec.csv: row 1: unknown column \"target\"",
    );
    fails_with(
        &["assign", "--draw", &pop, "--inspectors", &insp, "--team-size", "2"],
        "population.csv: not a suiji-draw/1 document",
    );
}

#[test]
fn help_explains_each_command_with_an_example() {
    let o = suiji(&["--help"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Example:"));
    for cmd in [
        "draw",
        "assign",
        "verify",
        "import",
        "export",
        "template",
        "calendar is-workday",
        "calendar add-workdays",
        "calendar import",
    ] {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push("--help");
        let o = suiji(&args);
        assert!(o.status.success(), "{cmd}");
        let text = stdout(&o);
        assert!(text.contains("Example") && text.contains(&format!("suiji {cmd} ")), "{cmd}: {text}");
    }
    assert_eq!(suiji(&[]).status.code(), Some(2));
    assert_eq!(suiji(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn output_goes_to_stdout_without_out() {
    let o = suiji(&["draw", "--population", &example("population.csv"), "--seed", "1", "--size", "2"]);
    assert!(o.status.success());
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["population_size"], 60);
    assert!(Path::new(EXAMPLES).join("population.csv").exists());
}

/// 对照样本 re-checked as a citizen would: the control population made from the published
/// population less the draw's entries (weight 1, no stratum), the control sample drawn from it
/// with `<seed>/control`, and the teams made for the draw's targets then the control sample's.
#[test]
fn verify_checks_a_control_sample_and_teams_made_for_it() {
    let dir = Dir::new();
    let pop = example("population.csv");
    let seed = "25646924322630583082/T-2026-009";
    let draw = dir.path("draw.json").display().to_string();
    let o = suiji(&[
        "draw",
        "--population",
        &pop,
        "--seed",
        seed,
        "--size",
        "5",
        "--reserve",
        "2",
        "--out",
        &draw,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&std::fs::read(&draw).unwrap()).unwrap();
    let drawn: Vec<&str> = doc["selected"]
        .as_array()
        .unwrap()
        .iter()
        .chain(doc["reserve"].as_array().unwrap())
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let text = std::fs::read_to_string(&pop).unwrap();
    let mut left = String::from("id,weight,stratum\n");
    for line in text.lines().skip(1) {
        let id = line.split(',').next().unwrap();
        if !drawn.contains(&id) {
            left.push_str(&format!("{id},1,\n"));
        }
    }
    let left = dir.file("control-population.csv", left);
    let control = dir.path("control.json").display().to_string();
    let control_seed = format!("{seed}/control");
    let o =
        suiji(&["draw", "--population", &left, "--seed", &control_seed, "--size", "3", "--out", &control]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = suiji(&["verify", "--draw", &draw, "--population", &pop, "--control", &control]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("control sample") && stdout(&o).contains("53 entities"), "{}", stdout(&o));

    // Drawn from the whole population instead: found out.
    let whole = dir.path("whole.json").display().to_string();
    assert!(
        suiji(&["draw", "--population", &pop, "--seed", &control_seed, "--size", "3", "--out", &whole])
            .status
            .success()
    );
    let o = suiji(&["verify", "--draw", &draw, "--population", &pop, "--control", &whole]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("population size differs"), "{}", stderr(&o));
    // Another seed: found out.
    let other = dir.path("other.json").display().to_string();
    assert!(
        suiji(&["draw", "--population", &left, "--seed", "1/control", "--size", "3", "--out", &other])
            .status
            .success()
    );
    let o = suiji(&["verify", "--draw", &draw, "--population", &pop, "--control", &other]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("control sample's seed"), "{}", stderr(&o));

    // Teams for the draw's selection, then the control sample: targets.json as the portal gives it.
    let c: Value = serde_json::from_slice(&std::fs::read(&control).unwrap()).unwrap();
    let mut targets = doc.clone();
    let mut list = doc["selected"].as_array().unwrap().clone();
    list.extend(c["selected"].as_array().unwrap().iter().cloned());
    targets["selected"] = Value::from(list);
    targets.as_object_mut().unwrap().remove("reserve");
    let targets_path = dir.file("targets.json", serde_json::to_vec(&targets).unwrap());
    let teams = dir.path("teams.json").display().to_string();
    let insp = example("inspectors.csv");
    let o = suiji(&[
        "assign",
        "--draw",
        &targets_path,
        "--inspectors",
        &insp,
        "--team-size",
        "2",
        "--out",
        &teams,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let args = |targets: &str| {
        suiji(&[
            "verify",
            "--draw",
            &draw,
            "--population",
            &pop,
            "--control",
            &control,
            "--targets",
            targets,
            "--assignment",
            &teams,
            "--inspectors",
            &insp,
        ])
    };
    let o = args(&targets_path);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("8 targets") && stdout(&o).contains("8 teams"), "{}", stdout(&o));
    // Without targets.json the teams are recomputed from the draw alone: they differ.
    let o = suiji(&[
        "verify",
        "--draw",
        &draw,
        "--population",
        &pop,
        "--assignment",
        &teams,
        "--inspectors",
        &insp,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // A target that is none of the draw's entries.
    let mut forged = targets.clone();
    forged["selected"][6]["id"] = Value::from("91410300000000000X");
    let forged = dir.file("forged.json", serde_json::to_vec(&forged).unwrap());
    let o = args(&forged);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("target 7 is not an entry"), "{}", stderr(&o));
}
