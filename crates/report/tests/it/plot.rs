//! Plots: every kind renders for 1, 2, all-equal and 1,000,000 values, to
//! SVG text with its title, axis label and one group per series and to a PNG
//! of the expected size; the same input gives the same bytes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use perfstat_report::plot::{
    self, LadderPoint, LadderSeries, PlotFiles, PlotSpec, Scale, Series, theme,
};
use perfstat_report::{Error, Result};
use perfstat_stats::Interval;
use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};

/// Deterministic uniform numbers in (0, 1) (splitmix64).
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Log-normal latencies around `median` with a few slow requests.
    fn latencies(&mut self, n: usize, median: f64) -> Vec<f64> {
        let mut v: Vec<f64> = (0..n)
            .map(|_| {
                let (u1, u2) = (self.uniform(), self.uniform());
                let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
                let slow = if self.uniform() < 0.01 { 8.0 } else { 1.0 };
                median * (0.35 * z).exp() * slow
            })
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }
}

/// Size of the large case; 1,000,000 renders in about a second in debug.
const BIG: usize = 1_000_000;

fn big() -> &'static (Vec<f64>, Vec<f64>) {
    static BIG_DATA: OnceLock<(Vec<f64>, Vec<f64>)> = OnceLock::new();
    BIG_DATA.get_or_init(|| {
        let mut rng = Rng(42);
        (rng.latencies(BIG, 20.0), rng.latencies(BIG, 22.0))
    })
}

/// The cases every plot must render: (name, control, treatment).
fn cases() -> Vec<(&'static str, Vec<f64>, Vec<f64>)> {
    let (c, t) = big();
    vec![
        ("one", vec![5.0], vec![6.0]),
        ("two", vec![1.0, 3.0], vec![2.0, 4.0]),
        ("equal", vec![7.0; 50], vec![7.0; 30]),
        ("zero", vec![0.0; 3], vec![0.0]),
        ("negative", vec![-3.0, -1.0, 0.5], vec![-2.0, 4.0]),
        ("big", c.clone(), t.clone()),
    ]
}

type PlotFn = fn(&Path, &PlotSpec<'_>, &[Series<'_>]) -> Result<PlotFiles>;

const KINDS: [(&str, PlotFn); 3] = [
    ("histogram", plot::histogram),
    ("ecdf", plot::ecdf),
    ("boxplot", plot::boxplot),
];

fn spec(title: &str) -> PlotSpec<'_> {
    PlotSpec::new(title, "latency").unit(Some("ms"))
}

/// Hex colour as plotters writes it in SVG.
fn svg_color(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks the PNG magic and the IHDR width and height.
fn check_png(path: &Path) {
    let png = read(path);
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", path.display());
    assert_eq!(&png[12..16], b"IHDR");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (plot::WIDTH, plot::HEIGHT));
}

/// Whether the SVG has a text element reading exactly `text` (plotters puts
/// the text on a line of its own).
fn has_text(svg: &str, text: &str) -> bool {
    svg.lines().any(|l| l.trim() == text)
}

/// Checks the SVG is complete text with the title, the axis label, each
/// series' legend label and colour.
fn check_svg(path: &Path, title: &str, axis: &str, labels: &[&str]) {
    let svg = String::from_utf8(read(path)).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..50.min(svg.len())]);
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<svg").count(), 1);
    assert!(svg.contains(title), "title {title:?} missing");
    assert!(svg.contains(axis), "axis label {axis:?} missing");
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    for (i, label) in labels.iter().enumerate() {
        assert!(has_text(&svg, label), "legend {label:?} missing");
        let color = svg_color(theme::series_color(i));
        assert!(
            svg.matches(&color).count() >= 2,
            "series {label:?} ({color}) not drawn"
        );
    }
}

#[test]
fn every_plot_renders_every_case() {
    let dir = tempfile::tempdir().unwrap();
    for (case, control, treatment) in cases() {
        let both = [
            Series::new("control", &control),
            Series::new("treatment", &treatment),
        ];
        for (kind, f) in KINDS {
            for series in [&both[..1], &both[..]] {
                let title = format!("{kind} of {case} — {} series", series.len());
                let stem = dir.path().join(format!("{kind}-{case}-{}", series.len()));
                let files = f(&stem, &spec(&title), series)
                    .unwrap_or_else(|e| panic!("{kind} {case}: {e}"));
                assert_eq!(files.svg, stem.with_extension("svg"));
                let labels: Vec<&str> = series.iter().map(|s| s.label).collect();
                check_svg(&files.svg, &title, "latency (ms", &labels);
                check_png(&files.png);
            }
        }
    }
}

