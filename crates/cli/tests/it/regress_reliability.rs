//! The reliability cases of `regress` (`tests/data/reliability/NN-*`, from issue 10): positions
//! in errors, silently accepted runs, `--append` through a symbolic link.

use std::ffi::OsStr;
use std::path::PathBuf;

use crate::util::{Inputs, input_error, perfstat};

fn case(dir: &str, file: &str) -> PathBuf {
    crate::util::workspace_root()
        .join("crates/cli/tests/data/reliability")
        .join(dir)
        .join(file)
}

fn error_of(path: &std::path::Path) -> String {
    input_error(&[OsStr::new("regress"), path.as_os_str()])
}

#[test]
fn case_15_crlf_lines_are_exact() {
    let h = case("15-crlf-line-numbers-off-by-one", "history.csv");
    assert_eq!(
        error_of(&h).trim_end(),
        format!(
            r#"error: {}:4:2: expected a number in column "p95_latency_ms", found "x""#,
            h.display()
        )
    );
}

#[test]
fn case_20_ragged_rows_and_json_syntax_have_one_position() {
    let h = case("20-misleading-error-text", "ragged.csv");
    assert_eq!(
        error_of(&h).trim_end(),
        format!(
            "error: {}:3: expected 4 fields as in the header, found 5",
            h.display()
        )
    );
    let h = case("20-misleading-error-text", "comma.ndjson");
    assert_eq!(
        error_of(&h).trim_end(),
        format!("error: {}:3:19: invalid JSON: trailing comma", h.display())
    );
}

#[test]
fn case_22_invalid_utf8_names_line_and_column() {
    let h = case("22-invalid-utf8-no-line", "history.csv");
    assert_eq!(
        error_of(&h).trim_end(),
        format!(r#"error: {}:4:2: invalid UTF-8 in column "2""#, h.display())
    );
}

fn json(args: &[&OsStr]) -> (serde_json::Value, String) {
    let out = perfstat()
        .arg("regress")
        .args(args)
        .args(["--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

#[test]
fn case_21_shared_nights_are_named_and_shuffled_nights_sorted() {
    let h = case("21-silently-accepted", "dupruns.csv");
    let (doc, stderr) = json(&[h.as_os_str()]);
    let said = format!(
        "warning: {}: 13 runs share the key 2024-01-01 (lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more): kept as separate runs, in file order",
        h.display()
    );
    assert!(stderr.contains(&said), "{stderr}");
    assert_eq!(doc["runs"], 13);
    assert_eq!(doc["warnings"][0], said.trim_start_matches("warning: "));

    let h = case("21-silently-accepted", "shuffled.csv");
    let (doc, stderr) = json(&[h.as_os_str()]);
    assert_eq!(doc["current_run"]["id"], "2024-01-15");
    assert_eq!(doc["current_run"]["index"], 14);
    let said = format!(
        "warning: {}: the runs are not in order of night: sorted them, so the current run is the latest (2024-01-15); out of order: lines 4, 5, 7, 8, 9, 10, 11, 12, 13, 14 and 2 more",
        h.display()
    );
    assert!(stderr.contains(&said), "{stderr}");
    // The series is in time order: 2024-01-01 (101) first.
    assert_eq!(doc["metrics"][0]["baseline"]["n"], 7);
}

#[cfg(unix)]
#[test]
fn case_14_append_through_a_symlink_updates_the_real_file_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let i = Inputs::new();
    let src = std::fs::read(case("14-append-symlink-and-mode", "history.csv")).unwrap();
    let real = i.file("real.csv", &src);
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = i.dir.path().join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let current = case("14-append-symlink-and-mode", "current.csv");
    perfstat()
        .arg("regress")
        .arg(&link)
        .arg("--current")
        .arg(&current)
        .args(["--append", "--fail-on", "never"])
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert_eq!(text.lines().count(), 12);
    assert_eq!(text.lines().last(), Some("10,101"));
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let names: Vec<_> = std::fs::read_dir(i.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}
