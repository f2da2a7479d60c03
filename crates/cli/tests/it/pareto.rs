//! `perfstat pareto`: the JSON contract on a hand-checked input, input shapes,
//! constraints, bad input and the Markdown report.

use std::ffi::OsStr;

use serde_json::Value;

use crate::util::{Inputs, input_error, perfstat};

/// Two objectives, hand-checked (cost ↓, tps ↑):
/// a (1, 100), b (2, 300), c (2.5, 250), d (4, 400), e (5, 500), f (3, 200).
/// Front: a, b, d, e; then c (dominated by b), then f (dominated by b and c).
const SMALL: &str = r#"{
  "objectives": [{"name": "cost", "direction": "min"}, {"name": "tps", "direction": "max"}],
  "configs": [
    {"id": "a", "params": {"bs": 1, "precision": "int4"}, "metrics": {"cost": 1, "tps": 100}},
    {"id": "b", "params": {"bs": 2, "precision": "fp8"}, "metrics": {"cost": 2, "tps": 300}},
    {"id": "c", "params": {"bs": 4, "precision": "fp8"}, "metrics": {"cost": 2.5, "tps": 250}},
    {"id": "d", "params": {"bs": 8, "precision": "fp16"}, "metrics": {"cost": 4, "tps": 400}},
    {"id": "e", "params": {"bs": 16, "precision": "fp16"}, "metrics": {"cost": 5, "tps": 500}},
    {"id": "f", "params": {"bs": 32, "precision": "fp16"}, "metrics": {"cost": 3, "tps": 200}}
  ]
}"#;

const SMALL_CSV: &str = "name,precision,cost,tps\n\
a,int4,1,100\nb,fp8,2,300\nc,fp8,2.5,250\nd,fp16,4,400\ne,fp16,5,500\nf,fp16,3,200\n";

