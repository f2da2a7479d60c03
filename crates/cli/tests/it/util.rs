//! Helpers: run the binary (checking every JSON document it writes), write temporary inputs.

use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

/// The `perfstat` binary, run from the workspace root (so `data/...` paths work).
///
/// Its [`Perfstat::output`] checks every JSON document the run produced (stdout, and each `*.json`
/// under an `--out DIR`) with [`nulls_without_reason`], so no CLI test can see a null without its
/// reason.
pub fn perfstat() -> Perfstat {
    let mut cmd = assert_cmd::Command::cargo_bin("perfstat").unwrap();
    let cwd = workspace_root();
    cmd.current_dir(&cwd);
    cmd.env_remove("RUST_BACKTRACE");
    Perfstat {
        cmd,
        args: Vec::new(),
        cwd,
    }
}

/// `assert_cmd::Command` with the methods the tests use, and a JSON check after the run.
pub struct Perfstat {
    cmd: assert_cmd::Command,
    args: Vec<OsString>,
    cwd: PathBuf,
}

impl Perfstat {
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.args.push(arg.as_ref().to_owned());
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.cwd = self.cwd.join(dir.as_ref());
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.env(key, value);
        self
    }

    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.cmd.timeout(timeout);
        self
    }

    pub fn write_stdin(&mut self, buffer: impl Into<Vec<u8>>) -> &mut Self {
        self.cmd.write_stdin(buffer);
        self
    }

    /// Runs the command; panics if stdout, or a `*.json` file under `--out DIR`, is a JSON document
    /// with a null that has no reason.
    /// Runs the command and asserts exit status 0 (stderr in the message); returns the output.
    pub fn success(&mut self) -> Output {
        let out = self.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "perfstat {:?}: {}",
            self.args,
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn output(&mut self) -> std::io::Result<Output> {
        let out = self.cmd.output()?;
        if let Ok(doc) = serde_json::from_slice::<Value>(&out.stdout) {
            check_nulls(&doc, &format!("stdout of perfstat {:?}", self.args));
        }
        for dir in self.out_dirs() {
            for file in json_files(&dir) {
                let bytes = std::fs::read(&file).unwrap();
                if let Ok(doc) = serde_json::from_slice::<Value>(&bytes) {
                    check_nulls(
                        &doc,
                        &format!("{} of perfstat {:?}", file.display(), self.args),
                    );
                }
            }
        }
        Ok(out)
    }

    /// The folders given as `--out DIR` or `--out=DIR`, resolved against the working directory.
    fn out_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = Vec::new();
        let mut args = self.args.iter();
        while let Some(arg) = args.next() {
            let arg = arg.to_string_lossy();
            if arg == "--out" {
                if let Some(dir) = args.next() {
                    dirs.push(self.cwd.join(dir));
                }
            } else if let Some(dir) = arg.strip_prefix("--out=") {
                dirs.push(self.cwd.join(dir));
            }
        }
        dirs
    }
}

/// Every `*.json` file under `dir` (none if it does not exist).
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(json_files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Panics, naming the key paths, if `doc` has a null without a reason; logs the document as walked.
fn check_nulls(doc: &Value, what: &str) {
    log_walked(what);
    let missing = nulls_without_reason(doc);
    assert!(
        missing.is_empty(),
        "{what}: nulls without a reason: {missing:?}"
    );
}

/// Appends one line per walked document to `nulls-walked-<pid>.log` in the test target folder, so a
/// run can count the documents it checked.
fn log_walked(what: &str) {
    let log = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("nulls-walked-{}.log", std::process::id()));
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        let _ = writeln!(f, "{}", what.replace('\n', " "));
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A temporary folder holding test inputs.
pub struct Inputs {
    pub dir: tempfile::TempDir,
}

impl Inputs {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(bytes.as_ref())
            .unwrap();
        path
    }

    pub fn gzip(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        self.file(name, enc.finish().unwrap())
    }
}

/// Runs `perfstat COMMAND ARGS --format json`: the exit status, the document (`None` when stdout is not
/// one, e.g. on an error) and stderr.
pub fn json_run(command: &str, args: &[&OsStr]) -> (i32, Option<Value>, String) {
    let out = perfstat()
        .arg(command)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = serde_json::from_slice(&out.stdout).ok();
    (out.status.code().unwrap(), doc, stderr)
}

/// [`json_run`] that expects a document.
pub fn json_doc(command: &str, args: &[&OsStr]) -> (i32, Value, String) {
    let (code, doc, stderr) = json_run(command, args);
    let doc = doc.unwrap_or_else(|| panic!("no JSON document on stdout: {stderr}"));
    (code, doc, stderr)
}

/// Runs perfstat, expecting exit status 2 and a one-paragraph error; returns stderr.
pub fn input_error(args: &[&std::ffi::OsStr]) -> String {
    let out = perfstat().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit status for {args:?}; stderr: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout on error, got {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "stderr: {stderr}"
    );
    stderr
}

/// The key paths (from the document root) of every `null` in `doc` that no `reasons` object explains.
///
/// The rule (docs/json-output.md, "Undefined values and `reasons`"):
///
/// - A path is the object keys and array indexes from an object down to a value, joined by `.`
///   (`normality.anderson_darling.p_value`, `slos.0.lower`).
/// - A `null` is explained by the **nearest enclosing** object that has a `reasons` member holding an
///   object (the null's own parent counts; so does the document root): that `reasons` must have the
///   null's path relative to the enclosing object as a key, or a key that is a prefix of it ending at a
///   `.` (a reason for a whole object covers the nulls inside it).
/// - The members of a `reasons` object are not walked.
///
/// An empty result means every null has its reason.
pub fn nulls_without_reason(doc: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    walk(doc, &mut Vec::new(), None, &mut missing);
    missing
}

