//! Plots on extreme finite data and plot file names (issue 10, item 2;
//! reliability cases 01–05 and 17, inputs copied to
//! `tests/data/reliability/`). Every `--out` run must finish (a 60 s timeout
//! turns a hang into a failure), exit as it would without `--out`, and leave
//! the report with every plot it links on disk and no temporary folder.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::util::{Inputs, perfstat, workspace_root};

/// Far more than a run needs (well under a second): only a hang reaches it.
const TIMEOUT: Duration = Duration::from_secs(60);

fn case(name: &str) -> PathBuf {
    workspace_root()
        .join("crates/cli/tests/data/reliability")
        .join(name)
}

/// Runs `perfstat ARGS --out OUT` in `cwd` with [`TIMEOUT`]; returns the exit
/// code and stderr.
fn run_out(cwd: &Path, args: &[&OsStr], out: &Path) -> (i32, String) {
    let output = perfstat()
        .current_dir(cwd)
        .args(args)
        .arg("--out")
        .arg(out)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output.status.code().unwrap_or_else(|| {
        panic!(
            "{args:?}: killed by signal {:?} (SIGKILL: the {TIMEOUT:?} timeout); stderr: {stderr}",
            signal(output.status)
        )
    });
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "{stderr}"
    );
    (code, stderr)
}

#[cfg(unix)]
fn signal(status: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt as _;
    status.signal()
}

#[cfg(not(unix))]
fn signal(_: std::process::ExitStatus) -> Option<i32> {
    None
}

/// The plot files `report.md` links (`](name.png)` / `](name.svg)`), in order.
fn linked(report: &str) -> Vec<String> {
    report
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|l| l.ends_with(".png") || l.ends_with(".svg"))
        .map(str::to_owned)
        .collect()
}

/// Checks the report folder: `report.md` and `json` exist, every plot it
/// links exists and is a complete SVG or PNG without NaN or infinity, the
/// expected plots are among them, and the parent has no temporary folder.
fn check_report(out: &Path, json: &str, expected: &[&str]) -> Vec<String> {
    let report = std::fs::read_to_string(out.join("report.md"))
        .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    assert!(out.join(json).is_file(), "{json} missing");
    let links = linked(&report);
    for stem in expected {
        assert!(
            links
                .iter()
                .any(|l| l == &format!("{stem}.png") || l == &format!("{stem}.svg")),
            "{stem} not linked in {links:?}"
        );
        assert!(out.join(format!("{stem}.svg")).is_file(), "{stem}.svg");
        assert!(out.join(format!("{stem}.png")).is_file(), "{stem}.png");
    }
    for link in &links {
        let path = out.join(link);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{link}: {e}"));
        if link.ends_with(".svg") {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{link}");
        } else {
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{link}");
        }
    }
    let parent = out.parent().unwrap();
    let litter: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(litter.is_empty(), "left behind: {litter:?}");
    links
}

const AB_PLOTS: [&str; 4] = ["histogram", "ecdf", "boxplot", "ladder"];

#[test]
fn case_01_ab_out_with_a_huge_value() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rep");
    let args = ["ab", "a.csv", "c.csv", "--resamples", "100"].map(OsStr::new);
    let (code, stderr) = run_out(&case("01-hang-ab-out-huge-value"), &args, &out);
    assert_eq!(code, 0, "{stderr}");
    check_report(&out, "ab.json", &AB_PLOTS);
}

#[test]
fn case_02_ab_out_with_subnormal_and_dbl_max() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rep");
    let args = ["ab", "x.csv", "y.csv", "--resamples", "100"].map(OsStr::new);
    let (code, stderr) = run_out(&case("02-abort-ab-out-subnormal-and-dblmax"), &args, &out);
    assert_eq!(code, 0, "{stderr}");
    check_report(&out, "ab.json", &AB_PLOTS);
    // The log axis from 5e-324 to f64::MAX has a bounded number of ticks.
    let svg = std::fs::read_to_string(out.join("histogram.svg")).unwrap();
    assert!(svg.len() < 200_000, "{} bytes", svg.len());
}

