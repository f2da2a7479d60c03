//! Plots on extreme finite data (issue 10, item 2): values up to ±f64::MAX,
//! subnormals, one value, all values equal, mixed signs and zeros, spans of
//! 1e-300 … 1e300. Every plot kind renders each case within a time bound
//! (run on a thread with a generous timeout, so a hang fails the test
//! instead of hanging the suite) to a well-formed SVG (parsed as XML) and a
//! PNG, with no NaN or infinity written.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use perfstat_report::plot::{self, LadderPoint, LadderSeries, PlotSpec, Scale, Series};
use perfstat_stats::Interval;
use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};
use proptest::prelude::*;

/// Far more than any case needs (a few hundred ms in debug): only a hang or a
/// runaway allocation reaches it.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `f` on its own thread and returns its result, failing the test if it
/// takes longer than [`TIMEOUT`] or panics.
fn within<T: Send + 'static>(what: String, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(TIMEOUT) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no result within {TIMEOUT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

/// Parses the SVG as XML (tags balanced, names matched) and checks that no
/// non-finite number was written.
fn check_svg(path: &Path) {
    let svg = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = quick_xml::Reader::from_str(&svg);
    let mut elements = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => {
                elements += 1;
            }
            Ok(_) => {}
            Err(e) => panic!(
                "{}: not well-formed at byte {}: {e}",
                path.display(),
                reader.error_position()
            ),
        }
    }
    assert!(
        elements > 10,
        "{}: only {elements} elements",
        path.display()
    );
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for bad in ["NaN", "inf", "∞"] {
        assert!(!svg.contains(bad), "{}: contains {bad}", path.display());
    }
}

fn check_png(path: &Path) {
    let png = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", path.display());
}

/// The percentile ladder of `sorted` as `ab` builds it: type-7 estimates,
/// the sample range as the interval.
fn ladder_points(sorted: &[f64]) -> Vec<LadderPoint> {
    [0.5, 0.9, 0.99, 0.999]
        .iter()
        .map(|&level| LadderPoint {
            level,
            estimate: quantile_sorted(sorted, level, QuantileMethod::Linear),
            interval: Some(Interval {
                lower: sorted[0],
                upper: sorted[sorted.len() - 1],
            }),
        })
        .collect()
}

/// Renders every plot kind of `control` (and `treatment`, if any) under
/// each of `scales` into `dir`, each within [`TIMEOUT`], and checks the files.
fn render_all(
    dir: &Path,
    case: &str,
    scales: &[Scale],
    mut control: Vec<f64>,
    mut treatment: Option<Vec<f64>>,
) {
    control.sort_by(f64::total_cmp);
    if let Some(t) = &mut treatment {
        t.sort_by(f64::total_cmp);
    }
    for &scale in scales {
        for kind in ["histogram", "ecdf", "boxplot", "ladder"] {
            let stem = dir.join(format!("{case}-{kind}-{scale:?}"));
            let (c, t) = (control.clone(), treatment.clone());
            let what = format!("{kind} {scale:?} of {case}: {c:?} / {t:?}");
            let files = within(what.clone(), move || {
                let title = format!("{kind} of extremes");
                let spec = PlotSpec::new(&title, "latency")
                    .unit(Some("ms"))
                    .scale(scale);
                let mut series = vec![Series::new("control", &c)];
                if let Some(t) = &t {
                    series.push(Series::new("treatment", t));
                }
                match kind {
                    "histogram" => plot::histogram(&stem, &spec, &series),
                    "ecdf" => plot::ecdf(&stem, &spec, &series),
                    "boxplot" => plot::boxplot(&stem, &spec, &series),
                    _ => {
                        let points: Vec<Vec<LadderPoint>> =
                            series.iter().map(|s| ladder_points(s.sorted)).collect();
                        let ladder: Vec<LadderSeries<'_>> = series
                            .iter()
                            .zip(&points)
                            .map(|(s, p)| LadderSeries {
                                label: s.label,
                                points: p,
                            })
                            .collect();
                        plot::ladder(&stem, &spec, &ladder)
                    }
                }
            });
            let files = files.unwrap_or_else(|e| panic!("{what}: {e}"));
            check_svg(&files.svg);
            check_png(&files.png);
        }
    }
}

/// A named case: control values and, for two series, treatment values.
type Case = (&'static str, Vec<f64>, Option<Vec<f64>>);

/// The named extremes of the issue, each alone, against ordinary data and
/// against each other.
#[test]
fn extremes_render() {
    let dir = tempfile::tempdir().unwrap();
    let normal = vec![10.0, 12.0, 14.0, 16.0];
    let cases: Vec<Case> = vec![
        ("max", vec![f64::MAX], None),
        ("neg-max", vec![-f64::MAX], None),
        ("both-max", vec![-f64::MAX, f64::MAX], None),
        (
            "max-normal",
            normal.clone(),
            Some(vec![10.0, 12.0, f64::MAX, 16.0]),
        ),
        (
            "huge-value",
            normal.clone(),
            Some(vec![10.0, 12.0, 1e300, 16.0]),
        ),
        (
            "subnormal-max",
            vec![10.0, 12.0, 14.0, 5e-324],
            Some(vec![10.0, 12.0, f64::MAX, 16.0]),
        ),
        ("subnormal", vec![5e-324], None),
        ("subnormals", vec![5e-324, 1e-320, 2e-320], None),
        (
            "zero-subnormal",
            vec![0.0, 5e-324],
            Some(vec![-5e-324, 0.0]),
        ),
        ("equal", vec![7.0; 20], Some(vec![7.0; 3])),
        ("zeros", vec![0.0, -0.0, 0.0], None),
        ("mixed", vec![-1e300, -1.0, 0.0, 1e-300, 1e300], None),
        ("span", vec![1e-300, 1e300], Some(vec![1e-300, 1.0, 1e300])),
        (
            "ulp",
            vec![1.0, 1.0 + f64::EPSILON, 1.0 + 2.0 * f64::EPSILON],
            None,
        ),
    ];
    for (case, c, t) in cases {
        render_all(
            dir.path(),
            case,
            &[Scale::Auto, Scale::Log, Scale::Linear],
            c,
            t,
        );
    }
}

/// An adversarial finite value: the named extremes, any normal or subnormal
/// double of either sign, zero, or ordinary latencies.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => prop::sample::select(vec![
            f64::MAX,
            -f64::MAX,
            5e-324,
            -5e-324,
            1e-320,
            0.0,
            -0.0,
            1e-300,
            1e300,
            -1e300,
            f64::MIN_POSITIVE,
            1.0,
        ]),
        2 => prop::num::f64::NORMAL
            | prop::num::f64::SUBNORMAL
            | prop::num::f64::ZERO
            | prop::num::f64::POSITIVE
            | prop::num::f64::NEGATIVE,
        2 => 1.0f64..1000.0,
    ]
}

/// A sample: up to 12 adversarial values, or one value repeated.
fn sample() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        3 => prop::collection::vec(value(), 1..12),
        1 => (value(), 1usize..6).prop_map(|(v, n)| vec![v; n]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn any_finite_sample_renders(control in sample(), treatment in prop::option::of(sample())) {
        prop_assert!(control.iter().chain(treatment.iter().flatten()).all(|v| v.is_finite()));
        let dir = tempfile::tempdir().unwrap();
        render_all(dir.path(), "prop", &[Scale::Auto], control, treatment);
    }
}