/// The nearest enclosing object that has `reasons`: its reasons and its depth in `path`.
type Scope<'a> = Option<(&'a serde_json::Map<String, Value>, usize)>;

fn walk<'a>(v: &'a Value, path: &mut Vec<String>, scope: Scope<'a>, missing: &mut Vec<String>) {
    match v {
        Value::Null => {
            let explained = scope.is_some_and(|(reasons, depth)| {
                let relative = path[depth..].join(".");
                reasons.keys().any(|k| {
                    k == &relative
                        || (relative.starts_with(k.as_str())
                            && relative.as_bytes().get(k.len()) == Some(&b'.'))
                })
            });
            if !explained {
                missing.push(path.join("."));
            }
        }
        Value::Object(map) => {
            let scope = match map.get("reasons") {
                Some(Value::Object(reasons)) => Some((reasons, path.len())),
                _ => scope,
            };
            for (key, child) in map {
                if key == "reasons" && child.is_object() {
                    continue;
                }
                path.push(key.clone());
                walk(child, path, scope, missing);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(child, path, scope, missing);
                path.pop();
            }
        }
        Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

#[test]
fn the_walker_follows_its_rule() {
    let doc: Value = serde_json::from_str(
        r#"{ "top": null,
             "samples": [
               { "a": null, "b": { "c": null, "d": 1 }, "e": { "f": null },
                 "slos": [ { "lower": null, "upper": 2 } ],
                 "reasons": { "a": "why a", "b.c": "why c", "e": "why e", "slos.0.lower": "why" } },
               { "a": null, "inner": { "x": null, "reasons": { "y": "not x" } },
                 "reasons": { "a": "why", "inner.x": "the nearest reasons decides" } } ],
             "reasons": { "top": "why top", "samples.1.inner.x": "too far" } }"#,
    )
    .unwrap();
    assert_eq!(nulls_without_reason(&doc), vec!["samples.1.inner.x"]);
    // No reasons anywhere: every null is reported, with its path.
    let doc: Value = serde_json::from_str(r#"{ "a": [1, null], "b": { "ab": null } }"#).unwrap();
    assert_eq!(nulls_without_reason(&doc), vec!["a.1", "b.ab"]);
    // A key that is a prefix but not at a `.` boundary does not explain.
    let doc: Value = serde_json::from_str(r#"{ "ab": null, "reasons": { "a": "no" } }"#).unwrap();
    assert_eq!(nulls_without_reason(&doc), vec!["ab"]);
}

/// The walker fails on a real document once a reason is removed, and the hook in
/// [`Perfstat::output`] panics on such a document.
#[test]
fn removing_a_reason_from_a_real_document_is_caught() {
    // Every command's JSON on the shipped data passes as it is.
    let capacity_levels: Vec<String> = ["01", "05", "10", "25", "50", "80"]
        .iter()
        .flat_map(|n| {
            [
                "--level".to_owned(),
                n.trim_start_matches('0').to_owned(),
                format!("data/capacity/users-{n}.jtl.gz"),
            ]
        })
        .collect();
    let mut capacity: Vec<&str> = vec!["capacity"];
    capacity.extend(capacity_levels.iter().map(String::as_str));
    capacity.extend(["--slo-p95", "200ms"]);
    let runs: [&[&str]; 7] = [
        &[
            "describe",
            "data/run.csv",
            "--metric",
            "latency_ms",
            "--by",
            "endpoint",
        ],
        &[
            "ab",
            "data/control.csv",
            "data/treatment.csv",
            "--metric",
            "latency_ms",
        ],
        &[
            "ab",
            "data/control.csv",
            "data/treatment.csv",
            "--metric",
            "latency_ms",
            "--by",
            "endpoint",
        ],
        &[
            "pareto",
            "data/configs.json",
            "--constraint",
            "p95_latency_ms<=900",
        ],
        &["regress", "data/history.csv"],
        &["capacity", "data/capacity/levels.csv"],
        &capacity,
    ];
    for args in runs {
        let out = perfstat()
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(nulls_without_reason(&doc).is_empty(), "{args:?}");
    }

    // regress without --current: `current_file` is null, with its reason saying what is missing
    // (in the analysis's terms: the library's texts name no flag).
    let out = perfstat()
        .args(["regress", "data/history.csv", "--format", "json"])
        .output()
        .unwrap();
    let mut doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["current_file"].is_null());
    let why = doc["reasons"]["current_file"].as_str().unwrap();
    assert!(
        why.contains("no current run file") && !why.contains("--"),
        "{why}"
    );
    doc["reasons"]
        .as_object_mut()
        .unwrap()
        .remove("current_file");
    assert_eq!(nulls_without_reason(&doc), vec!["current_file"]);

    // capacity on a table of aggregates: the level's duration is null for a stated reason.
    let out = perfstat()
        .args(["capacity", "data/capacity/levels.csv", "--format", "json"])
        .output()
        .unwrap();
    let mut doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let level = &mut doc["levels"][0];
    assert!(level["duration_s"].is_null());
    assert!(
        level["reasons"]["duration_s"]
            .as_str()
            .unwrap()
            .contains("table of aggregates")
    );
    level["reasons"]
        .as_object_mut()
        .unwrap()
        .remove("duration_s");
    assert_eq!(nulls_without_reason(&doc), vec!["levels.0.duration_s"]);

    // The hook itself: a command whose stdout is a JSON document with an unexplained null.
    let hook = std::panic::catch_unwind(|| {
        check_nulls(&doc, "a test document");
    });
    let message = hook.unwrap_err();
    let message = message
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(message.contains("levels.0.duration_s"), "{message}");
}
