//! Exact positions: numbers out of range, errors at a line end, long tokens, CRLF.

use crate::{error, read};

#[test]
fn out_of_range_number_is_at_its_first_character() {
    // Case 16: 1e400 is on line 4; serde_json says line 5, column 0.
    assert_eq!(
        error("j.json", "[\n1,\n3,\n1e400\n]\n"),
        "j.json:4:1: number out of range"
    );
    assert_eq!(
        error("j.json", "[1, 2,  -1e400, 3]"),
        "j.json:1:9: number out of range"
    );
    assert_eq!(
        error("j.json", "[{\"a\": 1},\n {\"a\": 1e999}]"),
        "j.json:2:8: number out of range"
    );
    // CRLF line ends count the same.
    assert_eq!(
        error("j.json", "[\r\n1,\r\n3,\r\n1e400\r\n]\r\n"),
        "j.json:4:1: number out of range"
    );
    // NDJSON: the line's own text.
    assert_eq!(
        error("j.ndjson", "{\"a\": 1}\n{\"a\": 1e400}\n"),
        "j.ndjson:2:7: number out of range"
    );
    assert_eq!(
        error("j.ndjson", "1\n2\n1e400\n"),
        "j.ndjson:3:1: number out of range"
    );
}

#[test]
fn special_numbers_are_read_or_named() {
    let d = read("j.json", "[-0, 5e-324, 1.7976931348623157e308, -1.797e308]").unwrap();
    let v: Vec<f64> = d.values().collect();
    assert_eq!(v, [-0.0, 5e-324, f64::MAX, -1.797e308]);
    assert!(v[0].is_sign_negative());
    let d = read("j.csv", "x\n-0\n5e-324\n1.797e308\n").unwrap();
    assert_eq!(d.values().collect::<Vec<_>>(), [-0.0, 5e-324, 1.797e308]);
}

#[test]
fn errors_at_a_line_end_are_on_that_line() {
    // An unterminated array: the end of the input, after the last line's last character.
    assert_eq!(
        error("j.json", "[\n1,\n2"),
        "j.json:3:1: EOF while parsing a list"
    );
    assert_eq!(
        error("j.json", "[\n1,\n22\r\n"),
        "j.json:3:3: EOF while parsing a list"
    );
}

#[test]
fn unit_conversion_overflow_names_the_place() {
    use perfstat_ingest::{ReadOptions, Unit};
    let seconds = ReadOptions {
        unit: Some(Unit::Seconds),
        ..ReadOptions::default()
    };
    // Case 20: `--unit s` with 1e308 on line 4.
    assert_eq!(
        crate::error_with("u.csv", "x\n1\n2\n1e308\n", &seconds),
        "u.csv:4:1: value \"1e308\" in column \"x\" overflows when converted to milliseconds"
    );
    let skip = ReadOptions {
        skip_invalid: true,
        ..seconds.clone()
    };
    let d = crate::read_with("u.csv", "x\n1\n2\n1e308\n", &skip).unwrap();
    assert_eq!(
        (d.values().collect::<Vec<_>>(), d.skipped),
        (vec![1000.0, 2000.0], 1)
    );
    assert_eq!(d.unit, Some("ms"));
    // JSON arrays, records and NDJSON the same.
    assert_eq!(
        crate::error_with("u.json", "[1,\n -1.797e308]", &seconds),
        "u.json:2:2: value \"-1.797e308\" in column \"value\" overflows when converted to milliseconds"
    );
    assert_eq!(
        crate::error_with("u.json", "[{\"x\": 1}, {\"x\": \"1e308\"}]", &seconds),
        "u.json:1:18: value \"1e308\" in column \"x\" overflows when converted to milliseconds"
    );
    assert_eq!(
        crate::error_with("u.ndjson", "{\"x\": 1}\n{\"x\": 1e308}\n", &seconds),
        "u.ndjson:2: value \"1e308\" in column \"x\" overflows when converted to milliseconds"
    );
    // Microseconds and nanoseconds only shrink: the largest value is read.
    let ns = ReadOptions {
        unit: Some(Unit::Nanoseconds),
        ..ReadOptions::default()
    };
    let d = crate::read_with("u.csv", "x\n1.797e308\n5e-324\n", &ns).unwrap();
    assert_eq!(d.values().collect::<Vec<_>>(), [1.797e302, 0.0]);
}

