//! The mutation property (issue 10, item 8): every committed sample input, mutated by 1–3
//! random edits (bytes flipped, inserted, deleted; truncation; a number replaced by a special
//! one; CRLF line ends; a byte-order mark; invalid UTF-8; lines duplicated, dropped or swapped;
//! a long field; a gzip wrap), is fed to the library entry point of every command:
//!
//! - `describe`: [`perfstat_ingest::read_reader`] (with and without `skip_invalid`, the
//!   warm-up cut, the throughput timeline) and [`perfstat_stats::describe`] on every group;
//! - `ab`: [`compare_in_order`] of each sample against `data/control.csv` and against itself;
//! - `pareto`: [`perfstat_pareto::input::read_slice`] and [`perfstat_pareto::analyze`];
//! - `regress`: [`perfstat_regress::history::read_history`] and [`perfstat_regress::analyze`],
//!   and the per-request summary of a sample ([`History::from_samples`]) appended to
//!   `data/history.csv`;
//! - `capacity`: [`perfstat_capacity::input::parse_aggregates`] and
//!   [`perfstat_capacity::analyze`] (the USL fit), and a sample as one level among the
//!   `data/capacity` JTLs.
//!
//! The property: nothing panics, every call returns within [`TIMEOUT`], and every error is a
//! typed error whose message is not empty and, when the error concerns a place in the input,
//! starts with the input's name. The runs are seeded (the same cases every time); the number
//! of cases per sample is [`CASES`] (`PERFSTAT_MUTATION_CASES` overrides it, for longer runs).
//! `scripts/fuzz` does the same through the binary, for longer.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::{Duration, Instant};

use perfstat_capacity::input::InputError;
use perfstat_ingest::{Dataset, ReadOptions, read_reader};
use perfstat_regress::history::{History, read_history};
use perfstat_stats::compare::{
    CompareConfig, Direction, Pair, QuantileBootstrap, TimeOrder, VerdictConfig, compare_in_order,
};
use perfstat_stats::warmup::WarmupSpec;
use perfstat_stats::{Confidence, Sample, describe};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// Larger samples (the data/ runs, the capacity JTLs, k6's) are cut to their first lines of at
/// most this size, so that a debug build stays fast; `scripts/fuzz` runs them whole.
const MAX_SAMPLE_BYTES: usize = 32 << 10;
/// Mutated inputs tried per sample file (a debug build runs the whole test in about 20 s).
const CASES: u32 = 12;
/// The longest one case may take (all entry points on one input) before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The special numbers a number of the input may be replaced by.
const SPECIAL: &[&str] = &[
    "1e400",
    "-1e400",
    "5e-324",
    "1e-320",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "-0",
    "0",
    "NaN",
    "inf",
    "-inf",
    "",
    "\"\"",
    "null",
    "99999999999999999999999999999999999999999999999999999999999999999999999999999999\
     99999999999999999999999999999999999999999999999999999999999999999999999999999999\
     99999999999999999999999999999999999999999999999999999999999999999999999999999999\
     99999999999999999999999999999999999999999999999999999999999999999999999999999999\
     99999999999999999999999999999999999999999999999999999999999999999999999999999999",
];
/// Invalid UTF-8: a stray byte, a lone lead byte, a surrogate, a five-byte form.
const BAD_UTF8: &[&[u8]] = &[b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"];

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("examples/ is in the workspace")
        .to_path_buf()
}

/// One sample file: its name (as the readers see it) and its bytes, decompressed.
struct SampleFile {
    name: String,
    bytes: Vec<u8>,
}

/// The committed sample files: the tools' formats, data/, the reliability reproducers'
/// inputs and the generic and history samples of this test.
fn corpus() -> Vec<SampleFile> {
    let root = root();
    let mut paths = Vec::new();
    for dir in [
        "crates/ingest/tests/fixtures/formats",
        "data",
        "data/capacity",
        "examples/tests/samples",
    ] {
        paths.extend(files_in(&root.join(dir)));
    }
    for case in files_in_dirs(&root.join("crates/cli/tests/data/reliability")) {
        paths.extend(files_in(&case));
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let sample = read_sample(&root, &p);
            SampleFile {
                bytes: head_lines(sample.bytes, MAX_SAMPLE_BYTES),
                ..sample
            }
        })
        .collect()
}

