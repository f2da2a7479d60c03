use perfstat_ingest::{ErrorKind, InputFormat, Position, ReadOptions};

use crate::{error, error_with, metric, read, read_with, skipping};

const RUNS: &str = "timestamp,latency_ms,status,label\n1,12.5,200,a\n2,13.25,200,b\n3,11,500,a\n";

#[test]
fn empty_file() {
    assert_eq!(error("a.csv", ""), "a.csv: no data: file is empty");
    assert_eq!(error("a.csv", " \n\n"), "a.csv: no data: file is empty");
    assert_eq!(error("a.csv", "\u{feff}"), "a.csv: no data: file is empty");
}

#[test]
fn header_only() {
    assert_eq!(error("a.csv", "latency_ms\n"), "a.csv:1: no data rows");
    assert_eq!(
        error_with("a.csv", "t,latency_ms\n", &metric("latency_ms")),
        "a.csv:1: no data rows"
    );
    assert_eq!(error("a.csv", "t,latency_ms\n"), "a.csv:1: no data rows");
}

#[test]
fn one_value() {
    let d = read("a.csv", "latency_ms\n7.5\n").unwrap();
    assert_eq!(d.metric, "latency_ms");
    assert_eq!(d.groups.len(), 1);
    assert_eq!(d.groups[0].label, None);
    assert_eq!(d.groups[0].values, [7.5]);
    assert_eq!((d.rows, d.skipped), (1, 0));
}

#[test]
fn bare_list_of_numbers_has_no_header() {
    let d = read("list", "1.5\n2\n\n3e1\n").unwrap();
    assert_eq!(d.metric, "value");
    assert_eq!(d.groups[0].values, [1.5, 2.0, 30.0]);
    assert_eq!(
        error("list", "1\n2\nx\n"),
        r#"list:3:1: expected a number in column "value", found "x""#
    );
}

#[test]
fn picks_the_only_numeric_column() {
    let d = read("a.csv", "name,latency_ms,label\nx,1,a\ny,2,b\n").unwrap();
    assert_eq!(d.metric, "latency_ms");
    assert_eq!(d.groups[0].values, [1.0, 2.0]);
    assert_eq!(d.source, "a.csv");
}

#[test]
fn several_numeric_columns() {
    // A latency-like name wins over a timestamp and a status code, and the dataset says so.
    let d = read("a.csv", RUNS).unwrap();
    assert_eq!(d.metric, "latency_ms");
    let choice = d.metric_choice.unwrap();
    assert_eq!(choice.candidates, ["timestamp", "latency_ms", "status"]);
    // Named: no choice to report.
    let named = read_with("a.csv", RUNS, &metric("status")).unwrap();
    assert_eq!(named.metric_choice, None);
    // Two latency-like names: no obvious one.
    let two = "elapsed,Latency\n1,2\n3,4\n";
    assert_eq!(
        error("a.csv", two),
        "a.csv:1: several numeric columns (elapsed, Latency): name the metric column"
    );
    let e = read("a.csv", two).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::SeveralNumeric { columns } if columns.len() == 2));
}

#[test]
fn no_numeric_column() {
    assert_eq!(
        error("a.csv", "a,b\nx,y\n"),
        "a.csv:1: no numeric column among (a, b): name the metric column"
    );
}

#[test]
fn unknown_metric_lists_columns() {
    assert_eq!(
        error_with("a.csv", RUNS, &metric("latency")),
        "a.csv:1: unknown metric column \"latency\"; available columns: timestamp, latency_ms, status, label"
    );
    // A unique case-insensitive match is accepted.
    assert_eq!(
        read_with("a.csv", RUNS, &metric("LATENCY_MS"))
            .unwrap()
            .metric,
        "latency_ms"
    );
}

