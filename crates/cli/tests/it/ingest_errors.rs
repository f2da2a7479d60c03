//! Input errors of the readers as the CLI prints them: exact positions, no silent acceptance, bounded
//! resources, and the CLI's hints (the library's messages name no flag). The reliability reproducers
//! 15, 16, 20, 21 and 22 (ingest parts) and 08 are here, with their inputs in
//! `tests/data/reliability/`.

use std::ffi::OsStr;
use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::util::{Inputs, input_error, perfstat};

const DATA: &str = "crates/cli/tests/data/reliability";

fn data(path: &str) -> String {
    format!("{DATA}/{path}")
}

fn err(args: &[&str]) -> String {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    input_error(&args)
}

#[test]
fn json_out_of_range_is_on_its_own_line() {
    // 08/16: 1e400 is on line 4 (it was reported as 5:0).
    let e = err(&["describe", &data("16-json-out-of-range/j.json")]);
    assert_eq!(
        e,
        format!("error: {DATA}/16-json-out-of-range/j.json:4:1: number out of range\n")
    );
}

#[test]
fn conversion_overflow_names_file_line_and_column() {
    // 20: -1.797e308 s in hyperfine's times[] named the benchmark command and said "-inf at position 6".
    let file = data("20-misleading-error-text/hyperfine.json");
    let e = err(&["describe", &file]);
    assert_eq!(
        e,
        format!(
            "error: {file}:68:9: value \"-1.7976931348623157e308\" in column \"times\" overflows when \
             converted to milliseconds\n\nhint: pass --skip-invalid to skip such rows (the count is \
             reported)\n"
        )
    );
    // --skip-invalid skips it.
    let out = perfstat()
        .args(["describe", &file, "--skip-invalid", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("skipped 1 invalid row of 30"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["inputs"][0]["skipped"], 1);
    // --unit s with 1e308 on line 4 said "value inf at position 2".
    let file = data("20-misleading-error-text/u.csv");
    let e = err(&["describe", &file, "--unit", "s"]);
    assert!(
        e.starts_with(&format!(
            "error: {file}:4:1: value \"1e308\" in column \"x\" overflows when converted to milliseconds\n"
        )),
        "{e}"
    );
    let out = perfstat()
        .args([
            "describe",
            &file,
            "--unit",
            "s",
            "--skip-invalid",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["samples"][0]["n"], 2);
    assert_eq!(doc["samples"][0]["mean"], 1500.0);
}

#[test]
fn a_gz_name_on_plain_text_is_read_as_text() {
    let out = perfstat()
        .args([
            "describe",
            &data("20-misleading-error-text/plain.csv.gz"),
            "--format",
            "json",
        ])
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["samples"][0]["n"], 2);
}

#[test]
fn duplicate_columns_are_named() {
    // 21: two columns named x; --metric x took the first without a word.
    let file = data("21-silently-accepted/dupcol.csv");
    for args in [
        vec!["describe", &file, "--metric", "x"],
        vec!["describe", &file],
    ] {
        assert_eq!(
            err(&args),
            format!("error: {file}:1:2: columns 1 and 2 are both named \"x\": rename one\n")
        );
    }
    let dir = Inputs::new();
    let keys = dir.file("k.json", "[{\"x\": 1},\n {\"x\": 2, \"x\": 3}]");
    let e = err(&["describe", keys.to_str().unwrap()]);
    assert!(
        e.ends_with(":2:11: key \"x\" appears twice in one object\n"),
        "{e}"
    );
}

#[test]
fn invalid_utf8_and_crlf_are_at_their_line() {
    // 22 (describe): the bad byte is in line 2, column 1.
    let file = data("22-invalid-utf8-no-line/values.csv");
    let e = err(&["describe", &file, "--metric", "latency_ms", "--by", "name"]);
    assert!(
        e.starts_with(&format!(
            "error: {file}:2:1: invalid UTF-8 in column \"name\"\n"
        )),
        "{e}"
    );
    // 15 (describe): the bad cell is on line 4 of a CRLF file.
    let file = data("15-crlf-line-numbers-off-by-one/values.csv");
    let e = err(&["describe", &file]);
    assert!(
        e.starts_with(&format!(
            "error: {file}:4:1: expected a number in column \"x\", found \"abc\"\n"
        )),
        "{e}"
    );
}

#[test]
fn hints_name_the_flags() {
    let dir = Inputs::new();
    let two = dir.file("two.csv", "a,b\n1,2\n");
    let e = err(&["describe", two.to_str().unwrap()]);
    assert!(
        e.ends_with(": several numeric columns (a, b): name the metric column\n\nhint: pass --metric NAME to choose \
                     the column, or --input-format FORMAT if this is a tool's output (csv, json, ndjson, k6-json, \
                     k6-csv, jmeter-csv, jmeter-xml, gatling, vegeta-csv, vegeta-json, hey, ab, locust-history, \
                     locust-stats, hyperfine, oha-csv, oha-json, goose-csv, goose-json, wrk, hdr-log, vllm, \
                     llmperf, parquet, arrow-ipc)\n"),
        "{e}"
    );
    let none = dir.file("none.csv", "a,b\nx,y\n");
    let e = err(&["describe", none.to_str().unwrap()]);
    assert!(
        e.contains("\n\nhint: pass --metric NAME to choose the column, or --input-format FORMAT"),
        "{e}"
    );
    let failed = dir.file(
        "failed.jtl",
        "timeStamp,elapsed,label,responseCode,success\n1741944413000,5,a,500,false\n",
    );
    let e = err(&["describe", failed.to_str().unwrap()]);
    assert!(
        e.ends_with(
            ": all 1 requests failed: no successful request to describe (failed requests are \
             excluded)\n\nhint: pass --include-failures to keep failed requests\n"
        ),
        "{e}"
    );
}

/// Runs `perfstat describe -` (plus `args`) fed by `head`, then `fill` bytes until perfstat stops reading;
/// returns the exit code and stderr.
fn endless_stdin(args: &[&str], head: &[u8], fill: u8) -> (Option<i32>, String) {
    let bin = assert_cmd::cargo::cargo_bin("perfstat");
    let mut child = Command::new(bin)
        .args(["describe", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let head = head.to_vec();
    let writer = std::thread::spawn(move || {
        let block = vec![fill; 1 << 20];
        if stdin.write_all(&head).is_err() {
            return;
        }
        // Stops when perfstat exits (a broken pipe); 1 GiB at most.
        for _ in 0..1024 {
            if stdin.write_all(&block).is_err() {
                return;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_endless_line_is_an_error_naming_its_line() {
    // After a valid header, on standard input: CSV, NDJSON, a JMeter JTL (its own fast row reader).
    for (args, head, line) in [
        (&[][..], &b"x\n1\n"[..], 3),
        (&["--input-format", "ndjson"][..], &b"{\"x\": 1}\n"[..], 2),
        (
            &[][..],
            &b"timeStamp,elapsed,label\n1741944413000,5,a\n"[..],
            3,
        ),
    ] {
        let (code, stderr) = endless_stdin(args, head, b'7');
        assert_eq!(code, Some(2), "{stderr}");
        assert_eq!(
            stderr,
            format!("error: <stdin>: line {line} is longer than 64 MiB: is this a text file?\n")
        );
    }
    // A JSON document may be one long line, but one value may not: see the ingest crate's unit test
    // (64 MiB read a byte at a time is slow in a debug build).
}

#[test]
fn a_gzip_bomb_line_is_an_error_naming_its_line() {
    // 100 MiB of one line, compressed to about 100 KiB.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(b"x\n1\n").unwrap();
    let block = vec![b'5'; 1 << 20];
    for _ in 0..100 {
        enc.write_all(&block).unwrap();
    }
    let dir = Inputs::new();
    let bomb = dir.file("bomb.csv.gz", enc.finish().unwrap());
    let e = err(&["describe", bomb.to_str().unwrap()]);
    assert_eq!(
        e,
        format!(
            "error: {}: line 3 is longer than 64 MiB: is this a text file?\n",
            bomb.display()
        )
    );
}

#[cfg(target_os = "linux")]
#[test]
fn dev_zero_ends_in_an_error_with_bounded_memory() {
    // 08: /dev/zero grew until the allocator aborted. Under a 4 GiB address-space limit it must end in
    // an input error naming the line.
    let bin = assert_cmd::cargo::cargo_bin("perfstat");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 4194304; exec '{}' describe /dev/zero",
            bin.display()
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: /dev/zero: line 1 is longer than 64 MiB: is this a text file?\n"
    );
}