/// The first whole lines of `bytes`, at most `limit` bytes of them (all of `bytes` when shorter).
fn head_lines(mut bytes: Vec<u8>, limit: usize) -> Vec<u8> {
    if bytes.len() > limit {
        let end = bytes[..limit]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(limit, |i| i + 1);
        bytes.truncate(end);
    }
    bytes
}

/// One sample file, decompressed.
fn read_sample(root: &Path, p: &Path) -> SampleFile {
    let raw = std::fs::read(p).expect("sample readable");
    let name = p
        .strip_prefix(root)
        .expect("under root")
        .display()
        .to_string();
    // A gzip sample is mutated decompressed (a mutation may wrap it again); one that is not
    // gzip (a reproducer's misnamed file) is kept as it is.
    let mut bytes = Vec::new();
    match name.strip_suffix(".gz") {
        Some(stem)
            if flate2::read::MultiGzDecoder::new(raw.as_slice())
                .read_to_end(&mut bytes)
                .is_ok() =>
        {
            SampleFile {
                name: stem.to_owned(),
                bytes,
            }
        }
        _ => SampleFile { name, bytes: raw },
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file() && p.file_name().is_none_or(|n| n != ".gitattributes"))
        .collect();
    out.sort();
    out
}

fn files_in_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// One edit of the input.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Delete { at: usize, len: usize },
    Truncate { at: usize },
    Special { at: usize, which: usize },
    Crlf,
    Bom,
    Gzip,
    InvalidUtf8 { at: usize, which: usize },
    Long { at: usize, len: usize },
    DupLine { at: usize },
    DropLine { at: usize },
    SwapLines { a: usize, b: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), 0..8u8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        2 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        2 => (any::<usize>(), 1..16usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        2 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        4 => (any::<usize>(), any::<usize>()).prop_map(|(at, which)| Mutation::Special { at, which }),
        1 => Just(Mutation::Crlf),
        1 => Just(Mutation::Bom),
        1 => Just(Mutation::Gzip),
        1 => (any::<usize>(), any::<usize>())
            .prop_map(|(at, which)| Mutation::InvalidUtf8 { at, which }),
        1 => (any::<usize>(), prop_oneof![Just(1000usize), Just(70_000)])
            .prop_map(|(at, len)| Mutation::Long { at, len }),
        1 => any::<usize>().prop_map(|at| Mutation::DupLine { at }),
        1 => any::<usize>().prop_map(|at| Mutation::DropLine { at }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
    ]
}