#[test]
fn case_03_capacity_out_with_a_dbl_max_level() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rep");
    let args = ["capacity", "levels.csv"].map(OsStr::new);
    let (code, stderr) = run_out(&case("03-hang-capacity-out-dblmax-level"), &args, &out);
    assert_eq!(code, 0, "{stderr}");
    check_report(&out, "capacity.json", &["throughput"]);
}

#[test]
fn case_04_pareto_out_with_dbl_max() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rep");
    let args = ["pareto", "configs.csv", "-o", "cost:min", "-o", "tps:max"].map(OsStr::new);
    let (code, stderr) = run_out(&case("04-hang-pareto-out-dblmax"), &args, &out);
    assert_eq!(code, 0, "{stderr}");
    check_report(&out, "pareto.json", &["pareto_tps_vs_cost"]);
}

#[test]
fn case_05_regress_out_with_dbl_max() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rep");
    let args = ["regress", "history.csv"].map(OsStr::new);
    let dir = case("05-hang-regress-out-dblmax");
    // Tonight is f64::MAX after ~100: a regression, so exit 1 (--fail-on
    // regression is the default), with the report written.
    let (code, stderr) = run_out(&dir, &args, &out);
    assert_eq!(code, 1, "{stderr}");
    check_report(&out, "regress.json", &["p95_latency_ms"]);
    let out = tmp.path().join("never");
    let args = ["regress", "history.csv", "--fail-on", "never"].map(OsStr::new);
    let (code, stderr) = run_out(&dir, &args, &out);
    assert_eq!(code, 0, "{stderr}");
    check_report(&out, "regress.json", &["p95_latency_ms"]);
}

#[test]
fn case_17_a_metric_name_longer_than_255_bytes_gets_a_short_file_name() {
    let dir = case("17-regress-out-plot-file-names");
    let header = std::fs::read_to_string(dir.join("long_name.csv")).unwrap();
    let name = header.lines().next().unwrap().split(',').nth(1).unwrap();
    assert!(name.len() > 255);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let (code, stderr) = run_out(&dir, &["regress", "long_name.csv"].map(OsStr::new), &out);
    assert_eq!(code, 0, "{stderr}");
    let links = check_report(&out, "regress.json", &[]);
    assert_eq!(links.len(), 1, "{links:?}");
    assert!(
        links[0].len() <= 80 && links[0].starts_with("mxxxx"),
        "{links:?}"
    );
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains(&format!("![{name}]({})", links[0])));
}

