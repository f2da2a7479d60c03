//! `perfstat_capacity::input`: tables of aggregates (positions, aliases, headerless and white-space
//! tables), runs from JMeter `allThreads` records and from groups, and levels from file names.

use perfstat_capacity::input::{
    self, InputError, level_in_name, levels_from_names, parse_aggregates, runs_from_groups,
    runs_from_records,
};
use perfstat_capacity::{Aggregates, Requests, RunData};
use perfstat_ingest::{Position, ReadOptions, read_reader};

fn aggregates(run: &perfstat_capacity::Run) -> &Aggregates {
    match &run.data {
        RunData::Aggregates(a) => a,
        RunData::Requests(_) => panic!("not aggregates"),
    }
}

fn requests(run: &perfstat_capacity::Run) -> &Requests {
    match &run.data {
        RunData::Requests(r) => r,
        RunData::Aggregates(_) => panic!("not requests"),
    }
}

fn err(name: &str, text: &str) -> String {
    parse_aggregates(name, text.as_bytes())
        .unwrap_err()
        .to_string()
}

#[test]
fn a_table_of_aggregates() {
    let runs = parse_aggregates(
        "t.csv",
        b"level,throughput,p50,p95,p99,mean,error_rate,requests\n\
          1,10,5,9,12,6,0.5%,1000\n2,19,NA,,n/a,-,0.01,2000\n",
    )
    .unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].source, "t.csv:2");
    let a = aggregates(&runs[0]);
    assert_eq!((runs[0].level, a.throughput), (1.0, 10.0));
    assert_eq!(
        (a.p50, a.p95, a.p99, a.mean),
        (Some(5.0), Some(9.0), Some(12.0), Some(6.0))
    );
    assert_eq!(a.error_rate, Some(0.005));
    assert_eq!(a.requests, Some(1000));
    // Missing cells (is_missing) are unknown values.
    let b = aggregates(&runs[1]);
    assert_eq!((b.p50, b.p95, b.p99, b.mean), (None, None, None, None));
}

#[test]
fn every_table_error_names_file_line_and_column() {
    for (text, want) in [
        // CRLF lines are exact (reliability case 15).
        (
            "level,throughput\r\n1,10\r\n2,20\r\n3,x\r\n",
            r#"t.csv:4:2: expected a number in column "throughput", found "x""#,
        ),
        (
            "level,throughput,p95\n1,10,5\n2,20,fast\n",
            r#"t.csv:3:3: expected a number in column "p95", found "fast""#,
        ),
        (
            "level,throughput,p95\n1,10,1e999\n",
            r#"t.csv:2:3: expected a finite number in column "p95", found "1e999""#,
        ),
        (
            "level,throughput,error_rate\n1,10,x%\n",
            r#"t.csv:2:3: expected a number in column "error_rate", found "x%""#,
        ),
        (
            "level,throughput\n1,10\n,20\n",
            "t.csv:3:1: no level in this row",
        ),
        (
            "level,throughput\n1,10\n2,NA\n",
            "t.csv:3:2: no throughput in this row",
        ),
        (
            "level,throughput\n0,10\n",
            "t.csv:2:1: level 0 is not a positive number",
        ),
        (
            "level,throughput\n1,-10\n",
            "t.csv:2:2: throughput -10 is not a non-negative number",
        ),
        (
            "level,throughput,p95\n1,10,-1\n",
            "t.csv:2:3: p95 -1 is not a non-negative number",
        ),
        (
            "level,throughput,error_rate\n1,10,1.5\n",
            "t.csv:2:3: error_rate 1.5 is not within 0 and 1 (write 2 % as 0.02 or 2%)",
        ),
        (
            "level,throughput,requests\n1,10,2.5\n",
            "t.csv:2:3: requests 2.5 is not a whole number",
        ),
        (
            "level,throughput,sd\n1,10,0\n",
            "t.csv:2:3: sd 0 is not a positive number (a standard deviation)",
        ),
        // Ragged rows name their line (reliability case 20).
        (
            "level,throughput\n1,10\n2,20,5\n",
            "t.csv:3: expected 2 fields as in the header, found 3",
        ),
        (
            "users,threads,throughput\n1,1,10\n",
            r#"t.csv:1:2: columns "users", "threads" could each be the level: rename the one to use `level`"#,
        ),
        (
            "1,10,5\n2,20,6\n",
            "t.csv:1: a table without a header has two columns (level, throughput); this one has 3: add a header line naming them",
        ),
        (
            "N   X\n1   10\n2   twenty\n",
            r#"t.csv:3:2: expected a number in column "X", found "twenty""#,
        ),
    ] {
        assert_eq!(err("t.csv", text), want, "{text:?}");
    }
    // Invalid UTF-8 (reliability case 22): line and column.
    let e = parse_aggregates("t.csv", b"level,throughput\n1,10\n2,2\xff0\n").unwrap_err();
    let InputError::Read(e) = e else {
        panic!("{e}")
    };
    assert_eq!(e.position(), Some(Position::new(3, 2)));
    assert!(e.to_string().starts_with("t.csv:3:2: invalid UTF-8"), "{e}");
    // A missing column names the header line and what was found.
    let e = err("t.csv", "level,p95\n1,10\n");
    assert!(
        e.starts_with("t.csv:1: a table of aggregates needs a throughput column"),
        "{e}"
    );
    assert!(e.ends_with("found: level, p95"), "{e}");
}