/// Applies the edits in turn (a gzip wrap last, whichever place it has in the list).
fn mutate(mut data: Vec<u8>, edits: &[Mutation]) -> Vec<u8> {
    let pos = |at: &usize, n: usize| at % (n + 1);
    for m in edits {
        let n = data.len();
        match m {
            Mutation::Flip { at, bit } if n > 0 => data[at % n] ^= 1 << bit,
            Mutation::Insert { at, bytes } => {
                let i = pos(at, n);
                data.splice(i..i, bytes.iter().copied());
            }
            Mutation::Delete { at, len } if n > 0 => {
                let i = at % n;
                data.drain(i..(i + len).min(n));
            }
            Mutation::Truncate { at } if n > 0 => data.truncate(at % n),
            Mutation::Special { at, which } => {
                let digits: Vec<usize> = (0..n).filter(|&i| data[i].is_ascii_digit()).collect();
                if !digits.is_empty() {
                    let i = digits[at % digits.len()];
                    let number = |b: u8| b.is_ascii_digit() || b".eE+-".contains(&b);
                    let start = (0..i)
                        .rev()
                        .take_while(|&j| number(data[j]))
                        .last()
                        .unwrap_or(i);
                    let end = (i..n).find(|&j| !number(data[j])).unwrap_or(n);
                    let special = SPECIAL[which % SPECIAL.len()].as_bytes();
                    data.splice(start..end, special.iter().copied());
                }
            }
            Mutation::Crlf => {
                let mut out = Vec::with_capacity(n + n / 16);
                for (i, &b) in data.iter().enumerate() {
                    if b == b'\n' && (i == 0 || data[i - 1] != b'\r') {
                        out.push(b'\r');
                    }
                    out.push(b);
                }
                data = out;
            }
            Mutation::Bom => {
                data.splice(0..0, *b"\xEF\xBB\xBF");
            }
            Mutation::InvalidUtf8 { at, which } => {
                let i = pos(at, n);
                data.splice(i..i, BAD_UTF8[which % BAD_UTF8.len()].iter().copied());
            }
            Mutation::Long { at, len } => {
                let i = pos(at, n);
                data.splice(i..i, std::iter::repeat_n(b'x', *len));
            }
            Mutation::DupLine { at } | Mutation::DropLine { at } => {
                let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
                if lines.len() > 2 {
                    let i = 1 + at % (lines.len() - 1);
                    if matches!(m, Mutation::DupLine { .. }) {
                        lines.insert(i, lines[i]);
                    } else {
                        lines.remove(i);
                    }
                    data = lines.join(&b'\n');
                }
            }
            Mutation::SwapLines { a, b } => {
                let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
                if lines.len() > 2 {
                    let (i, j) = (1 + a % (lines.len() - 1), 1 + b % (lines.len() - 1));
                    lines.swap(i, j);
                    data = lines.join(&b'\n');
                }
            }
            _ => {}
        }
    }
    if edits.iter().any(|m| matches!(m, Mutation::Gzip)) {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&data).expect("in memory");
        data = gz.finish().expect("in memory");
    }
    data
}

/// What the entry points share: the control sample, the history and the capacity runs that a
/// mutated sample joins.
struct Context {
    control: Vec<f64>,
    control_sample: Sample,
    history: History,
    capacity_runs: Vec<perfstat_capacity::Run>,
}

fn context() -> Arc<Context> {
    static CONTEXT: OnceLock<Arc<Context>> = OnceLock::new();
    CONTEXT
        .get_or_init(|| {
            let root = root();
            let read = |p: &str| perfstat_ingest::read_path(&root.join(p), &ReadOptions::default());
            let control = read("data/control.csv").expect("control reads");
            let control: Vec<f64> = control.values().collect();
            let control_sample = Sample::new(control.clone()).expect("control is a sample");
            let history = read_history(
                std::fs::File::open(root.join("data/history.csv")).expect("history"),
                "data/history.csv",
            )
            .expect("history reads");
            let capacity_runs = [1, 5, 10, 25, 50, 80]
                .iter()
                .map(|&level| {
                    // The first lines of each run, as the samples are cut.
                    let path = root.join(format!("data/capacity/users-{level:02}.jtl.gz"));
                    let bytes = head_lines(read_sample(&root, &path).bytes, MAX_SAMPLE_BYTES);
                    let ds = read_reader(
                        &format!("users-{level:02}.jtl"),
                        bytes.as_slice(),
                        &ReadOptions::default(),
                    )
                    .expect("capacity JTL reads");
                    perfstat_capacity::input::run_from_dataset(f64::from(level), &ds, None)
                        .expect("capacity run")
                })
                .collect();
            Arc::new(Context {
                control,
                control_sample,
                history,
                capacity_runs,
            })
        })
        .clone()
}

/// A failed check: the message of the property's failure.
type Check = Result<(), String>;

fn fail(what: &str, message: impl std::fmt::Display) -> Check {
    Err(format!("{what}: {message}"))
}

/// An error's message: not empty, and starting with `name` when it concerns a place (`placed`).
fn check_error(what: &str, err: &dyn std::error::Error, name: &str, placed: bool) -> Check {
    let text = err.to_string();
    if text.trim().is_empty() {
        return fail(what, format!("empty error message ({err:?})"));
    }
    if placed && !text.starts_with(name) {
        return fail(what, format!("error does not start with {name:?}: {text}"));
    }
    Ok(())
}

