//! Without the `parquet` feature, Parquet and Arrow IPC inputs give a clear error.

use perfstat_ingest::{InputFormat, ReadOptions, read_path};

use super::error;

#[test]
fn parquet_without_the_feature_says_how_to_get_it() {
    assert_eq!(
        error("run.parquet", b"PAR1\x15\x04\x15\x10"),
        "run.parquet: this perfstat was built without Parquet support: rebuild with --features parquet"
    );
    assert_eq!(
        error("-", b"ARROW1\0\0\xff\xff"),
        "-: this perfstat was built without Arrow IPC support: rebuild with --features parquet"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gen-1.parquet"), b"PAR1....PAR1").unwrap();
    let e = read_path(dir.path(), &ReadOptions::default()).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("built without Parquet support: rebuild with --features parquet"),
        "{e}"
    );
    let e = read_path(
        &dir.path().join("gen-1.parquet"),
        &ReadOptions {
            format: Some(InputFormat::Parquet),
            ..ReadOptions::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("--features parquet"));
}