#[test]
fn aliases_headerless_and_whitespace_tables_read_alike() {
    let want: Vec<(f64, f64)> = vec![(1.0, 10.0), (2.0, 19.0), (4.0, 35.0)];
    for (name, text) in [
        ("a.csv", "level,throughput\n1,10\n2,19\n4,35\n"),
        ("a.csv", "N,X\n1,10\n2,19\n4,35\n"),
        ("a.csv", "Threads;TPS\n1;10\n2;19\n4;35\n"),
        ("a.csv", "vus,rps\n1,10\n2,19\n4,35\n"),
        ("a.csv", "users,throughput_rps\n1,10\n2,19\n4,35\n"),
        ("a.csv", "load,X_N\n1,10\n2,19\n4,35\n"),
        ("a.csv", "concurrency\tx\n1\t10\n2\t19\n4\t35\n"),
        ("a.csv", "processors,tps\n1,10\n2,19\n4,35\n"),
        ("a.csv", "1,10\n2,19\n4,35\n"),
        ("a.txt", "N   X\n1   10\n2   19\n 4\t35\n"),
        ("a.txt", "1 10\r\n2 19\r\n4 35\r\n"),
        // `level` wins over another alias.
        ("a.csv", "users,level,throughput\n9,1,10\n9,2,19\n9,4,35\n"),
    ] {
        let runs =
            parse_aggregates(name, text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let got: Vec<(f64, f64)> = runs
            .iter()
            .map(|r| (r.level, aggregates(r).throughput))
            .collect();
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn r_index_columns_stddev_replicates_and_chosen_columns() {
    // R's write.csv: a first column without a name holding the row index; ignored with a note.
    let t = perfstat_ingest::table::parse_table(
        "r.csv",
        b"\"\",\"N\",\"X_N\",\"throughput_stddev\"\n\"1\",1,10,0.5\n\"2\",2,19,0.8\n\"3\",2,19.4,0.7\n",
        &perfstat_ingest::table::TableOptions::default(),
    )
    .unwrap();
    let (runs, notes) = input::aggregates_with(&t, &input::Columns::default()).unwrap();
    assert_eq!(
        notes,
        vec!["r.csv: a column is not used: column 1 (no name: a row index?)".to_owned()]
    );
    // Replicate rows are kept, each with its standard deviation.
    let got: Vec<(f64, f64, Option<f64>)> = runs
        .iter()
        .map(|r| {
            (
                r.level,
                aggregates(r).throughput,
                aggregates(r).throughput_sd,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1.0, 10.0, Some(0.5)),
            (2.0, 19.0, Some(0.8)),
            (2.0, 19.4, Some(0.7))
        ]
    );
    // Columns chosen by name (any case) or by number; other columns noted.
    let t = perfstat_ingest::table::parse_table(
        "c.csv",
        b"run,clients,ops,lat\n1,1,10,100\n2,2,19,105\n",
        &perfstat_ingest::table::TableOptions::default(),
    )
    .unwrap();
    let cols = input::Columns {
        level: Some("Clients".into()),
        throughput: Some("3".into()),
        latency: Some("lat".into()),
        ..input::Columns::default()
    };
    let (runs, notes) = input::aggregates_with(&t, &cols).unwrap();
    assert_eq!(
        (runs[1].level, aggregates(&runs[1]).throughput),
        (2.0, 19.0)
    );
    assert_eq!(aggregates(&runs[1]).mean, Some(105.0));
    assert_eq!(
        notes,
        vec![r#"c.csv: a column is not used: "run""#.to_owned()]
    );
    // A headerless table of three columns, by number.
    let t = perfstat_ingest::table::parse_table(
        "h.txt",
        b"7 1 10\n8 2 19\n9 4 35\n",
        &perfstat_ingest::table::TableOptions::default(),
    )
    .unwrap();
    let cols = input::Columns {
        level: Some("2".into()),
        throughput: Some("3".into()),
        ..input::Columns::default()
    };
    let (runs, _) = input::aggregates_with(&t, &cols).unwrap();
    assert_eq!(
        (runs[2].level, aggregates(&runs[2]).throughput),
        (4.0, 35.0)
    );
    // A chosen column the table does not have.
    let e = input::aggregates_with(
        &t,
        &input::Columns {
            level: Some("users".into()),
            ..input::Columns::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"h.txt:1: no column "users" for the level (a header name, or a column number from 1); found: 3 columns without a header"#
    );
}

fn jtl(rows: &[(u64, u64, bool, u32)]) -> String {
    let mut s = String::from("timeStamp,elapsed,label,responseCode,success,allThreads\n");
    for (ts, elapsed, ok, threads) in rows {
        s.push_str(&format!(
            "{},{elapsed},api,{},{ok},{threads}\n",
            1_700_000_000_000 + ts,
            if *ok { 200 } else { 500 }
        ));
    }
    s
}

fn read(
    text: &str,
    by: &str,
    keep_records: bool,
    include_failures: bool,
) -> perfstat_ingest::Dataset {
    let opts = ReadOptions {
        by: Some(by.to_owned()),
        keep_records,
        include_failures,
        ..ReadOptions::default()
    };
    read_reader("all.jtl", text.as_bytes(), &opts).unwrap()
}

#[test]
fn runs_from_all_threads_records() {
    let text = jtl(&[
        (1000, 10, true, 1),
        (1500, 20, false, 1),
        (3000, 30, true, 1),
        (5000, 40, true, 2),
        (6000, 50, true, 2),
    ]);
    let ds = read(&text, "allThreads", true, false);
    let runs = runs_from_records(&ds, "allThreads", false, &[])
        .unwrap()
        .unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].level, 1.0);
    assert_eq!(runs[0].source, "all.jtl (allThreads=1)");
    let r = requests(&runs[0]);
    assert_eq!((r.total, r.failed), (3, Some(1)));
    assert_eq!(r.latencies, [10.0, 30.0]);
    // From the first start (1000 ms) to the last end (3000 + 30 ms).
    assert!((r.duration_s - 2.03).abs() < 1e-12, "{}", r.duration_s);
    let r = requests(&runs[1]);
    assert_eq!((r.total, r.failed), (2, Some(0)));
    assert!((r.duration_s - 1.05).abs() < 1e-12);
    // Failed latencies kept on request; durations override the spans (one for all, or one each).
    let runs = runs_from_records(&ds, "allThreads", true, &[10.0])
        .unwrap()
        .unwrap();
    assert_eq!(requests(&runs[0]).latencies, [10.0, 20.0, 30.0]);
    assert!(runs.iter().all(|r| requests(r).duration_s == 10.0));
    let runs = runs_from_records(&ds, "allThreads", false, &[5.0, 7.0])
        .unwrap()
        .unwrap();
    assert_eq!(requests(&runs[1]).duration_s, 7.0);
    let e = runs_from_records(&ds, "allThreads", false, &[1.0, 2.0, 3.0])
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            e,
            InputError::DurationCount {
                given: 3,
                levels: 2
            }
        ),
        "{e}"
    );
    // A request without a level.
    let ds = read(
        &jtl(&[(1000, 10, true, 1), (2000, 10, true, 0)]),
        "allThreads",
        true,
        false,
    );
    let e = runs_from_records(&ds, "allThreads", false, &[])
        .unwrap()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "all.jtl: request 2 has no allThreads value (empty or 0)"
    );
    // Without records there is nothing to split this way.
    let ds = read(&text, "allThreads", false, false);
    assert!(runs_from_records(&ds, "allThreads", false, &[]).is_none());
}