/// An ingest error always names its input first, and that input is the one read.
fn check_ingest(what: &str, err: &perfstat_ingest::Error, name: &str) -> Check {
    if err.source_name() != name {
        return fail(
            what,
            format!("error names {:?}, not {name:?}", err.source_name()),
        );
    }
    check_error(what, err, name, true)
}

/// Runs every command's entry point on `bytes`, read as the input `name`.
fn exercise(name: &str, bytes: &[u8], skip_invalid: bool, ctx: &Context) -> Check {
    let confidence = Confidence::DEFAULT;
    // describe (and what ab, regress --current and capacity --level take from the same reader)
    let opts = ReadOptions {
        skip_invalid,
        keep_records: true,
        ..ReadOptions::default()
    };
    match read_reader(name, bytes, &opts) {
        Err(e) => check_ingest("read_reader", &e, name)?,
        Ok(ds) => per_request(name, ds, &opts, ctx, confidence)?,
    }
    pareto(name, bytes)?;
    regress(name, bytes)?;
    capacity(name, bytes)?;
    Ok(())
}

/// describe, ab, regress's current run and a capacity level on one dataset.
fn per_request(
    name: &str,
    mut ds: Dataset,
    opts: &ReadOptions,
    ctx: &Context,
    confidence: Confidence,
) -> Check {
    if ds.source != name {
        return fail("read_reader", format!("dataset names {:?}", ds.source));
    }
    if ds
        .groups
        .iter()
        .any(|g| g.values.iter().any(|v| !v.is_finite()))
    {
        return fail("read_reader", "a value is not finite");
    }
    let _ = ds.throughput_timeline(None);
    let _ = ds.throughput_timeline(Some(1.0));
    // regress --current: the per-request summary appended to data/history.csv.
    match History::from_samples(&ds, None, &ctx.history) {
        Err(e) => check_error("History::from_samples", &e, name, true)?,
        Ok((run, _)) => {
            let mut history = ctx.history.clone();
            match history.push_current(&run, name) {
                Err(e) => check_error("push_current", &e, name, true)?,
                Ok(()) => {
                    if let Err(e) =
                        perfstat_regress::analyze(&history, &perfstat_regress::Config::default())
                    {
                        check_error("regress::analyze (current)", &e, name, false)?;
                    }
                }
            }
        }
    }
    // capacity --level 7 FILE among the data/capacity runs.
    let duration = ds
        .requests
        .as_ref()
        .and_then(|r| r.duration_s())
        .is_none()
        .then_some(60.0);
    match perfstat_capacity::input::run_from_dataset(7.0, &ds, duration) {
        Err(e) => check_error("run_from_dataset", &e, name, true)?,
        Ok(run) => {
            let mut runs = ctx.capacity_runs.clone();
            runs.push(run);
            if let Err(e) =
                perfstat_capacity::analyze(&runs, &perfstat_capacity::Options::default())
            {
                check_capacity("capacity::analyze (level)", &e, name)?;
            }
        }
    }
    // describe --warmup auto
    let mut cut = ds.clone();
    if let Err(e) = cut.drop_warmup(WarmupSpec::Auto, opts) {
        check_error("drop_warmup", &e, name, true)?;
    }
    let compare = CompareConfig {
        verdict: VerdictConfig::new(0.05, 0.0, Direction::LowerIsBetter, confidence)
            .map_err(|e| e.to_string())?,
        bootstrap: QuantileBootstrap {
            seed: 1,
            resamples: 20,
        },
    };
    for group in std::mem::take(&mut ds.groups) {
        match Sample::new(group.values.clone()) {
            Err(e) => check_error("Sample::new", &e, name, false)?,
            Ok(sample) => {
                let _ = describe(&sample, confidence);
                // ab data/control.csv FILE, and ab FILE FILE
                let _ = compare_in_order(
                    Pair {
                        control: &ctx.control_sample,
                        treatment: &sample,
                    },
                    TimeOrder {
                        control: &ctx.control,
                        treatment: &group.values,
                    },
                    &compare,
                );
                let _ = compare_in_order(
                    Pair {
                        control: &sample,
                        treatment: &sample,
                    },
                    TimeOrder {
                        control: &group.values,
                        treatment: &group.values,
                    },
                    &compare,
                );
            }
        }
    }
    Ok(())
}