#[test]
fn skewed_data_gets_a_log_axis() {
    let dir = tempfile::tempdir().unwrap();
    let (c, t) = big();
    let series = [Series::new("control", c), Series::new("treatment", t)];
    assert!(plot::is_skewed(c));
    for (kind, f) in KINDS {
        let stem = dir.path().join(kind);
        let files = f(&stem, &spec("skewed"), &series).unwrap();
        let svg = String::from_utf8(read(&files.svg)).unwrap();
        assert!(svg.contains("latency (ms) — log scale"), "{kind}");
        let files = f(&stem, &spec("skewed").scale(Scale::Linear), &series).unwrap();
        let svg = String::from_utf8(read(&files.svg)).unwrap();
        assert!(!svg.contains("log scale"), "{kind}");
    }
    let even = [1.0, 2.0, 3.0];
    let files = plot::histogram(
        &dir.path().join("even"),
        &spec("even"),
        &[Series::new("a", &even)],
    )
    .unwrap();
    assert!(
        !String::from_utf8(read(&files.svg))
            .unwrap()
            .contains("log scale")
    );
}

#[test]
fn same_input_gives_identical_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (c, t) = big();
    let control = &c[..200_000];
    let treatment = &t[..200_000];
    let series = [
        Series::new("control", control),
        Series::new("treatment", treatment),
    ];
    let ladder = ladder_input(control, treatment);
    let ladder_series = ladder_series(&ladder);
    for dir in [&a, &b] {
        for (kind, f) in KINDS {
            f(&dir.path().join(kind), &spec("same"), &series).unwrap();
        }
        plot::ladder(&dir.path().join("ladder"), &spec("same"), &ladder_series).unwrap();
    }
    for kind in ["histogram", "ecdf", "boxplot", "ladder"] {
        for ext in ["svg", "png"] {
            let name = format!("{kind}.{ext}");
            assert!(
                read(&a.path().join(&name)) == read(&b.path().join(&name)),
                "{name} differs between runs"
            );
        }
    }
}

const LEVELS: [f64; 5] = [0.5, 0.9, 0.95, 0.99, 0.999];

/// Ladder points with a made-up ±(2 + 10·level²) % interval.
fn points(sorted: &[f64], with_interval: bool) -> Vec<LadderPoint> {
    LEVELS
        .iter()
        .map(|&level| {
            let estimate = quantile_sorted(sorted, level, QuantileMethod::Linear);
            let half = estimate.abs() * (0.02 + 0.1 * level * level);
            LadderPoint {
                level,
                estimate,
                interval: with_interval.then_some(Interval {
                    lower: estimate - half,
                    upper: estimate + half,
                }),
            }
        })
        .collect()
}

fn ladder_input(control: &[f64], treatment: &[f64]) -> [Vec<LadderPoint>; 2] {
    [points(control, true), points(treatment, true)]
}

fn ladder_series(points: &[Vec<LadderPoint>; 2]) -> [LadderSeries<'_>; 2] {
    [
        LadderSeries {
            label: "control",
            points: &points[0],
        },
        LadderSeries {
            label: "treatment",
            points: &points[1],
        },
    ]
}

