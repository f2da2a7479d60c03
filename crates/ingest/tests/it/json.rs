use perfstat_ingest::{ErrorKind, InputFormat, Position, ReadOptions};

use crate::{error, error_with, metric, read, read_with, skipping};

const RECORDS: &str = r#"[
  {"t": 1, "latency_ms": 12.5, "label": "a"},
  {"t": 2, "latency_ms": "n/a", "label": "b"}
]"#;

#[test]
fn array_of_numbers() {
    let d = read("a.json", "[1, 2.5, -3e2, 4]").unwrap();
    assert_eq!(d.metric, "value");
    assert_eq!(d.groups[0].values, [1.0, 2.5, -300.0, 4.0]);
    assert_eq!((d.rows, d.skipped), (4, 0));
    // Detected from content too.
    assert_eq!(read("-", " \n[1]").unwrap().groups[0].values, [1.0]);
    assert_eq!(
        read_with("a.json", "[1]", &metric("value")).unwrap().len(),
        1
    );
    assert_eq!(
        error_with("a.json", "[1]", &metric("latency")),
        "a.json:1:2: unknown metric column \"latency\"; available columns: value"
    );
}

#[test]
fn array_of_records() {
    let text = r#"[{"t": 1, "latency_ms": 12.5, "label": "a", "tags": {"x": 1}},
                   {"t": 2, "latency_ms": 13, "label": "b", "tags": [1, 2]},
                   {"label": "a", "latency_ms": 11, "t": 3}]"#;
    let opts = ReadOptions {
        by: Some("label".into()),
        ..metric("latency_ms")
    };
    let d = read_with("a.json", text, &opts).unwrap();
    assert_eq!(d.metric, "latency_ms");
    assert_eq!(d.groups.len(), 2);
    assert_eq!(d.groups[0].label.as_deref(), Some("a"));
    assert_eq!(d.groups[0].values, [12.5, 11.0]);
    assert_eq!(d.groups[1].values, [13.0]);
    // Without a metric: the latency-like name wins over `t`, and the dataset says it chose.
    let d = read("a.json", text).unwrap();
    assert_eq!(d.metric, "latency_ms");
    assert_eq!(d.metric_choice.unwrap().candidates, ["t", "latency_ms"]);
    let two = r#"[{"a": 1, "b": 2}]"#;
    assert_eq!(
        error("a.json", two),
        "a.json:1:2: several numeric columns (a, b): name the metric column"
    );
}

#[test]
fn numbers_as_labels_and_numeric_strings_as_values() {
    let text = r#"[{"status": 200, "v": "1.5"}, {"status": 500, "v": 2}, {"status": 200, "v": 3}]"#;
    let opts = ReadOptions {
        by: Some("status".into()),
        ..metric("v")
    };
    let d = read_with("a.json", text, &opts).unwrap();
    let labels: Vec<_> = d.groups.iter().map(|g| g.label.clone().unwrap()).collect();
    assert_eq!(labels, ["200", "500"]);
    assert_eq!(d.groups[0].values, [1.5, 3.0]);
}

#[test]
fn bad_value_names_line_and_column() {
    let e = read_with("a.json", RECORDS, &metric("latency_ms")).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"a.json:3:26: expected a number in column "latency_ms", found "n/a""#
    );
    assert!(e.is_skippable());
    // Same place when the metric is detected (the record was buffered).
    let text = RECORDS
        .replace("\"t\": 1", "\"t\": \"x\"")
        .replace("\"t\": 2", "\"t\": \"y\"");
    let e = read_with("a.json", text, &ReadOptions::default()).unwrap_err();
    assert_eq!(e.position(), Some(Position::new(3, 28)));
    let d = read_with(
        "a.json",
        RECORDS,
        &ReadOptions {
            skip_invalid: true,
            ..metric("latency_ms")
        },
    )
    .unwrap();
    assert_eq!((d.rows, d.skipped, d.len()), (2, 1, 1));
}

#[test]
fn non_finite_and_null_values() {
    assert_eq!(
        error("a.json", r#"[1, "NaN"]"#),
        r#"a.json:1:5: expected a finite number in column "value", found "NaN""#
    );
    assert_eq!(
        error("a.json", "[1, null]"),
        r#"a.json:1:5: expected a number in column "value", found "null""#
    );
    // NaN is not JSON at all.
    let e = read("a.json", "[1, NaN]").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::JsonSyntax(_)), "{e:?}");
    assert_eq!(e.position().map(|p| p.line), Some(1));
}

#[test]
fn nested_value_position_is_its_start() {
    assert_eq!(
        error_with(
            "a.json",
            "[{\"v\": 1}, {\"v\":\n  {\"a\": 1}}]",
            &metric("v")
        ),
        r#"a.json:2:3: expected a number in column "v", found "{...}""#
    );
}

#[test]
fn missing_field() {
    let text = r#"[{"v": 1, "w": "x"}, {"w": "y"}]"#;
    assert_eq!(
        error_with("a.json", text, &metric("v")),
        r#"a.json:1:22: missing field "v""#
    );
    let d = read_with(
        "a.json",
        text,
        &ReadOptions {
            skip_invalid: true,
            ..metric("v")
        },
    )
    .unwrap();
    assert_eq!((d.rows, d.skipped), (2, 1));
}