#[test]
fn case_17_colliding_metric_names_get_their_own_plots() {
    let dir = case("17-regress-out-plot-file-names");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("b");
    let (code, stderr) = run_out(&dir, &["regress", "collide.csv"].map(OsStr::new), &out);
    assert_eq!(code, 0, "{stderr}");
    let links = check_report(&out, "regress.json", &["lat-x"]);
    assert_eq!(links.len(), 3, "{links:?}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    let mut files = Vec::new();
    for metric in ["lat/x", "lat-x", "lat x"] {
        let start = report
            .find(&format!("![{metric}]("))
            .unwrap_or_else(|| panic!("{metric} has no plot:\n{report}"));
        let rest = &report[start + metric.len() + 4..];
        let file = &rest[..rest.find(')').unwrap()];
        assert!(out.join(file).is_file(), "{file}");
        files.push(file.to_owned());
    }
    files.sort();
    files.dedup();
    assert_eq!(files.len(), 3, "{files:?}");
    // The same input gives the same names.
    let again = tmp.path().join("c");
    run_out(&dir, &["regress", "collide.csv"].map(OsStr::new), &again);
    assert_eq!(
        linked(&std::fs::read_to_string(again.join("report.md")).unwrap()),
        links
    );
}

/// Adversarial finite values for the plots of pareto, regress and capacity.
const EXTREMES: [&[f64]; 8] = [
    &[f64::MAX, f64::MAX, f64::MAX],
    &[-f64::MAX, 0.0, f64::MAX],
    &[5e-324, 1e-320, 5e-324],
    &[1e-300, 1.0, 1e300],
    &[7.0, 7.0, 7.0],
    &[0.0, -0.0, 0.0],
    &[-1e300, 5e-324, 1e300],
    &[1.0, 1.0 + f64::EPSILON, 1.0],
];

#[test]
fn pareto_regress_and_capacity_plot_any_finite_values() {
    let i = Inputs::new();
    for (k, values) in EXTREMES.iter().enumerate() {
        let other = EXTREMES[(k + 3) % EXTREMES.len()];
        // pareto: two objectives.
        let mut configs = String::from("id,cost,tps\n");
        for (j, (a, b)) in values.iter().zip(other).enumerate() {
            configs.push_str(&format!("c{j},{a:?},{b:?}\n"));
        }
        let file = i.file(&format!("configs-{k}.csv"), &configs);
        let out = i.dir.path().join(format!("pareto-{k}"));
        let args = [OsStr::new("pareto"), file.as_os_str()];
        let args = [
            &args[..],
            &["-o", "cost:min", "-o", "tps:max"].map(OsStr::new),
        ]
        .concat();
        let (code, stderr) = run_out(i.dir.path(), &args, &out);
        assert_eq!(code, 0, "pareto {values:?}: {stderr}");
        check_report(&out, "pareto.json", &["pareto_tps_vs_cost"]);

        // regress: eight quiet nights, then the values.
        let mut history = String::from("night,p95_latency_ms\n");
        for (j, v) in [100.0, 101.0, 99.0, 100.0, 102.0]
            .iter()
            .chain(values.iter())
            .chain(other)
            .enumerate()
        {
            history.push_str(&format!("{j},{v:?}\n"));
        }
        let file = i.file(&format!("history-{k}.csv"), &history);
        let out = i.dir.path().join(format!("regress-{k}"));
        let args = [OsStr::new("regress"), file.as_os_str()];
        let (code, stderr) = run_out(i.dir.path(), &args, &out);
        assert!(code <= 1, "regress {values:?}: {code} {stderr}");
        check_report(&out, "regress.json", &["p95_latency_ms"]);

        // capacity: levels 1, 2, 4 with the magnitudes as throughput and p95
        // (negative ones are refused).
        let mut table = String::from("level,throughput,p95,error_rate\n");
        for (j, (t, p)) in values.iter().zip(other).enumerate() {
            let (t, p) = (t.abs(), p.abs());
            table.push_str(&format!("{},{t:?},{p:?},0.01\n", 1 << j));
        }
        let file = i.file(&format!("levels-{k}.csv"), &table);
        let out = i.dir.path().join(format!("capacity-{k}"));
        let args = [OsStr::new("capacity"), file.as_os_str()];
        let (code, stderr) = run_out(i.dir.path(), &args, &out);
        assert_eq!(code, 0, "capacity {values:?}: {stderr}");
        check_report(&out, "capacity.json", &["throughput", "latency", "errors"]);
    }
}

/// A metric named by a 200 000-character header cell (found by `scripts/fuzz`: drawing the
/// name in every plot title took 47 s for a 1 MB name): plot text is cut to
/// `perfstat_report::plot::MAX_LABEL_CHARS` characters, so the report is written at once.
#[test]
fn a_huge_metric_name_is_cut_on_the_plots() {
    let inputs = Inputs::new();
    let name = format!("latency_{}_ms", "x".repeat(200_000));
    let file = inputs.file("long.csv", format!("{name}\n10\n12\n14\n16\n11\n"));
    let out = inputs.dir.path().join("rep");
    let (code, stderr) = run_out(
        inputs.dir.path(),
        &[
            OsStr::new("ab"),
            file.as_os_str(),
            file.as_os_str(),
            OsStr::new("--resamples"),
            OsStr::new("200"),
        ],
        &out,
    );
    assert_eq!(code, 0, "{stderr}");
    let svg = std::fs::read_to_string(out.join("histogram.svg")).unwrap();
    assert!(
        svg.contains("latency_xxx"),
        "the title starts with the name"
    );
    assert!(svg.contains('…'), "and is cut");
    assert!(
        svg.len() < 100_000,
        "the SVG holds no copy of the whole name"
    );
}