/// A hyperfine export whose second command has `time` as its fourth run.
fn hyperfine(time: &str) -> String {
    format!(
        r#"{{
  "results": [
    {{ "command": "a", "times": [0.1, 0.2], "exit_codes": [0, 0] }},
    {{
      "command": "b",
      "times": [
        0.3,
        0.4,
        0.5,
        {time},
        0.6
      ],
      "exit_codes": [0, 0, 0, 0, 0]
    }}
  ]
}}"#
    )
}

#[test]
fn hyperfine_times_that_overflow_name_file_line_and_column() {
    // Case 20: -1.797e308 s named the benchmark command and said "-inf at position 6".
    assert_eq!(
        crate::error("h.json", hyperfine("-1.797e308")),
        "h.json:10:9: value \"-1.797e308\" in column \"times\" overflows when converted to milliseconds"
    );
    assert_eq!(
        crate::error("h.json", hyperfine("\"x\"")),
        "h.json:10:9: expected a number in column \"times\", found \"\"x\"\""
    );
    assert_eq!(
        crate::error("h.json", hyperfine("1e400")),
        "h.json:10:9: expected a finite number in column \"times\", found \"1e400\""
    );
    let d = crate::read_with("h.json", hyperfine("1.797e308"), &crate::skipping()).unwrap();
    assert_eq!((d.rows, d.skipped, d.len()), (7, 1, 6));
    assert_eq!(d.groups[1].values, [300.0, 400.0, 500.0, 600.0]);
}

#[test]
fn duplicate_columns_and_keys_are_errors() {
    // Case 21: two columns named x; --metric x took the first without a word.
    let text = "x,x\n1,5\n2,6\n";
    let want = "dupcol.csv:1:2: columns 1 and 2 are both named \"x\": rename one";
    assert_eq!(
        crate::error_with("dupcol.csv", text, &crate::metric("x")),
        want
    );
    assert_eq!(crate::error("dupcol.csv", text), want);
    // Empty names may repeat (an index column without a name, trailing delimiters).
    let d = crate::read_with("a.csv", ",,x\n1,2,3\n", &crate::metric("x")).unwrap();
    assert_eq!(d.values().collect::<Vec<_>>(), [3.0]);
    // JSON records, in the sampled first rows and after them.
    assert_eq!(
        crate::error("k.json", "[{\"a\": 1, \"b\": 2,\n  \"a\": 3}]"),
        "k.json:2:3: key \"a\" appears twice in one object"
    );
    let mut many = String::from("[");
    for i in 0..150 {
        many.push_str(&format!("{{\"a\": {i}, \"b\": \"x\"}},\n"));
    }
    many.push_str("{\"b\": \"x\", \"a\": 1, \"c\": 9, \"a\": 999}]");
    assert_eq!(
        crate::error("k.json", &many),
        "k.json:151:28: key \"a\" appears twice in one object"
    );
    // A key that is not read counts too.
    assert_eq!(
        crate::error_with(
            "k.json",
            many.replace("\"a\": 999", "\"b\": 999"),
            &crate::metric("a")
        ),
        "k.json:151:28: key \"b\" appears twice in one object"
    );
    assert_eq!(
        crate::error("k.ndjson", "{\"a\": 1}\n{\"a\": 1, \"a\": 2}\n"),
        "k.ndjson:2: key \"a\" appears twice in one object"
    );
    // Different objects may share keys, nested objects have their own.
    let d = crate::read("k.json", "[{\"a\": 1, \"t\": {\"a\": \"x\"}}, {\"a\": 2}]").unwrap();
    assert_eq!(d.values().collect::<Vec<_>>(), [1.0, 2.0]);
}

#[test]
fn duplicate_jmeter_columns_are_errors() {
    let jtl = "timeStamp,elapsed,label,elapsed\n1741944413000,5,a,6\n";
    assert_eq!(
        crate::error("a.jtl", jtl),
        "a.jtl:1:4: columns 2 and 4 are both named \"elapsed\": rename one"
    );
}

