//! `perfstat_pareto::input`: every reader's errors name file, line and column.

use std::path::Path;

use perfstat_pareto::input::{ErrorKind, ReadOptions, Shape, read_slice};
use perfstat_pareto::{Direction, Metric, ObjectiveSpec};

fn opts(objectives: &[&str]) -> ReadOptions {
    ReadOptions {
        objectives: objectives
            .iter()
            .map(|o| o.parse().expect("objective"))
            .collect(),
        ..ReadOptions::default()
    }
}

/// The error text of reading `bytes` as `name`.
fn err(name: &str, bytes: &[u8], objectives: &[&str]) -> String {
    read_slice(name, bytes, Path::new(""), &opts(objectives))
        .expect_err("an error")
        .to_string()
}

#[test]
fn document_keeps_order_and_infers_missing_directions() {
    let text = br#"{"objectives": ["cost", {"name": "throughput"}, "p95_ms:max"],
  "configs": [{"id": "a", "params": {"b": 1, "a": "x"}, "metrics": {"cost": 1, "throughput": [2, 3], "p95_ms": 4}}]}"#;
    let input = read_slice("c.json", text, Path::new(""), &ReadOptions::default()).unwrap();
    assert_eq!(input.shape, Shape::Document);
    let dirs: Vec<Direction> = input.objectives.iter().map(|o| o.direction).collect();
    assert_eq!(dirs, [Direction::Min, Direction::Max, Direction::Max]);
    assert_eq!(input.inferred, ["cost", "throughput"]);
    let keys: Vec<&str> = input.configs[0]
        .params
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, ["b", "a"]);
    assert_eq!(
        input.configs[0].metrics["throughput"],
        Metric::Samples(vec![2.0, 3.0])
    );
}

#[test]
fn document_errors_are_positioned() {
    // A metric of the wrong type, at the value's first character.
    let e = err(
        "c.json",
        b"{\"configs\": [\n  {\"id\": \"a\", \"metrics\": {\"cost\": true}}]}",
        &[],
    );
    assert_eq!(
        e,
        "c.json:2:35: config `a`: metric `cost`: expected a number, an array of numbers \
         (repeated measurements) or a sample file path, found a boolean"
    );
    // Malformed JSON, at serde_json's position.
    let e = err("c.json", b"{\"configs\": [\n  {\"id\" 1}]}", &[]);
    assert!(e.starts_with("c.json:2:9: malformed JSON"), "{e}");
    // A number out of range, at its first character (not after it, nor on the next line).
    let e = err(
        "c.json",
        b"{\"configs\": [\n  {\"id\": \"a\", \"metrics\": {\"c\": 1e400}}\n]}",
        &[],
    );
    assert_eq!(e, "c.json:2:32: malformed JSON: number out of range");
    // A bad objective.
    let e = err(
        "c.json",
        b"{\"objectives\": [\"cost:up\"], \"configs\": []}",
        &[],
    );
    assert!(
        e.starts_with("c.json:1:17: objectives[0]: invalid objective"),
        "{e}"
    );
    // Invalid UTF-8 in a JSON file: the line and column of the first bad byte.
    let e = err("c.json", b"{\"configs\": [\n {\"id\": \"\xff\"}]}", &[]);
    assert_eq!(e, "c.json:2:10: invalid UTF-8: expected JSON or CSV text");
}