#[test]
fn unknown_fields_list_columns() {
    let text = r#"[{"t": 1, "latency_ms": 2}, {"t": 1, "latency_ms": 2, "extra": "e"}]"#;
    assert_eq!(
        error_with("a.json", text, &metric("lat")),
        r#"a.json:1:2: unknown metric column "lat"; available columns: t, latency_ms, extra"#
    );
    let opts = ReadOptions {
        by: Some("host".into()),
        ..metric("t")
    };
    assert_eq!(
        error_with("a.json", text, &opts),
        r#"a.json:1:2: unknown grouping column "host"; available columns: t, latency_ms, extra"#
    );
}

#[test]
fn nested_object_hints() {
    assert_eq!(
        error("a.json", r#"{"name": "run", "values": [1, 2]}"#),
        "a.json:1:1: expected a JSON array of numbers or of records, found an object with array field(s) \
         \"values\": extract the array first, e.g. `jq '.values'`"
    );
    assert!(
        matches!(read("a.json", "{}").unwrap_err().kind(), ErrorKind::NestedJson { arrays } if arrays.is_empty())
    );
    assert_eq!(
        error("a.json", "\"x\""),
        "a.json:1: expected a JSON array of numbers or of records, found a string"
    );
}

#[test]
fn empty_array_and_syntax_errors() {
    assert_eq!(error("a.json", "[]"), "a.json:1: no data rows");
    assert_eq!(
        error("a.json", "[1, 2"),
        "a.json:1:5: EOF while parsing a list"
    );
    assert_eq!(
        error("a.json", "[1, 2]\n[3]"),
        "a.json:2:1: trailing characters"
    );
    assert_eq!(error("a.json", "[1,\n 2,,]"), "a.json:2:4: expected value");
}

#[test]
fn many_records_switch_to_selecting() {
    let mut text = String::from("[\n");
    for i in 0..250 {
        text.push_str(&format!(
            "{{\"id\": \"r{i}\", \"latency_ms\": {i}.25, \"host\": \"h{}\"}},\n",
            i % 2
        ));
    }
    text.push_str("{\"id\": \"last\", \"latency_ms\": \"oops\"}\n]");
    let e = read("a.json", &text).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"a.json:252:30: expected a number in column "latency_ms", found "oops""#
    );
    let opts = ReadOptions {
        by: Some("host".into()),
        skip_invalid: true,
        ..ReadOptions::default()
    };
    let d = read_with("a.json", &text, &opts).unwrap();
    assert_eq!((d.rows, d.skipped, d.groups.len()), (251, 1, 2));
    assert_eq!(d.groups[1].values[124], 249.25);
}

#[test]
fn ndjson_records_and_numbers() {
    let text =
        "{\"latency_ms\": 1, \"label\": \"a\"}\n\n{\"latency_ms\": 2.5, \"label\": \"b\"}\r\n";
    let d = read("a.ndjson", text).unwrap();
    assert_eq!(d.metric, "latency_ms");
    assert_eq!(d.groups[0].values, [1.0, 2.5]);
    assert_eq!(d.rows, 2);
    let d = read_with(
        "-",
        "1\n2\n3\n",
        &ReadOptions {
            format: Some(InputFormat::Ndjson),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(d.groups[0].values, [1.0, 2.0, 3.0]);
    // Detected from content: '{' means NDJSON.
    assert_eq!(read("-", "{\"v\": 1}\n{\"v\": 2}").unwrap().len(), 2);
}

#[test]
fn ndjson_bad_line() {
    let text = "{\"v\": 1}\n{\"v\": 2\n{\"v\": \"x\"}\n{\"v\": 4}\n";
    let e = read("a.jsonl", text).unwrap_err();
    assert_eq!(e.to_string(), "a.jsonl:2:7: EOF while parsing an object");
    assert!(e.is_skippable());
    let fixed = text.replace("{\"v\": 2\n", "{\"v\": 2}\n");
    assert_eq!(
        error("a.jsonl", &fixed),
        r#"a.jsonl:3: expected a number in column "v", found "x""#
    );
    let d = read_with("a.jsonl", text, &skipping()).unwrap();
    assert_eq!(d.groups[0].values, [1.0, 4.0]);
    assert_eq!((d.rows, d.skipped), (4, 2));
    assert_eq!(error("a.jsonl", "\n\n"), "a.jsonl: no data: file is empty");
    assert_eq!(
        error("a.jsonl", "{\"v\": 1}\n[1]\n"),
        "a.jsonl:2: expected an object, found an array"
    );
}

#[test]
fn invalid_utf8_in_json() {
    let e = read("a.json", b"[{\"v\": 1, \"l\": \"\xff\"}]").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::JsonSyntax(_)), "{e:?}");
    assert!(e.to_string().starts_with("a.json:1:"), "{e}");
}

#[test]
fn json_lines_named_json_are_json_lines() {
    // Decided by content: a second value after the first one.
    let text = "{\"latency_ms\": 1.5, \"status\": 200}\n{\"status\": 500, \"latency_ms\": 2}\n";
    let d = read("run.json", text).unwrap();
    assert_eq!(d.format, InputFormat::Ndjson);
    assert_eq!(d.metric, "latency_ms");
    assert_eq!(d.values().collect::<Vec<_>>(), [1.5, 2.0]);
    // A pretty-printed single document named .jsonl is one JSON document.
    let doc = "{\n  \"values\": [1, 2]\n}\n";
    assert!(matches!(
        read("run.jsonl", doc).unwrap_err().kind(),
        ErrorKind::NestedJson { .. }
    ));
}