/// Every shared sample (and the generic formats) with a bad line injected: the error is at that line,
/// the same with CRLF line ends as with LF.
#[test]
fn crlf_line_numbers_match_lf_in_every_reader() {
    use perfstat_ingest::{InputFormat, ReadOptions, read_reader};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    inputs.sort();
    inputs.push(("g.csv".into(), b"a,b\n1,2\n3,4\n5,6\n7,8\n".to_vec()));
    inputs.push(("g.tsv".into(), b"a\tb\n1\t2\n3\t4\n5\t6\n7\t8\n".to_vec()));
    inputs.push((
        "g.json".into(),
        b"[\n{\"a\": 1},\n{\"a\": 2},\n{\"a\": 3},\n{\"a\": 4}\n]\n".to_vec(),
    ));
    inputs.push((
        "g.ndjson".into(),
        b"{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n{\"a\": 4}\n".to_vec(),
    ));
    let mut positioned = 0;
    for (name, lf) in &inputs {
        let lf = String::from_utf8(lf.clone()).unwrap().replace("\r\n", "\n");
        let lines: Vec<&str> = lf.split_inclusive('\n').collect();
        if lines.len() < 4 {
            continue;
        }
        let k = lines.len() / 2 + 1; // 1-based line replaced
        for bad in [
            "zz,\u{1},1e400,\t;|x\n",
            "7,8,9,10,11,12,13,14,15,16,17,18,19,20\n",
        ] {
            let mut text = String::new();
            for (i, line) in lines.iter().enumerate() {
                text.push_str(if i + 1 == k { bad } else { line });
            }
            let crlf = text.replace('\n', "\r\n");
            let format = InputFormat::from_name(name).filter(|f| f.is_tool());
            let opts = ReadOptions {
                metric: if name.starts_with("locust") {
                    Some("Requests/s".to_owned())
                } else {
                    name.starts_with("g.").then(|| "a".to_owned())
                },
                format,
                ..ReadOptions::default()
            };
            let a = read_reader(name, text.as_bytes(), &opts);
            let b = read_reader(name, crlf.as_bytes(), &opts);
            match (&a, &b) {
                (Err(ea), Err(eb)) => {
                    assert_eq!(ea.position(), eb.position(), "{name}: {ea} / {eb}");
                    if let Some(p) = ea.position() {
                        positioned += 1;
                        // JSON may notice on the next line (the injected text can be valid JSON).
                        let k = k as u64;
                        assert!(p.line == k || p.line == k + 1, "{name}: line {k}: {ea}");
                    }
                }
                (Ok(da), Ok(db)) => assert_eq!(
                    da.values().collect::<Vec<_>>(),
                    db.values().collect::<Vec<_>>(),
                    "{name}"
                ),
                _ => panic!("{name}: LF {a:?}, CRLF {b:?}"),
            }
        }
    }
    assert!(positioned >= 12, "only {positioned} positioned errors");
}

#[test]
fn llm_values_that_overflow_are_errors_not_lost() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let llmperf = read("llmperf_individual_responses.json").replacen(
        "\"end_to_end_latency_s\": 4.6196537250419025",
        "\"end_to_end_latency_s\": 1.7e308",
        1,
    );
    assert_eq!(
        crate::error("l.json", &llmperf),
        "l.json: value \"1.7e308\" in column \"end_to_end_latency_s (record 1)\" overflows when converted to milliseconds"
    );
    let all = crate::read("l.json", read("llmperf_individual_responses.json")).unwrap();
    let d = crate::read_with("l.json", &llmperf, &crate::skipping()).unwrap();
    assert_eq!((d.skipped, d.len() + 1), (1, all.len()));
    let vllm = read("vllm-bench-serve.json").replacen(
        "\"latencies\": [0.5926521726082176",
        "\"latencies\": [1.7e308",
        1,
    );
    assert_eq!(
        crate::error("v.json", &vllm),
        "v.json: value \"1.7e308\" in column \"latencies (request 1)\" overflows when converted to milliseconds"
    );
    assert_eq!(
        crate::read_with("v.json", &vllm, &crate::skipping())
            .unwrap()
            .skipped,
        1
    );
}