#[test]
fn duplicate_keys_are_errors_at_every_level() {
    let e = err(
        "d.json",
        br#"{"objectives": ["cost:min"], "objectives": ["cost:max"], "configs": []}"#,
        &[],
    );
    assert_eq!(
        e,
        "d.json:1:30: duplicate key \"objectives\" (first at 1:2): a JSON object may hold a \
         key once; remove or rename one"
    );
    let e = err(
        "d.json",
        b"{\"configs\": [{\"id\": \"a\",\n \"metrics\": {\"cost\": 1, \"cost\": 5}}]}",
        &[],
    );
    assert!(
        e.starts_with("d.json:2:25: duplicate key \"cost\" (first at 2:14)"),
        "{e}"
    );
    let e = err(
        "d.json",
        br#"{"configs": [{"id": "a", "params": {"p": {"x": 1, "x": 2}}, "metrics": {"c": 1}}]}"#,
        &[],
    );
    assert!(e.starts_with("d.json:1:51: duplicate key \"x\""), "{e}");
    let e = err("d.json", br#"[{"c": 1, "c": 2}]"#, &["c"]);
    assert!(e.starts_with("d.json:1:11: duplicate key \"c\""), "{e}");
}

#[test]
fn a_bad_array_element_is_named() {
    let e = err(
        "a.json",
        br#"{"configs": [{"id": "a", "metrics": {"cost": [1, "NaN", 2]}}]}"#,
        &[],
    );
    assert_eq!(
        e,
        "a.json:1:50: config `a`: metric `cost`: element 2 of the array is a string (\"NaN\"); \
         repeated measurements are an array of numbers"
    );
    let e = err(
        "a.json",
        br#"{"configs": [{"id": "a", "metrics": {"cost": [1, "2"]}}]}"#,
        &[],
    );
    assert!(e.ends_with("(write the number without quotes)"), "{e}");
}

#[test]
fn a_string_is_a_sample_file_only_if_it_looks_like_one() {
    let e = err(
        "s.json",
        br#"{"configs": [{"id": "a", "metrics": {"cost": "NaN"}}]}"#,
        &[],
    );
    assert!(
        e.starts_with(
            "s.json:1:46: config `a`: metric `cost`: \"NaN\" is not a number: JSON has no NaN"
        ),
        "{e}"
    );
    let e = err(
        "s.json",
        br#"{"configs": [{"id": "a", "metrics": {"cost": "fast"}}]}"#,
        &[],
    );
    assert!(
        e.contains("neither a number nor the name of an existing file"),
        "{e}"
    );
    // A path: read with ingest; the error carries the sample file's own message.
    let e = err(
        "s.json",
        br#"{"configs": [{"id": "a", "metrics": {"p95_ms": "runs/none.csv"}}]}"#,
        &[],
    );
    assert!(
        e.starts_with("s.json:1:48: config `a`: metric `p95_ms`: sample file \"runs/none.csv\": "),
        "{e}"
    );
}

#[test]
fn flat_records_need_numbers_where_objectives_look() {
    let input = read_slice(
        "f.json",
        br#"[{"cost": 1, "tps": 2, "bs": 1}, {"cost": 2, "tps": null, "bs": "x"}]"#,
        Path::new(""),
        &opts(&["cost"]),
    )
    .unwrap();
    assert_eq!(input.shape, Shape::Records);
    assert_eq!(input.configs[1].id, "2");
    // Params: every field no objective names, in order.
    let keys: Vec<&str> = input.configs[0]
        .params
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, ["tps", "bs"]);
    let e = err("f.json", b"[{\"cost\": 1},\n {\"cost\": \"x\"}]", &["cost"]);
    assert_eq!(
        e,
        "f.json:2:11: record 2: field `cost`: a string (\"x\") is not a metric value; expected \
         a number or an array of numbers"
    );
}

#[test]
fn csv_cells_are_positioned_with_lf_and_crlf() {
    for (name, text) in [
        ("c.csv", "id,cost,tps\na,1,2\nb,x,3\n"),
        ("crlf.csv", "id,cost,tps\r\na,1,2\r\nb,x,3\r\n"),
    ] {
        let e = err(name, text.as_bytes(), &["cost:min", "tps"]);
        assert_eq!(
            e,
            format!(
                "{name}:3:2: config `b`: metric `cost`: expected a number in column \"cost\", \
                 found \"x\""
            )
        );
    }
    // A missing cell (`n/a`, `NaN`, empty) where an objective needs a number.
    let e = err("m.csv", b"id,cost\na,1\nb,n/a\n", &["cost"]);
    assert!(
        e.starts_with("m.csv:3:2: config `b`: metric `cost`: expected a number"),
        "{e}"
    );
    // Text elsewhere is a parameter; numbers are metrics and parameters.
    let input = read_slice(
        "p.tsv",
        b"id\tcost\tq\tbs\na\t1\tnone\t4\n",
        Path::new(""),
        &opts(&["cost"]),
    )
    .unwrap();
    assert_eq!(input.shape, Shape::Table);
    let c = &input.configs[0];
    assert_eq!(
        c.params,
        [
            ("q".to_owned(), serde_json::json!("none")),
            ("bs".to_owned(), serde_json::json!(4.0))
        ]
    );
    assert_eq!(c.metrics["bs"], Metric::Value(4.0));
}

#[test]
fn csv_invalid_utf8_and_duplicate_columns_name_line_and_column() {
    let e = err("u.csv", b"id,cost,tps\na,1,2\nb\xe9,2,1\n", &["cost"]);
    assert!(e.starts_with("u.csv:3:1: invalid UTF-8"), "{e}");
    let e = err("d.csv", b"id,cost,cost\na,1,2\n", &["cost"]);
    assert!(
        e.starts_with("d.csv:1:3: columns 2 and 3 are both named \"cost\""),
        "{e}"
    );
}

#[test]
fn missing_id_and_empty_files() {
    let e = read_slice(
        "f.json",
        br#"[{"cost": 1}]"#,
        Path::new(""),
        &ReadOptions {
            id_field: "name".to_owned(),
            ..ReadOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e.kind(), Some(ErrorKind::NoIdField { .. })), "{e}");
    assert_eq!(
        err("e.json", b"  \n", &[]),
        "e.json: the file is empty: no configurations"
    );
}

#[test]
fn objective_specs() {
    let s: ObjectiveSpec = "hit_rate".parse().unwrap();
    assert_eq!(s.direction, None);
    assert_eq!(s.resolve().direction, Direction::infer("hit_rate"));
    assert!("x:up".parse::<ObjectiveSpec>().is_err());
    assert_eq!(Direction::infer("p95_latency_ms"), Direction::Min);
    assert_eq!(Direction::infer("throughput_tokens_per_s"), Direction::Max);
}