fn json_of(path: &std::path::Path, extra: &[&str]) -> Value {
    let out = perfstat()
        .arg("pareto")
        .arg(path)
        .args(extra)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stderr: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn config<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["configs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn json_contract_on_a_hand_checked_input() {
    let i = Inputs::new();
    let p = i.file("small.json", SMALL);
    let doc = json_of(&p, &["--reference", "cost=6,tps=0"]);
    assert_eq!(doc["command"], "pareto");
    assert_eq!(
        doc["objectives"],
        serde_json::json!([{"name": "cost", "direction": "min"}, {"name": "tps", "direction": "max"}])
    );
    let fronts: Vec<Vec<&str>> = doc["fronts"].as_array().unwrap().iter().map(ids).collect();
    assert_eq!(fronts, vec![vec!["a", "b", "d", "e"], vec!["c"], vec!["f"]]);
    for (id, rank) in [("a", 1), ("b", 1), ("c", 2), ("d", 1), ("e", 1), ("f", 3)] {
        let c = config(&doc, id);
        assert_eq!(c["rank"], rank, "{id}");
        assert_eq!(c["feasible"], true);
        assert!(c["violations"].as_array().unwrap().is_empty());
    }
    // Crowding: boundaries a, e infinite → null; b = (3/4 + 3/4) / 2; d = (3/4 + 1/2) / 2;
    // a front of one point (c) is all boundary.
    assert_eq!(config(&doc, "a")["crowding_distance"], Value::Null);
    assert_eq!(config(&doc, "e")["crowding_distance"], Value::Null);
    assert!((config(&doc, "b")["crowding_distance"].as_f64().unwrap() - 0.75).abs() < 1e-12);
    assert!((config(&doc, "d")["crowding_distance"].as_f64().unwrap() - 0.625).abs() < 1e-12);
    assert_eq!(config(&doc, "c")["crowding_distance"], Value::Null);
    assert_eq!(ids(&config(&doc, "c")["dominated_by"]), ["b"]);
    // dominated_by lists first-front dominators only (c also dominates f).
    assert_eq!(ids(&config(&doc, "f")["dominated_by"]), ["b"]);
    assert!(
        config(&doc, "b")["dominated_by"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Hypervolume to (6, 0): 5·100 + 4·200 + 2·100 + 1·100.
    assert!((doc["hypervolume"].as_f64().unwrap() - 1600.0).abs() < 1e-9);
    assert_eq!(
        doc["reference"],
        serde_json::json!({"cost": 6.0, "tps": 0.0})
    );
    // Normalised over the front: a (0, 1), b (.25, .5), d (.75, .25), e (1, 0).
    assert_eq!(doc["knee"], "b");
    assert_eq!(config(&doc, "b")["status"], "frontier");
    assert_eq!(config(&doc, "c")["status"], "dominated");
    assert_eq!(doc["repeated_measurements"], false);
    assert_eq!(
        config(&doc, "c")["metrics"],
        serde_json::json!({"cost": 2.5, "tps": 250.0})
    );
    // Params keep the file's order.
    let params = &config(&doc, "a")["params"];
    assert_eq!(params, &serde_json::json!({"bs": 1, "precision": "int4"}));
}

#[test]
fn hypervolume_is_null_without_reference() {
    let i = Inputs::new();
    let p = i.file("small.json", SMALL);
    let doc = json_of(&p, &[]);
    assert_eq!(doc["hypervolume"], Value::Null);
    assert_eq!(doc["reference"], Value::Null);
}

#[test]
fn objective_flags_override_the_file() {
    let i = Inputs::new();
    let p = i.file("small.json", SMALL);
    let doc = json_of(&p, &["--objective", "cost:max", "--objective", "tps:max"]);
    assert_eq!(doc["objectives"][0]["direction"], "max");
    // Maximising cost and tps: e dominates everyone.
    assert_eq!(ids(&doc["fronts"][0]), ["e"]);
    let doc = json_of(&p, &["--objective", "tps:min"]);
    assert_eq!(doc["objectives"].as_array().unwrap().len(), 1);
    assert_eq!(ids(&doc["fronts"][0]), ["a"]);
}

#[test]
fn csv_and_flat_json_records() {
    let i = Inputs::new();
    let p = i.file("small.csv", SMALL_CSV);
    let flags = [
        "--objective",
        "cost:min",
        "--objective",
        "tps:max",
        "--id",
        "name",
    ];
    let doc = json_of(&p, &flags);
    let fronts: Vec<Vec<&str>> = doc["fronts"].as_array().unwrap().iter().map(ids).collect();
    assert_eq!(fronts, vec![vec!["a", "b", "d", "e"], vec!["c"], vec!["f"]]);
    assert_eq!(
        config(&doc, "a")["params"],
        serde_json::json!({"precision": "int4"})
    );

    // A bare JSON array of flat records; without an id field, ids are row numbers.
    let p = i.file(
        "flat.json",
        r#"[{"cost": 1, "tps": 100, "bs": 1}, {"cost": 2, "tps": 90, "bs": 2},
            {"cost": 3, "tps": [290, 300, 310], "bs": 4}]"#,
    );
    let doc = json_of(&p, &["--objective", "cost:min", "--objective", "tps:max"]);
    assert_eq!(ids(&doc["fronts"][0]), ["1", "3"]);
    assert_eq!(ids(&config(&doc, "2")["dominated_by"]), ["1"]);
    assert_eq!(config(&doc, "1")["params"], serde_json::json!({"bs": 1}));
    assert_eq!(doc["repeated_measurements"], true);
    let iv = &config(&doc, "3")["intervals"]["tps"];
    assert_eq!(iv["n"], 3);
    assert!(iv["lower"].as_f64().unwrap() < 300.0 && iv["upper"].as_f64().unwrap() > 300.0);
}

#[test]
fn constraints_make_configs_infeasible_and_name_what_they_break() {
    let i = Inputs::new();
    let p = i.file("small.json", SMALL);
    let doc = json_of(&p, &["--constraint", "cost<5", "--constraint", "tps>=100"]);
    let e = config(&doc, "e");
    assert_eq!(e["feasible"], false);
    assert_eq!(e["rank"], Value::Null);
    assert_eq!(e["crowding_distance"], Value::Null);
    assert_eq!(e["status"], Value::Null);
    assert_eq!(ids(&e["violations"]), ["cost<5"]);
    assert_eq!(ids(&doc["fronts"][0]), ["a", "b", "d"]);
    assert!(!doc["fronts"].to_string().contains("\"e\""));

    let out = perfstat()
        .args([
            OsStr::new("pareto"),
            p.as_os_str(),
            OsStr::new("-c"),
            OsStr::new("cost<5"),
        ])
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("## Infeasible configs (1)"), "{md}");
    assert!(md.contains("| `e` | `cost<5` | cost = 5.000 |"), "{md}");
}

#[test]
fn repeated_measurements_can_be_ambiguous() {
    let i = Inputs::new();
    // b beats a on the means, but b's throughput is very noisy.
    let p = i.file(
        "noisy.json",
        r#"{"objectives": ["cost:min", "tps:max"], "configs": [
            {"id": "a", "metrics": {"cost": 2, "tps": 200}},
            {"id": "b", "metrics": {"cost": 2, "tps": [150, 300, 180, 320]}},
            {"id": "c", "metrics": {"cost": 1, "tps": [100, 101, 99]}}]}"#,
    );
    let doc = json_of(&p, &[]);
    assert_eq!(config(&doc, "a")["rank"], 2);
    assert_eq!(config(&doc, "b")["rank"], 1);
    assert_eq!(config(&doc, "b")["status"], "ambiguous");
    assert_eq!(config(&doc, "a")["status"], "ambiguous");
    assert_eq!(config(&doc, "c")["status"], "frontier");
}