#[test]
fn runs_from_groups_count_failures_from_a_second_read() {
    let text = jtl(&[
        (1000, 10, true, 1),
        (1500, 20, false, 1),
        (5000, 40, true, 2),
        (6000, 50, true, 2),
    ]);
    let ds = read(&text, "allThreads", false, false);
    let all = read(&text, "allThreads", false, true);
    let e = runs_from_groups(&ds, Some(&all), "allThreads", &[]).unwrap_err();
    assert!(matches!(e, InputError::UnknownLevelDurations { .. }), "{e}");
    let runs = runs_from_groups(&ds, Some(&all), "allThreads", &[2.0]).unwrap();
    let r = requests(&runs[0]);
    assert_eq!((r.total, r.failed, r.duration_s), (2, Some(1), 2.0));
    assert_eq!(r.latencies, [10.0]);
    // Without the second read the failures are unknown.
    let runs = runs_from_groups(&ds, None, "allThreads", &[2.0]).unwrap();
    assert_eq!(requests(&runs[0]).failed, None);
    // A label that is not a positive integer.
    let ds = read(&text, "label", false, false);
    let e = runs_from_groups(&ds, None, "label", &[2.0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"all.jtl: label: "api" is not a load level (a positive integer)"#
    );
}

#[test]
fn read_by_splits_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.jtl");
    std::fs::write(
        &path,
        jtl(&[
            (1000, 10, true, 1),
            (2000, 20, false, 2),
            (2500, 20, true, 2),
        ]),
    )
    .unwrap();
    let opts = ReadOptions {
        by: Some("allThreads".to_owned()),
        ..ReadOptions::default()
    };
    let (runs, ds) = input::read_by(&path, &opts, &[1.0]).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(requests(&runs[1]).failed, Some(1));
    assert!(ds.source.ends_with("all.jtl"));
}