/// pareto: read the configs; without objectives in the file, take the first three metrics.
fn pareto(name: &str, bytes: &[u8]) -> Check {
    use perfstat_pareto::input::{ReadOptions, read_slice};
    let base = root().join("examples/tests/no-such-folder");
    let check = |e: &perfstat_pareto::input::Error| {
        if e.file() != name {
            return fail("pareto read_slice", format!("error names {:?}", e.file()));
        }
        check_error("pareto read_slice", e, name, true)
    };
    let mut input = match read_slice(name, bytes, &base, &ReadOptions::default()) {
        Err(e) => return check(&e),
        Ok(input) => input,
    };
    if input.objectives.is_empty() {
        let Some(first) = input.configs.first() else {
            return Ok(());
        };
        let objectives = first
            .metrics
            .keys()
            .take(3)
            .filter_map(|k| k.parse().ok())
            .collect();
        let opts = ReadOptions {
            objectives,
            ..ReadOptions::default()
        };
        input = match read_slice(name, bytes, &base, &opts) {
            Err(e) => return check(&e),
            Ok(input) => input,
        };
    }
    if let Err(e) = perfstat_pareto::analyze(
        &input.objectives,
        &input.configs,
        &perfstat_pareto::Options::default(),
    ) {
        check_error("pareto::analyze", &e, name, false)?;
    }
    Ok(())
}

/// regress: read the history and analyse it.
fn regress(name: &str, bytes: &[u8]) -> Check {
    use perfstat_regress::Error;
    match read_history(bytes, name) {
        Err(e) => {
            let placed = matches!(
                e,
                Error::Input(_) | Error::History { .. } | Error::Io { .. }
            );
            check_error("read_history", &e, name, placed)
        }
        Ok(history) => {
            if let Err(e) =
                perfstat_regress::analyze(&history, &perfstat_regress::Config::default())
            {
                check_error("regress::analyze", &e, name, false)?;
            }
            Ok(())
        }
    }
}

/// capacity: a table of aggregates, analysed (the USL fit included).
fn capacity(name: &str, bytes: &[u8]) -> Check {
    match perfstat_capacity::input::parse_aggregates(name, bytes) {
        Err(e) => {
            let placed = !matches!(
                e,
                InputError::NoFiles | InputError::DurationCount { .. } | InputError::ListDir { .. }
            );
            check_error("parse_aggregates", &e, name, placed)
        }
        Ok(runs) => {
            if let Err(e) =
                perfstat_capacity::analyze(&runs, &perfstat_capacity::Options::default())
            {
                check_capacity("capacity::analyze", &e, name)?;
            }
            Ok(())
        }
    }
}

/// A capacity analysis error that names a run names it first (a table row is `FILE:LINE`).
fn check_capacity(what: &str, e: &perfstat_capacity::Error, name: &str) -> Check {
    use perfstat_capacity::Error as E;
    let run = match e {
        E::InvalidLevel { run, .. }
        | E::InvalidDuration { run, .. }
        | E::FailedExceedTotal { run, .. }
        | E::NoRequests { run }
        | E::InvalidLatencies { run, .. }
        | E::InvalidAggregate { run, .. }
        | E::InvalidErrorRate { run, .. }
        | E::Objective { run, .. } => Some(run),
        _ => None,
    };
    match run {
        Some(run) if run.starts_with(name) => check_error(what, e, name, true),
        Some(run) => fail(what, format!("error names run {run:?}, not {name:?}: {e}")),
        None => check_error(what, e, name, false),
    }
}

