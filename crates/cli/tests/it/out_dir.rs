//! `--out` never loses a file, and no stream or signal loses one either
//! (reliability cases 06, 09–13 and 20's `--out` lines; docs/out-dir.md).

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Inputs, perfstat, workspace_root};

/// A file of the copied reproducers (crates/cli/tests/data/reliability/CASE/NAME).
fn case(case: &str, name: &str) -> PathBuf {
    workspace_root()
        .join("crates/cli/tests/data/reliability")
        .join(case)
        .join(name)
}

/// The names in a folder, hidden ones included, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file of a folder with its contents, sorted by name.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    names(dir)
        .into_iter()
        .map(|n| {
            let bytes = fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// Runs perfstat from `dir` and returns (exit code, stderr).
fn run_in(dir: &Path, args: &[&OsStr]) -> (Option<i32>, String) {
    let out = perfstat().current_dir(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stderr)
}

fn os<'a>(args: &'a [&'a str]) -> Vec<&'a OsStr> {
    args.iter().map(OsStr::new).collect()
}

/// Case 09: `--out` onto an existing file is refused; the file is untouched.
#[test]
fn out_onto_a_file_is_refused() {
    let i = Inputs::new();
    let target = i.file("target.txt", "precious\n");
    let a = case("09-out-onto-existing-file", "a.csv");
    let b = case("09-out-onto-existing-file", "b.csv");
    for force in [false, true] {
        let mut args = vec![
            OsStr::new("ab"),
            a.as_os_str(),
            b.as_os_str(),
            OsStr::new("--resamples"),
            OsStr::new("100"),
            OsStr::new("--out"),
            OsStr::new("target.txt"),
        ];
        if force {
            args.push(OsStr::new("--force"));
        }
        let (code, stderr) = run_in(i.dir.path(), &args);
        assert_eq!(code, Some(2), "{stderr}");
        assert_eq!(
            stderr,
            "error: target.txt exists and is not a folder: give --out the name of a new folder\n"
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "precious\n");
        assert_eq!(names(i.dir.path()), ["target.txt"], "nothing else made");
    }
}

/// Case 10: the target is the input (or holds it): refused, input untouched.
#[test]
fn out_onto_an_input_is_refused() {
    let i = Inputs::new();
    let original = fs::read(case("10-out-is-the-input-file", "a.csv")).unwrap();
    i.file("data.csv", &original);
    let (code, stderr) = run_in(
        i.dir.path(),
        &os(&["describe", "data.csv", "--out", "data.csv", "--force"]),
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "error: data.csv is an input of this run: give --out a folder that holds no input of the run\n"
    );
    assert_eq!(fs::read(i.dir.path().join("data.csv")).unwrap(), original);

    // An input inside an earlier report (replacing it would delete the input).
    let (code, _) = run_in(i.dir.path(), &os(&["describe", "data.csv", "--out", "rep"]));
    assert_eq!(code, Some(0));
    fs::copy(
        i.dir.path().join("data.csv"),
        i.dir.path().join("rep/keep.csv"),
    )
    .unwrap();
    let before = contents(&i.dir.path().join("rep"));
    for (input, args) in [
        (
            "rep/keep.csv",
            vec!["describe", "rep/keep.csv", "--out", "rep", "--force"],
        ),
        (
            "./rep/../rep/keep.csv",
            vec![
                "ab",
                "data.csv",
                "./rep/../rep/keep.csv",
                "--out",
                "rep/",
                "--force",
            ],
        ),
    ] {
        let (code, stderr) = run_in(i.dir.path(), &os(&args));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("holds {input}, an input of this run")),
            "{stderr}"
        );
        assert_eq!(contents(&i.dir.path().join("rep")), before);
    }
    assert_eq!(names(i.dir.path()), ["data.csv", "rep"]);
}

/// Case 11: a folder that is not a perfstat report is never replaced, with
/// or without --force; an empty folder may be used.
#[test]
fn out_onto_a_foreign_folder_is_refused() {
    let i = Inputs::new();
    let docs = i.dir.path().join("mydocs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::write(docs.join("thesis.tex"), "do not delete").unwrap();
    let a = case("11-out-deletes-unrelated-directory", "a.csv");
    let b = case("11-out-deletes-unrelated-directory", "b.csv");
    for force in [false, true] {
        let mut args = vec![
            a.as_os_str(),
            b.as_os_str(),
            OsStr::new("--resamples"),
            OsStr::new("100"),
            OsStr::new("--out"),
            docs.as_os_str(),
        ];
        args.insert(0, OsStr::new("ab"));
        if force {
            args.push(OsStr::new("--force"));
        }
        let (code, stderr) = run_in(i.dir.path(), &args);
        assert_eq!(code, Some(2));
        assert_eq!(
            stderr,
            format!(
                "error: {} is a folder that is not a perfstat report (it has no .perfstat-report \
                 file): give --out a new or empty folder (--force replaces only a perfstat report)\n",
                docs.display()
            )
        );
        assert_eq!(names(&docs), ["sub", "thesis.tex"]);
        assert_eq!(
            fs::read_to_string(docs.join("thesis.tex")).unwrap(),
            "do not delete"
        );
    }
    // An empty folder is fine, and becomes a report with its marker.
    let empty = i.dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let (code, stderr) = run_in(
        i.dir.path(),
        &[
            OsStr::new("ab"),
            a.as_os_str(),
            b.as_os_str(),
            OsStr::new("--resamples"),
            OsStr::new("100"),
            OsStr::new("--out"),
            OsStr::new("empty"),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "wrote empty/report.md\n");
    assert_eq!(
        fs::read_to_string(empty.join(".perfstat-report")).unwrap(),
        format!("perfstat ab {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert!(names(&empty).contains(&"ab.json".to_owned()));
}

/// Case 12: an earlier report is replaced only with --force, whole; a run
/// that fails leaves the old report as it was; no temporary folder stays.
#[test]
fn an_old_report_is_replaced_only_with_force_and_whole() {
    let i = Inputs::new();
    let a = case("12-out-replace-not-atomic", "a.csv");
    let b = case("12-out-replace-not-atomic", "b.csv");
    let ab = |extra: &[&str]| {
        let mut args = vec![
            OsStr::new("ab"),
            a.as_os_str(),
            b.as_os_str(),
            OsStr::new("--resamples"),
            OsStr::new("100"),
            OsStr::new("--out"),
            OsStr::new("rep"),
        ];
        args.extend(extra.iter().map(OsStr::new));
        run_in(i.dir.path(), &args)
    };
    let rep = i.dir.path().join("rep");
    assert_eq!(ab(&[]).0, Some(0));
    let first = contents(&rep);
    assert!(first.iter().any(|(n, _)| n == ".perfstat-report"));

    let (code, stderr) = ab(&[]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "error: rep is an existing perfstat report: pass --force to replace it\n"
    );
    assert_eq!(contents(&rep), first);

    // A replacement that fails (bad input, read after the check of --out)
    // keeps the old report.
    fs::write(rep.join("report.md"), "old report\n").unwrap();
    let old = contents(&rep);
    let bad = i.file("bad.csv", "latency_ms\n1\nfoo\n");
    let (code, _) = run_in(
        i.dir.path(),
        &[
            OsStr::new("ab"),
            a.as_os_str(),
            bad.as_os_str(),
            OsStr::new("--out"),
            OsStr::new("rep"),
            OsStr::new("--force"),
        ],
    );
    assert_eq!(code, Some(2));
    assert_eq!(contents(&rep), old, "the old report survives a failed run");
    assert_eq!(names(i.dir.path()), ["bad.csv", "rep"]);

    let (code, stderr) = ab(&["--force"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(contents(&rep), first, "replaced whole by the new report");
    assert_eq!(
        names(i.dir.path()),
        ["bad.csv", "rep"],
        "no temporary folder"
    );
}

/// After a SIGKILL: the next run removes the temporary folders a dead
/// perfstat left next to the target, and nothing else.
#[test]
fn the_next_run_removes_what_a_killed_run_left() {
    let i = Inputs::new();
    let input = i.file(
        "a.csv",
        fs::read(case("09-out-onto-existing-file", "a.csv")).unwrap(),
    );
    // PIDs above the kernel's limit (4194304): surely not running.
    for stale in [".rep.perfstat-tmp-4194400", ".rep.perfstat-tmp-4194401"] {
        let d = i.dir.path().join(stale);
        fs::create_dir(&d).unwrap();
        fs::write(d.join("report.md"), "half written").unwrap();
    }
    // Not perfstat's: other names, a file with the name, another target's.
    for keep in [
        ".rep.backup",
        ".rep.perfstat-tmp-notapid",
        ".other.perfstat-tmp-4194400",
    ] {
        fs::create_dir(i.dir.path().join(keep)).unwrap();
    }
    i.file(".rep.perfstat-tmp-4194402", "a file");
    let (code, stderr) = run_in(
        i.dir.path(),
        &[
            OsStr::new("describe"),
            input.as_os_str(),
            OsStr::new("--out"),
            OsStr::new("rep"),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        names(i.dir.path()),
        [
            ".other.perfstat-tmp-4194400",
            ".rep.backup",
            ".rep.perfstat-tmp-4194402",
            ".rep.perfstat-tmp-notapid",
            "a.csv",
            "rep"
        ]
    );
}

/// Case 13: SIGINT and SIGTERM while a run writes its report: exit 130 /
/// 143, the temporary folder removed, an earlier report left in place.
#[cfg(unix)]
#[test]
fn a_signal_removes_the_temporary_folder() {
    let i = Inputs::new();
    // Two large samples and many resamples: the report folder exists for
    // the whole bootstrap (seconds in a debug build).
    let sample = |seed: u64| {
        let mut x = seed;
        let mut text = String::from("latency_ms\n");
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(&format!("{}\n", 10 + (x >> 40) % 1000));
        }
        text
    };
    i.file("c.csv", sample(1));
    i.file("t.csv", sample(2));
    let (code, _) = run_in(
        i.dir.path(),
        &os(&["ab", "c.csv", "t.csv", "--resamples", "100", "--out", "rep"]),
    );
    assert_eq!(code, Some(0));
    let old = contents(&i.dir.path().join("rep"));
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_perfstat"))
            .current_dir(i.dir.path())
            .args([
                "ab",
                "c.csv",
                "t.csv",
                "--resamples",
                "2000000",
                "--out",
                "rep",
                "--force",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let tmp = i
            .dir
            .path()
            .join(format!(".rep.perfstat-tmp-{}", child.id()));
        let start = Instant::now();
        while !tmp.exists() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the run ended before its signal"
            );
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "no temporary folder"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        let sent = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("SIG{signal} did not end the run");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert_eq!(
            names(i.dir.path()),
            ["c.csv", "rep", "t.csv"],
            "SIG{signal}: no litter"
        );
        assert_eq!(
            contents(&i.dir.path().join("rep")),
            old,
            "SIG{signal}: old report kept"
        );
    }
}

/// Case 06: a closed stderr (and stdout) never panics; the exit status is
/// what it would have been.
#[test]
fn a_closed_stderr_changes_no_exit_status() {
    let bad = case("06-panic-stderr-broken-pipe", "bad.csv");
    let jtl = case("06-panic-stderr-broken-pipe", "run.jtl");
    let i = Inputs::new();
    let rep = i.dir.path().join("rep");
    let runs: [(Vec<&OsStr>, i32); 4] = [
        (vec![OsStr::new("describe"), bad.as_os_str()], 2),
        (
            os(&["describe"])
                .into_iter()
                .chain([jtl.as_os_str()])
                .chain(os(&["--warmup", "auto", "--slo", "p95<800ms"]))
                .collect(),
            0,
        ),
        // Notes and "wrote …" on stderr.
        (
            vec![
                OsStr::new("describe"),
                jtl.as_os_str(),
                OsStr::new("--out"),
                rep.as_os_str(),
            ],
            0,
        ),
        // A refused --out (exit 2).
        (
            vec![
                OsStr::new("describe"),
                jtl.as_os_str(),
                OsStr::new("--out"),
                jtl.as_os_str(),
            ],
            2,
        ),
    ];
    for (args, expected) in runs {
        for close_stdout in [false, true] {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_perfstat"));
            cmd.args(&args).stderr(writer);
            if close_stdout {
                let (reader, writer) = std::io::pipe().unwrap();
                drop(reader);
                cmd.stdout(writer);
            } else {
                cmd.stdout(Stdio::null());
            }
            let status = cmd.status().unwrap();
            assert_eq!(
                status.code(),
                Some(expected),
                "{args:?}, stdout closed: {close_stdout}"
            );
            let _ = fs::remove_dir_all(&rep);
        }
    }
}

/// Case 20: errors about --out name the path given (not the temporary
/// folder) with the errno of the failure.
#[cfg(target_os = "linux")]
#[test]
fn out_errors_name_the_path_given() {
    let a = case("20-misleading-error-text", "a.csv");
    let dir = a.parent().unwrap();
    let before = names(dir);
    let (code, stderr) = run_in(
        dir,
        &os(&["describe", "a.csv", "--out", "/proc/perfstat-report"]),
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "error: report folder /proc/perfstat-report: cannot create it: No such file or directory (os error 2)\n"
    );
    let (code, stderr) = run_in(dir, &os(&["describe", "a.csv", "--out", "a.csv/rep"]));
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "error: report folder a.csv/rep: cannot create it: Not a directory (os error 20)\n"
    );
    assert_eq!(
        names(dir),
        before,
        "nothing created or removed next to the input"
    );
}