#[test]
fn ladder_renders_every_case() {
    let dir = tempfile::tempdir().unwrap();
    for (case, control, treatment) in cases() {
        let mut input = ladder_input(&control, &treatment);
        if case == "two" {
            // No intervals at all, and points out of order.
            input = [points(&control, false), points(&treatment, false)];
            input[1].reverse();
        }
        let series = ladder_series(&input);
        for n in [1, 2] {
            let title = format!("ladder of {case}");
            let stem = dir.path().join(format!("ladder-{case}-{n}"));
            let files = plot::ladder(&stem, &spec(&title), &series[..n])
                .unwrap_or_else(|e| panic!("ladder {case}: {e}"));
            let labels: Vec<&str> = series[..n].iter().map(|s| s.label).collect();
            check_svg(&files.svg, &title, "latency (ms", &labels);
            let svg = String::from_utf8(read(&files.svg)).unwrap();
            for label in ["p50", "p90", "p95", "p99", "p99.9"] {
                assert!(has_text(&svg, label), "{case}: {label}");
            }
            check_png(&files.png);
        }
    }
    // A single percentile of a single series.
    let one = [LadderPoint {
        level: 0.99,
        estimate: 3.0,
        interval: None,
    }];
    let series = [LadderSeries {
        label: "only",
        points: &one,
    }];
    let files = plot::ladder(&dir.path().join("ladder-single"), &spec("single"), &series).unwrap();
    check_png(&files.png);
}

#[test]
fn bad_input_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("bad");
    let empty: [f64; 0] = [];
    for (kind, f) in KINDS {
        for series in [&[][..], &[Series::new("empty", &empty)][..]] {
            let err = f(&stem, &spec("bad"), series).unwrap_err();
            assert!(matches!(err, Error::Plot { .. }), "{kind}: {err}");
            assert!(err.to_string().contains("bad"), "{err}");
        }
        let unsorted = [2.0, 1.0];
        assert!(f(&stem, &spec("bad"), &[Series::new("u", &unsorted)]).is_err());
    }
    assert!(plot::ladder(&stem, &spec("bad"), &[]).is_err());
    let no_points = [LadderSeries {
        label: "none",
        points: &[],
    }];
    assert!(plot::ladder(&stem, &spec("bad"), &no_points).is_err());
    let inverted = [LadderPoint {
        level: 0.5,
        estimate: 1.0,
        interval: Some(Interval {
            lower: 2.0,
            upper: 0.0,
        }),
    }];
    let series = [LadderSeries {
        label: "inverted",
        points: &inverted,
    }];
    assert!(plot::ladder(&stem, &spec("bad"), &series).is_err());
    let level = [LadderPoint {
        level: 1.5,
        estimate: 1.0,
        interval: None,
    }];
    let series = [LadderSeries {
        label: "level",
        points: &level,
    }];
    assert!(plot::ladder(&stem, &spec("bad"), &series).is_err());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Renders one of each plot to `$PERFSTAT_PLOT_GALLERY` (default
/// `/tmp/perfstat-plots`) to look at: `cargo test -p perfstat-report --test it
/// -- --ignored gallery`.
#[test]
#[ignore = "writes to /tmp for a human to look at"]
fn gallery() {
    let dir = std::env::var_os("PERFSTAT_PLOT_GALLERY")
        .map_or_else(|| PathBuf::from("/tmp/perfstat-plots"), PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();
    let (c, t) = big();
    let series = [Series::new("control", c), Series::new("treatment", t)];
    let spec = spec("Request latency — control vs treatment (n = 1,000,000 each)");
    for (kind, f) in KINDS {
        f(&dir.join(kind), &spec, &series).unwrap();
        f(
            &dir.join(format!("{kind}-linear")),
            &spec.scale(Scale::Linear),
            &series,
        )
        .unwrap();
    }
    let input = ladder_input(c, t);
    plot::ladder(&dir.join("ladder"), &spec, &ladder_series(&input)).unwrap();
    for (case, control, treatment) in cases().into_iter().filter(|c| c.0 != "big") {
        let series = [
            Series::new("control", &control),
            Series::new("treatment", &treatment),
        ];
        let spec = PlotSpec::new(case, "latency").unit(Some("ms"));
        for (kind, f) in KINDS {
            f(&dir.join(format!("{kind}-{case}")), &spec, &series).unwrap();
        }
        let input = ladder_input(&control, &treatment);
        plot::ladder(
            &dir.join(format!("ladder-{case}")),
            &spec,
            &ladder_series(&input),
        )
        .unwrap();
    }
    let small = [12.0, 13.5, 14.0, 14.2, 15.0, 15.5, 16.0, 19.0, 30.0];
    plot::histogram(
        &dir.join("histogram-describe"),
        &PlotSpec::new("describe: 9 values", "duration").unit(Some("µs")),
        &[Series::new("run.csv", &small)],
    )
    .unwrap();
}