#[test]
fn levels_from_file_names() {
    assert_eq!(level_in_name("run-25users.jtl"), Some(25.0));
    assert_eq!(level_in_name("users-05.jtl.gz"), Some(5.0));
    assert_eq!(level_in_name("peak.jtl"), None);
    let dir = tempfile::tempdir().unwrap();
    for name in ["run-10.jtl", "run-2.jtl", ".hidden", "run-100.jtl"] {
        std::fs::write(dir.path().join(name), "x").unwrap();
    }
    let pairs = levels_from_names(&[dir.path().to_path_buf()]).unwrap();
    let levels: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    assert_eq!(levels, [2.0, 10.0, 100.0]);
    assert!(pairs[0].1.ends_with("run-2.jtl"));
    // Files without a number are all listed.
    let e = levels_from_names(&["a.jtl".into(), "run-3.jtl".into(), "b.jtl".into()]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no number in the name of these files (the level is the first integer in a file name, \
         e.g. run-25users.jtl → 25): a.jtl, b.jtl"
    );
    // Files with one level are replicates, in the order given.
    let pairs = levels_from_names(&["y-3.jtl".into(), "x-3.jtl".into(), "z-1.jtl".into()]).unwrap();
    let names: Vec<String> = pairs.iter().map(|p| p.1.display().to_string()).collect();
    assert_eq!(names, ["z-1.jtl", "y-3.jtl", "x-3.jtl"]);
    let empty = tempfile::tempdir().unwrap();
    let e = levels_from_names(&[empty.path().to_path_buf()]).unwrap_err();
    assert!(matches!(e, InputError::EmptyDir { .. }), "{e}");
    assert!(matches!(
        levels_from_names(&[]).unwrap_err(),
        InputError::NoFiles
    ));
}