fn pareto_err(path: &std::path::Path, extra: &[&str]) -> String {
    let mut args: Vec<&OsStr> = vec![OsStr::new("pareto"), path.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    input_error(&args)
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    let i = Inputs::new();
    let p = i.file("small.json", SMALL);
    let err = pareto_err(&p, &["--objective", "latency:min"]);
    assert!(
        err.contains("small.json") && err.contains("unknown objective `latency`"),
        "{err}"
    );
    assert!(err.contains("metrics found: cost, tps"), "{err}");

    let err = pareto_err(&p, &["--constraint", "latency<=5"]);
    assert!(
        err.contains("latency") && err.contains("cost, tps"),
        "{err}"
    );

    let p = i.file(
        "missing.json",
        r#"{"objectives": ["cost:min", "tps:max"], "configs": [
            {"id": "a", "metrics": {"cost": 1, "tps": 2}}, {"id": "b2", "metrics": {"cost": 1}}]}"#,
    );
    let err = pareto_err(&p, &[]);
    assert!(err.contains("config `b2` has no metric `tps`"), "{err}");

    let p = i.file("nan.csv", "id,cost,tps\na,1,2\nb,NaN,3\n");
    let err = pareto_err(&p, &["-o", "cost:min", "-o", "tps:max"]);
    // NaN is a missing cell (`perfstat_ingest::table::is_missing`): an objective needs a number.
    assert!(
        err.contains("nan.csv:3:2: config `b`: metric `cost`: expected a number"),
        "{err}"
    );
    let p = i.file("inf.csv", "id,cost,tps\na,1,2\nb,inf,3\n");
    let err = pareto_err(&p, &["-o", "cost:min", "-o", "tps:max"]);
    assert!(
        err.contains("inf.csv:3:2: config `b`: metric `cost`: expected a finite number"),
        "{err}"
    );

    let p = i.file("text.csv", "id,cost,tps\na,1,2\nb,n/a,3\n");
    let err = pareto_err(&p, &["-o", "cost:min", "-o", "tps:max"]);
    assert!(
        err.contains("text.csv:3:2: config `b`: metric `cost`: expected a number"),
        "{err}"
    );

    let p = i.file("dup.csv", "id,cost,tps\na,1,2\na,2,3\n");
    let err = pareto_err(&p, &["-o", "cost:min", "-o", "tps:max"]);
    assert!(err.contains("duplicate config id `a`"), "{err}");

    let p = i.file(
        "empty.json",
        r#"{"objectives": ["cost:min"], "configs": []}"#,
    );
    let err = pareto_err(&p, &[]);
    assert!(err.contains("empty"), "{err}");
    let p = i.file("empty-array.json", "[]");
    let err = pareto_err(&p, &["-o", "cost:min"]);
    assert!(err.contains("empty"), "{err}");
    let p = i.file("header.csv", "id,cost\n");
    let err = pareto_err(&p, &["-o", "cost:min"]);
    assert!(err.contains("empty"), "{err}");

    let p = i.file(
        "broken.json",
        "{\"objectives\": [\"cost:min\"],\n \"configs\": [\n  {\"id\": \"a\" \"metrics\": {}}]}",
    );
    let err = pareto_err(&p, &[]);
    assert!(
        err.contains("broken.json:3:14: malformed JSON: expected `,` or `}`"),
        "{err}"
    );

    let p = i.file("flat.json", r#"[{"cost": 1}]"#);
    let err = pareto_err(&p, &[]);
    assert!(
        err.contains("no objectives") && err.contains("--objective"),
        "{err}"
    );

    let p = i.file("small.json", SMALL);
    let err = pareto_err(&p, &["--reference", "cost=6"]);
    assert!(err.contains("reference point"), "{err}");
    let err = pareto_err(&p, &["--reference", "cost=6,latency=3"]);
    assert!(err.contains("latency"), "{err}");
}

