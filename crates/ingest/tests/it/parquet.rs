//! Parquet and Arrow IPC (feature `parquet`): files written here with polars, one file, a directory of
//! per-generator files, standard-input bytes, JMeter-shaped tables as requests.

use std::{fs::File, path::Path};

use perfstat_ingest::{InputFormat, ReadOptions, read_path, read_reader};
use polars::prelude::*;

fn jtl_frame(offset: i64, n: usize) -> DataFrame {
    let ts: Vec<i64> = (0..n as i64)
        .map(|i| 1_741_944_413_000 + offset + i * 10)
        .collect();
    let elapsed: Vec<i64> = (0..n as i64).map(|i| 10 + (i * 7) % 50).collect();
    let label: Vec<&str> = (0..n)
        .map(|i| if i % 3 == 0 { "GET /a" } else { "GET /b" })
        .collect();
    let success: Vec<bool> = (0..n).map(|i| i % 10 != 9).collect();
    let code: Vec<&str> = (0..n)
        .map(|i| if i % 10 == 9 { "500" } else { "200" })
        .collect();
    let thread: Vec<String> = (0..n).map(|i| format!("tg-{}", i % 2)).collect();
    df!(
        "timeStamp" => ts,
        "elapsed" => elapsed,
        "label" => label,
        "responseCode" => code,
        "success" => success,
        "threadName" => thread,
    )
    .unwrap()
}

fn write_parquet(path: &Path, mut df: DataFrame) {
    ParquetWriter::new(File::create(path).unwrap())
        .with_row_group_size(Some(64))
        .finish(&mut df)
        .unwrap();
}

fn write_ipc(path: &Path, mut df: DataFrame) {
    IpcWriter::new(File::create(path).unwrap())
        .finish(&mut df)
        .unwrap();
}

#[test]
fn parquet_file_of_jmeter_columns_reads_as_requests() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.parquet");
    write_parquet(&path, jtl_frame(0, 1000));
    let opts = ReadOptions {
        by: Some("label".into()),
        ..ReadOptions::default()
    };
    let d = read_path(&path, &opts).unwrap();
    assert_eq!(d.format, InputFormat::Parquet);
    assert_eq!(d.metric, "elapsed");
    assert_eq!(d.unit, Some("ms"));
    let r = d.requests.as_ref().unwrap();
    assert_eq!((r.total, r.failed), (1000, 100));
    assert_eq!(r.failures, [("HTTP 500".to_owned(), 100)]);
    assert_eq!(r.start_ms, Some(1_741_944_413_000.0));
    assert_eq!(d.groups.len(), 2);
    assert_eq!(d.groups[0].label.as_deref(), Some("GET /a"));
    assert_eq!(d.len(), 900);
    // By any column, another metric, a magic-bytes detection without the extension.
    let renamed = dir.path().join("run.bin");
    std::fs::copy(&path, &renamed).unwrap();
    let by_thread = ReadOptions {
        by: Some("threadName".into()),
        include_failures: true,
        ..ReadOptions::default()
    };
    let d = read_path(&renamed, &by_thread).unwrap();
    assert_eq!(d.groups.len(), 2);
    assert_eq!(d.len(), 1000);
}

#[test]
fn directory_of_generators_is_one_dataset() {
    let dir = tempfile::tempdir().unwrap();
    for g in 0..3 {
        let sub = dir.path().join(format!("generator={g}"));
        std::fs::create_dir(&sub).unwrap();
        write_parquet(&sub.join("part-0.parquet"), jtl_frame(g * 5, 200));
    }
    // An Arrow IPC file from a fourth generator, and files that are not tables.
    write_ipc(&dir.path().join("gen-3.arrow"), jtl_frame(100, 200));
    std::fs::write(dir.path().join("_SUCCESS"), b"").unwrap();
    std::fs::write(dir.path().join("README.txt"), b"notes").unwrap();
    let d = read_path(dir.path(), &ReadOptions::default()).unwrap();
    let r = d.requests.as_ref().unwrap();
    assert_eq!((r.total, r.failed), (800, 80));
    assert_eq!(d.len(), 720);
    // Exact merge: the values are those of the four files in path order.
    let one = read_path(
        &dir.path().join("generator=0/part-0.parquet"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(d.groups[0].values[..180], one.groups[0].values[..]);
}

#[test]
fn generic_tables_stdin_bytes_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.arrow");
    let df = df!(
        "endpoint" => ["a", "b", "a", "b"],
        "latency_s" => [Some(0.5), Some(0.25), None, Some(f64::NAN)],
    )
    .unwrap();
    write_ipc(&path, df.clone());
    let e = read_path(&path, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "{}:3: expected a number in column \"latency_s\", found \"null\"",
            path.display()
        )
    );
    let opts = ReadOptions {
        by: Some("endpoint".into()),
        skip_invalid: true,
        unit: Some(perfstat_ingest::Unit::Seconds),
        ..ReadOptions::default()
    };
    let d = read_path(&path, &opts).unwrap();
    assert_eq!(d.format, InputFormat::ArrowIpc);
    assert_eq!((d.rows, d.skipped), (4, 2));
    assert_eq!(d.groups[0].values, [500.0]);
    assert_eq!(d.groups[1].values, [250.0]);
    assert_eq!(d.unit, Some("ms"));
    // From a reader (standard input): magic bytes.
    let pq = dir.path().join("t.parquet");
    write_parquet(&pq, df);
    let bytes = std::fs::read(&pq).unwrap();
    let d = read_reader("-", &bytes[..], &opts).unwrap();
    assert_eq!(d.format, InputFormat::Parquet);
    assert_eq!(d.len(), 2);
    // Unknown columns, no numeric column, a corrupt file.
    let e = read_path(
        &pq,
        &ReadOptions {
            metric: Some("x".into()),
            ..ReadOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("unknown metric column \"x\"; available columns: endpoint, latency_s"),
        "{e}"
    );
    let bad = dir.path().join("bad.parquet");
    std::fs::write(&bad, b"PAR1 this is not parquet").unwrap();
    let e = read_path(&bad, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(&format!("{}: cannot read Parquet:", bad.display())),
        "{e}"
    );
    let empty = tempfile::tempdir().unwrap();
    let e = read_path(empty.path(), &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("without .parquet"), "{e}");
}