/// Runs [`exercise`] on a thread and fails when it takes longer than [`TIMEOUT`]; a panic
/// there is a failure too (its message is kept).
fn exercise_in_time(name: &str, bytes: Vec<u8>, skip_invalid: bool) -> Result<(), TestCaseError> {
    let ctx = context();
    let (tx, rx) = mpsc::channel();
    let thread_name = name.to_owned();
    let handle = std::thread::Builder::new()
        .name(format!("mutation {name}"))
        .spawn(move || {
            let result = exercise(&thread_name, &bytes, skip_invalid, &ctx);
            let _ = tx.send(result);
        })
        .expect("spawn");
    let start = Instant::now();
    match rx.recv_timeout(TIMEOUT) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) => Err(TestCaseError::fail(format!("{name}: {message}"))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
            "{name}: no result after {:?} (a hang)",
            start.elapsed()
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let panic = handle.join().err().map_or_else(
                || "the thread ended without a result".to_owned(),
                |p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_else(|| "a panic".to_owned())
                },
            );
            Err(TestCaseError::fail(format!("{name}: panicked: {panic}")))
        }
    }
}

/// A seed per sample file: the same cases every run, different cases for different files.
fn seed(name: &str) -> [u8; 32] {
    let mut seed = [0u8; 32];
    // FNV-1a over the name, spread over the seed.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, chunk) in seed.chunks_mut(8).enumerate() {
        for b in name.bytes().chain([i as u8]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        chunk.copy_from_slice(&h.to_le_bytes());
    }
    seed
}

fn cases() -> u32 {
    std::env::var("PERFSTAT_MUTATION_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(CASES)
}

#[test]
fn unmutated_samples_pass_every_entry_point() {
    for sample in corpus() {
        if let Err(e) = exercise_in_time(&sample.name, sample.bytes.clone(), false) {
            panic!("{e}");
        }
    }
}

#[test]
fn mutated_samples_never_panic_hang_or_give_untyped_errors() {
    let files = corpus();
    assert!(
        files.len() >= 40,
        "the corpus is missing: {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for sample in &files {
        let config = Config {
            cases: cases(),
            failure_persistence: None,
            max_shrink_iters: 64,
            ..Config::default()
        };
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed(&sample.name));
        let mut runner = TestRunner::new_with_rng(config, rng);
        let strategy = (proptest::collection::vec(mutation(), 1..=3), any::<bool>());
        let result = runner.run(&strategy, |(edits, skip_invalid)| {
            let bytes = mutate(sample.bytes.clone(), &edits);
            exercise_in_time(&sample.name, bytes, skip_invalid)
        });
        if let Err(e) = result {
            failures.push(format!("{}: {e}", sample.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn mutations_change_the_input() {
    let data = b"a,b\n1,2.5\n3,4\n".to_vec();
    let m = |edits: &[Mutation]| String::from_utf8_lossy(&mutate(data.clone(), edits)).into_owned();
    assert_eq!(m(&[Mutation::Crlf]), "a,b\r\n1,2.5\r\n3,4\r\n");
    assert_eq!(m(&[Mutation::Bom]), "\u{feff}a,b\n1,2.5\n3,4\n");
    assert_eq!(m(&[Mutation::Truncate { at: 0 }]), "");
    assert_eq!(m(&[Mutation::DropLine { at: 0 }]), "a,b\n3,4\n");
    assert_eq!(
        m(&[Mutation::DupLine { at: 0 }]),
        "a,b\n1,2.5\n1,2.5\n3,4\n"
    );
    // The second digit (`2` of 2.5): the whole number is replaced.
    let special = Mutation::Special { at: 1, which: 0 };
    assert_eq!(m(&[special]), "a,b\n1,1e400\n3,4\n");
    let gz = mutate(data.clone(), &[Mutation::Gzip]);
    assert_eq!(&gz[..2], b"\x1f\x8b");
    let ds = read_reader(
        "t.csv",
        gz.as_slice(),
        &ReadOptions {
            metric: Some("b".into()),
            ..ReadOptions::default()
        },
    )
    .expect("gzip reads");
    assert_eq!(ds.groups[0].values, [2.5, 4.0]);
}