#[test]
fn table_marks_front_and_knee() {
    let i = Inputs::new();
    let p = i.file("small.json", SMALL);
    let out = perfstat().arg("pareto").arg(&p).output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let b = table.lines().find(|l| l.contains("  b  ")).unwrap();
    assert!(b.starts_with('*') && b.contains("knee"), "{table}");
    let c = table.lines().find(|l| l.contains("  c  ")).unwrap();
    assert!(
        !c.starts_with('*') && c.contains("dominated by b"),
        "{table}"
    );
    assert!(
        table.contains("cost ↓") && table.contains("tps ↑"),
        "{table}"
    );
}

#[test]
fn markdown_report_and_out_dir() {
    let i = Inputs::new();
    i.file("small.json", SMALL);
    let out = perfstat()
        .current_dir(i.dir.path())
        .args([
            "pareto",
            "small.json",
            "--constraint",
            "cost<5",
            "--reference",
            "cost=6,tps=0",
        ])
        .args(["--format", "markdown", "--out", "report"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    insta::with_settings!({prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("pareto_markdown", md);
    });
    let dir = i.dir.path().join("report");
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.starts_with("# perfstat pareto"));
    assert!(
        report.contains("![tps vs cost](pareto_tps_vs_cost.png)"),
        "{report}"
    );
    for f in [
        "pareto.json",
        "pareto_tps_vs_cost.png",
        "pareto_tps_vs_cost.svg",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let png = std::fs::read(dir.join("pareto_tps_vs_cost.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pareto.json")).unwrap()).unwrap();
    assert_eq!(doc["command"], "pareto");
}

/// Per-request sample files referenced by path from the `metrics` object,
/// resolved against the configs file's folder; the metric name's prefix picks
/// the statistic (here p95, type 7) and its order-statistic interval drives `status`.
#[test]
fn sample_files_by_path_give_a_percentile_and_its_interval() {
    let i = Inputs::new();
    std::fs::create_dir(i.dir.path().join("runs")).unwrap();
    let fast: String = (1..=100).map(|v| format!("{v}\n")).collect();
    let slow: String = (101..=200).map(|v| format!("{v}\n")).collect();
    i.file("runs/fast.csv", format!("latency_ms\n{fast}"));
    i.file("runs/slow.csv", format!("latency_ms\n{slow}"));
    let configs = i.file(
        "configs.json",
        r#"{
  "objectives": [{"name": "p95_latency_ms", "direction": "min"}, {"name": "tps", "direction": "max"}],
  "configs": [
    {"id": "a", "metrics": {"p95_latency_ms": "runs/fast.csv", "tps": 100}},
    {"id": "b", "metrics": {"p95_latency_ms": "runs/slow.csv", "tps": 50}},
    {"id": "c", "metrics": {"p95_latency_ms": "runs/slow.csv", "tps": 200}}
  ]
}"#,
    );
    let doc = json_of(&configs, &[]);
    // Type 7: h = (n − 1)·0.95 = 94.05 → x₍₉₅₎ + 0.05·(x₍₉₆₎ − x₍₉₅₎) = 95 + 0.05.
    let p95 = |c: &Value| c["metrics"]["p95_latency_ms"].as_f64().unwrap();
    assert!((p95(config(&doc, "a")) - 95.05).abs() < 1e-9, "{doc}");
    assert!((p95(config(&doc, "b")) - 195.05).abs() < 1e-9, "{doc}");
    assert_eq!(doc["repeated_measurements"], true);
    let iv = &config(&doc, "a")["intervals"]["p95_latency_ms"];
    assert_eq!(iv["n"], 100);
    let (lo, hi) = (iv["lower"].as_f64().unwrap(), iv["upper"].as_f64().unwrap());
    assert!(lo < 95.05 && 95.05 < hi && hi <= 100.0, "{iv}");
    // a's pessimistic p95 (≤ 100) beats b's optimistic one (≥ 101) and a has more tps.
    assert_eq!(config(&doc, "a")["status"], "frontier");
    assert_eq!(config(&doc, "b")["status"], "dominated");
    assert_eq!(config(&doc, "c")["status"], "frontier");
}