#[test]
fn non_numeric_cell_names_line_and_column() {
    let text = "timestamp,latency_ms,status\n1,12.5,200\n2,n/a,200\n";
    let e = read_with("data/a.csv", text, &metric("latency_ms")).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"data/a.csv:3:2: expected a number in column "latency_ms", found "n/a""#
    );
    assert_eq!(e.position(), Some(Position::new(3, 2)));
    assert_eq!(e.source_name(), "data/a.csv");
    assert!(e.is_skippable());
    assert_eq!(
        error_with("a.csv", "t,latency_ms\n1,\n", &metric("latency_ms")),
        r#"a.csv:2:2: expected a number in column "latency_ms", found """#
    );
}

#[test]
fn nan_and_infinity_are_invalid() {
    for bad in ["NaN", "inf", "-inf", "infinity"] {
        let text = format!("latency_ms\n1\n{bad}\n");
        assert_eq!(
            error("a.csv", &text),
            format!(r#"a.csv:3:1: expected a finite number in column "latency_ms", found "{bad}""#)
        );
    }
}

#[test]
fn invalid_utf8() {
    let e = error_with(
        "a.csv",
        b"t,latency_ms\n1,\xff\xfe\n",
        &metric("latency_ms"),
    );
    assert_eq!(e, r#"a.csv:2:2: invalid UTF-8 in column "latency_ms""#);
    assert_eq!(
        error("a.csv", b"t,lat\xffency\n1,2\n"),
        "a.csv:1:2: invalid UTF-8 in the header"
    );
    let by = ReadOptions {
        by: Some("label".into()),
        ..metric("v")
    };
    assert_eq!(
        error_with("a.csv", b"v,label\n1,\xff\n", &by),
        r#"a.csv:2:2: invalid UTF-8 in column "label""#
    );
    // Invalid UTF-8 elsewhere does not matter.
    assert_eq!(
        read_with("a.csv", b"v,label\n1,\xff\n", &metric("v"))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn ragged_row() {
    let text = "a,b\nx,1\ny\nz,3\n";
    assert_eq!(
        error_with("a.csv", text, &metric("b")),
        "a.csv:3: expected 2 fields as in the header, found 1"
    );
    let d = read_with(
        "a.csv",
        text,
        &ReadOptions {
            skip_invalid: true,
            ..metric("b")
        },
    )
    .unwrap();
    assert_eq!(d.groups[0].values, [1.0, 3.0]);
    assert_eq!((d.rows, d.skipped), (3, 1));
}

#[test]
fn crlf_quotes_and_doubled_quotes() {
    let text = "name,\"latency, ms\",note\r\n\"a, b\",1.5,\"say \"\"hi\"\"\"\r\n\"c\",\" 2 \",\"multi\nline\"\r\nd,3,x\r\n";
    let d = read("a.csv", text).unwrap();
    assert_eq!(d.metric, "latency, ms");
    assert_eq!(d.groups[0].values, [1.5, 2.0, 3.0]);
    // Lines count physical lines: the row after a quoted newline starts on line 5.
    let bad = text.replace("d,3,x", "d,oops,x");
    assert_eq!(
        error("a.csv", bad),
        r#"a.csv:5:2: expected a number in column "latency, ms", found "oops""#
    );
}

#[test]
fn byte_order_mark() {
    let d = read_with(
        "a.csv",
        "\u{feff}latency_ms,x\n1,a\n",
        &metric("latency_ms"),
    )
    .unwrap();
    assert_eq!(d.metric, "latency_ms");
    assert_eq!(
        read("a.csv", "\u{feff}5\n6\n").unwrap().groups[0].values,
        [5.0, 6.0]
    );
}

#[test]
fn delimiter_sniffing() {
    for text in [
        "t\tlatency_ms\tlabel\n1\t2.5\ta\n",
        "t;latency_ms;label\n1;2.5;a\n",
        "t|latency_ms|label\n1|2.5|a\n",
    ] {
        let d = read_with("data", text, &metric("latency_ms")).unwrap();
        assert_eq!(d.groups[0].values, [2.5], "{text:?}");
    }
    // Semicolon-separated with decimal points and commas inside quotes.
    let d = read_with("a.csv", "label;v\n\"x,y\";1.5\n", &metric("v")).unwrap();
    assert_eq!(d.groups[0].values, [1.5]);
    let d = read("a.tsv", "latency ms\n1\n").unwrap();
    assert_eq!(d.metric, "latency ms");
}

#[test]
fn skip_invalid_counts() {
    let text = "latency_ms\n1\nn/a\n\nNaN\n2\n\"\"\n";
    let d = read_with("a.csv", text, &skipping()).unwrap();
    assert_eq!(d.groups[0].values, [1.0, 2.0]);
    assert_eq!((d.rows, d.skipped), (5, 3));
    assert_eq!(
        error_with("a.csv", "latency_ms\nx\ny\n", &skipping()),
        "a.csv: no valid data rows: all 2 rows were invalid and skipped"
    );
}

#[test]
fn by_groups_in_first_appearance_order() {
    let opts = ReadOptions {
        by: Some("label".into()),
        ..metric("latency_ms")
    };
    let text = "timestamp,latency_ms,status,label\n1,1,200,b\n2,2,200,a\n3,3,200,b\n4,4,200,c\n5,5,200,a\n";
    let d = read_with("a.csv", text, &opts).unwrap();
    let got: Vec<(Option<&str>, &[f64])> = d
        .groups
        .iter()
        .map(|g| (g.label.as_deref(), &g.values[..]))
        .collect();
    assert_eq!(
        got,
        [
            (Some("b"), &[1.0, 3.0][..]),
            (Some("a"), &[2.0, 5.0][..]),
            (Some("c"), &[4.0][..])
        ]
    );
    // Numbers as labels, and without --metric.
    let opts = ReadOptions {
        by: Some("status".into()),
        ..ReadOptions::default()
    };
    let d = read_with(
        "a.csv",
        "status,label,v\n200,x,1.5\n500,y,2\n",
        &ReadOptions {
            metric: Some("v".into()),
            ..opts
        },
    )
    .unwrap();
    assert_eq!(d.groups[1].label.as_deref(), Some("500"));
}

#[test]
fn unknown_by_lists_columns() {
    let opts = ReadOptions {
        by: Some("host".into()),
        ..metric("latency_ms")
    };
    assert_eq!(
        error_with("a.csv", RUNS, &opts),
        "a.csv:1: unknown grouping column \"host\"; available columns: timestamp, latency_ms, status, label"
    );
}

#[test]
fn numeric_detection_tolerates_a_few_bad_values() {
    let text = "label,latency_ms\na,1\nb,n/a\nc,3\n";
    let e = read("a.csv", text).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"a.csv:3:2: expected a number in column "latency_ms", found "n/a""#
    );
}

#[test]
fn forced_format() {
    let opts = ReadOptions {
        format: Some(InputFormat::Csv),
        ..ReadOptions::default()
    };
    let d = read_with("x.json", "v\n1\n", &opts).unwrap();
    assert_eq!(d.groups[0].values, [1.0]);
}

#[test]
fn more_rows_than_the_sample() {
    let mut text = String::from("t,latency_ms,label\n");
    for i in 0..1000 {
        text.push_str(&format!("t{i},{i}.5,l{}\n", i % 3));
    }
    let d = read("a.csv", &text).unwrap();
    assert_eq!(d.len(), 1000);
    assert_eq!(d.values().nth(999), Some(999.5));
}

#[test]
fn read_path_on_files_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.csv");
    std::fs::write(&path, "latency_ms\n1\n2\n").unwrap();
    let d = perfstat_ingest::read_path(&path, &ReadOptions::default()).unwrap();
    assert_eq!(d.source, path.display().to_string());
    assert_eq!(d.groups[0].values, [1.0, 2.0]);
    let missing = dir.path().join("missing.csv");
    let e = perfstat_ingest::read_path(&missing, &ReadOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io(_)));
    assert!(
        e.to_string()
            .starts_with(&format!("{}: ", missing.display())),
        "{e}"
    );
}

#[test]
fn crlf_line_numbers() {
    let cases = [
        ("v,n\n1,\"a\nb\"\n2,x\nz,y\n", 5),
        ("v,n\r\n1,\"a\nb\"\r\n2,x\r\nz,y\r\n", 5),
        ("v,n\r\n1,a\r\n2,x\r\nz,y\r\n", 4),
        ("v,n\n1,\"a\r\nb\"\n2,x\nz,y\n", 5),
    ];
    for (text, line) in cases {
        let e = read_with("a.csv", text, &metric("v")).unwrap_err();
        assert_eq!(e.position(), Some(Position::new(line, 1)), "{text:?}");
    }
    // The CR before LF never reaches a label or a column name.
    let opts = ReadOptions {
        by: Some("n".into()),
        ..metric("v")
    };
    let d = read_with("a.csv", "v,n\r\n1,\"a\"\r\n2,b\r\n", &opts).unwrap();
    assert_eq!(d.groups[0].label.as_deref(), Some("a"));
    assert_eq!(d.groups[1].label.as_deref(), Some("b"));
}

/// `rows` rows `t,latency,label` (about 6 MB for 300 000: more than one 4 MiB block of the fast path).
fn big(rows: usize, edit: impl Fn(usize) -> Option<String>) -> String {
    let mut text = String::from("t,latency_ms,label\n");
    for i in 0..rows {
        match edit(i) {
            Some(line) => text.push_str(&line),
            None => text.push_str(&format!(
                "{i},{}.{:03},{}\n",
                i % 97,
                i % 1000,
                ["a", "b"][i % 2]
            )),
        }
    }
    text
}

#[test]
fn large_plain_files_in_several_blocks() {
    let rows = 300_000;
    let d = read_with("big.csv", big(rows, |_| None), &metric("latency_ms")).unwrap();
    assert_eq!(d.rows, rows as u64);
    let values = &d.groups[0].values;
    assert_eq!(values.len(), rows);
    assert!(values.iter().enumerate().all(|(i, &v)| {
        v == format!("{}.{:03}", i % 97, i % 1000)
            .parse::<f64>()
            .unwrap()
    }));
    // A bad cell in the second block names its line and column.
    let err = error_with(
        "big.csv",
        big(rows, |i| (i == 250_000).then(|| "1,oops,a\n".to_owned())),
        &metric("latency_ms"),
    );
    assert_eq!(
        err,
        r#"big.csv:250002:2: expected a number in column "latency_ms", found "oops""#
    );
    // A quote late in the file: the csv reader takes over, with the same lines and values.
    let quoted = big(rows, |i| match i {
        280_000 => Some("280000,\"2.5\",\"a,\nb\"\n".to_owned()),
        290_000 => Some("290000,x,a\n".to_owned()),
        _ => None,
    });
    let err = error_with("big.csv", &quoted, &metric("latency_ms"));
    assert_eq!(
        err,
        r#"big.csv:290003:2: expected a number in column "latency_ms", found "x""#
    );
    let by = ReadOptions {
        by: Some("label".into()),
        skip_invalid: true,
        ..metric("latency_ms")
    };
    let d = read_with("big.csv", &quoted, &by).unwrap();
    assert_eq!((d.rows, d.skipped), (rows as u64, 1));
    let labels: Vec<_> = d
        .groups
        .iter()
        .map(|g| g.label.clone().unwrap_or_default())
        .collect();
    assert_eq!(labels, ["a", "b", "a,\nb"]);
    assert_eq!(d.groups[2].values, [2.5]);
    // CRLF throughout.
    let crlf = big(1000, |_| None).replace('\n', "\r\n");
    let d = read_with("crlf.csv", crlf, &metric("latency_ms")).unwrap();
    assert_eq!(d.rows, 1000);
}