#[test]
fn sample_file_errors_name_the_config_and_the_path() {
    let i = Inputs::new();
    let missing = i.file(
        "missing.json",
        r#"{"objectives": ["p95_latency_ms:min"],
            "configs": [{"id": "a", "metrics": {"p95_latency_ms": "runs/nope.csv"}}]}"#,
    );
    let err = input_error(&[OsStr::new("pareto"), missing.as_os_str()]);
    assert!(err.contains("missing.json"), "{err}");
    assert!(err.contains("config `a`"), "{err}");
    assert!(err.contains("runs/nope.csv"), "{err}");

    i.file("x.csv", "latency_ms\n1\n2\n3\n");
    let no_prefix = i.file(
        "noprefix.json",
        r#"{"objectives": ["latency_ms:min"],
            "configs": [{"id": "b", "metrics": {"latency_ms": "x.csv"}}]}"#,
    );
    let err = input_error(&[OsStr::new("pareto"), no_prefix.as_os_str()]);
    assert!(err.contains("config `b`") && err.contains("x.csv"), "{err}");
    assert!(err.contains("p95_") && err.contains("mean_"), "{err}");
}

/// A front of ten (p0 … p9: cost i ↓, tps 10·i ↑) and 25 configs z0 … z24 (cost 100 + k, tps 0),
/// each dominated by all of
/// it: the closest five, the count, `--dominated-by-limit`, `--compact`, `--limit` / `--all`.
#[test]
fn output_stays_linear_dominated_by_is_capped_and_tables_are_limited() {
    let i = Inputs::new();
    let mut csv = String::from("id,cost,tps\n");
    for k in 0..10 {
        csv.push_str(&format!("p{k},{k},{}\n", 10 * k));
    }
    for k in 0..25 {
        csv.push_str(&format!("z{k},{},0\n", 100 + k));
    }
    let p = i.file("line.csv", csv);
    let objectives = ["-o", "cost:min", "-o", "tps:max"];
    let doc = json_of(&p, &objectives);
    assert_eq!(doc["dominated_by_limit"], 5);
    let z = config(&doc, "z0");
    assert_eq!(z["dominated_by_count"], 10);
    // Normalised distances from z0 (100, 0): p1 0.992, p0 1, p2 1.010, p3 1.052, p4 1.119.
    assert_eq!(ids(&z["dominated_by"]), ["p1", "p0", "p2", "p3", "p4"]);
    assert_eq!(config(&doc, "p3")["dominated_by_count"], 0);
    let all = json_of(
        &p,
        &[&objectives[..], &["--dominated-by-limit", "all"]].concat(),
    );
    assert_eq!(all["dominated_by_limit"], Value::Null);
    assert!(all["reasons"]["dominated_by_limit"].is_string());
    assert_eq!(ids(&config(&all, "z0")["dominated_by"]).len(), 10);

    let run = |extra: &[&str]| {
        let out = perfstat()
            .arg("pareto")
            .arg(&p)
            .args(objectives)
            .args(extra)
            .success();
        String::from_utf8(out.stdout).unwrap()
    };
    let compact = run(&["--format", "json", "--compact"]);
    assert_eq!(compact.lines().count(), 1);
    assert_eq!(serde_json::from_str::<Value>(&compact).unwrap(), doc);
    let table = run(&[]);
    assert!(
        table.contains("… 5 more dominated configs not shown (20 of 25)"),
        "{table}"
    );
    // z0 dominates z1 dominates z2 …: ranks 2 … 26 of one config each.
    assert!(
        table.contains("configs per rank: 1: 10 · 2: 1 · 3: 1 ·"),
        "{table}"
    );
    let short = run(&["--limit", "3"]);
    assert!(
        short.contains("… 7 more front configs not shown (3 of 10)"),
        "{short}"
    );
    let every = run(&["--all"]);
    assert!(
        !every.contains("not shown") && every.contains("z24"),
        "{every}"
    );
    let md = run(&["--format", "markdown", "--limit", "2"]);
    assert!(
        md.contains("… 23 more dominated configs not shown (2 of 25)"),
        "{md}"
    );
}
