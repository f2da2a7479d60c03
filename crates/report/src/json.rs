//! Wire types of the JSON contract (`docs/json-output.md`).
//!
//! These structs *are* the contract: the library types are converted into
//! them with `From`, so renaming a library field cannot silently change a key.
//! An undefined statistic is `null`, and the sample's `reasons` object says
//! why, keyed by the path of the null value (e.g. `"normality.shapiro_wilk"`).

use std::collections::BTreeMap;

use perfstat_stats::normality::{AndersonDarling, ShapiroWilk, TestResult};
use perfstat_stats::outliers::{MadOutliers, TukeyCounts};
use perfstat_stats::slo::SloResult;
use perfstat_stats::{Description, Interval, PERCENTILE_LEVELS, Stat};
use serde::Serialize;

/// The document printed by `perfstat describe --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct DescribeDoc {
    /// Always `"describe"`.
    pub command: &'static str,
    /// The metric (column) described.
    pub metric: String,
    /// The confidence level of every interval.
    pub confidence: f64,
    /// One entry per input file, in the order given.
    pub inputs: Vec<InputDoc>,
    /// One sample per file, or per group with `--by`.
    pub samples: Vec<SampleDoc>,
}

/// What was read from one input file.
///
/// The optional fields are present for load-test tools' formats (k6, JMeter, vegeta, ...) and absent for
/// generic CSV/JSON; build with `..InputDoc::default()` to leave them out.
#[derive(Clone, Debug, Default, Serialize)]
pub struct InputDoc {
    /// The path as given (`-` for standard input).
    pub path: String,
    /// Data rows read.
    pub rows: u64,
    /// Rows skipped as invalid (`--skip-invalid`).
    pub skipped: u64,
    /// The input format, detected or forced (`jmeter-csv`, `k6-json`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The unit of the values (`ms`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Requests read, successful or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<u64>,
    /// Failed requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failures: Option<u64>,
    /// Whether failed requests are in the statistics (`--include-failures`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failures_included: Option<bool>,
    /// Failures by status (`HTTP 500`) or message, most frequent first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failures_by: Option<Vec<FailureDoc>>,
    /// Failed / requests, with a Wilson score interval at the report's confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<RateDoc>,
    /// Requests per second over the run's time span (first start to last end), when timestamps exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_rps: Option<f64>,
    /// What `--warmup` dropped from the start of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warmup: Option<WarmupDoc>,
    /// Requests per second in time buckets (`describe`, when the format has timestamps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_timeline: Option<TimelineDoc>,
    /// The throughput's bounds when the start times are coarse (ab `-g`: whole seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_range: Option<ThroughputRangeDoc>,
    /// Why a fact the format cannot know is absent (`failures`, `error_rate` for ab `-g`) or imprecise
    /// (`throughput_rps`); omitted when empty.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<&'static str, String>,
}

/// `{ "lower", "upper" }`: requests per second over the longest and shortest span the coarse start
/// times allow; `upper` is null (with a reason) when the span is not longer than one resolution step.
#[derive(Clone, Debug, Serialize)]
pub struct ThroughputRangeDoc {
    /// Requests over (span + one step).
    pub lower: f64,
    /// Requests over (span − one step).
    pub upper: Option<f64>,
}

/// `{ "method", "dropped", "cut_at", "unsettled" }`: what the warm-up removal dropped.
#[derive(Clone, Debug, Serialize)]
pub struct WarmupDoc {
    /// `time` (`--warmup 30s`), `count` (`--warmup 500`) or `mser-5` (`--warmup auto`).
    pub method: String,
    /// Requests dropped (values, for a generic input).
    pub dropped: u64,
    /// Seconds from the run's first request start to the first request kept; null without timestamps.
    pub cut_at: Option<f64>,
    /// MSER-5 cut at the end of the half it searches: the run may not have settled.
    pub unsettled: bool,
    /// Why `cut_at` is null; omitted when it is not.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<&'static str, String>,
}

/// Requests per second over the run, bucket by bucket (by request start time).
#[derive(Clone, Debug, Serialize)]
pub struct TimelineDoc {
    /// Width of a bucket, seconds.
    pub bucket_s: f64,
    /// Start of the first bucket: the first request's start, epoch ms (the tool's clock).
    pub start_ms: f64,
    /// Requests started in each bucket (failed ones included).
    pub requests: Vec<u64>,
    /// Failed requests started in each bucket.
    pub failures: Vec<u64>,
    /// `requests` / the bucket's width in seconds (the last bucket's width ends at the run's end).
    pub rps: Vec<f64>,
}

/// One `--slo` objective judged: `{ "objective", "metric", "op", "threshold", "unit", "estimate",
/// "lower", "upper", "status" }`.
#[derive(Clone, Debug, Serialize)]
pub struct SloDoc {
    /// The objective as given (`p95<800ms`).
    pub objective: String,
    /// `p95`, `mean`, `max`, `error_rate`, `throughput`.
    pub metric: String,
    /// `<`, `<=`, `>` or `>=`.
    pub op: &'static str,
    /// The threshold in `unit`.
    pub threshold: f64,
    /// `ms`, `fraction` or `1/s`.
    pub unit: &'static str,
    /// The point estimate.
    pub estimate: f64,
    /// Lower bound of the interval at the report's confidence; null when undefined.
    pub lower: Option<f64>,
    /// Upper bound; null when undefined.
    pub upper: Option<f64>,
    /// `pass`, `fail` or `uncertain`.
    pub status: &'static str,
    /// Why there is no interval, or how the estimate is judged (e.g. the observed maximum).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl From<&SloResult> for SloDoc {
    fn from(r: &SloResult) -> Self {
        Self {
            objective: r.objective.text.clone(),
            metric: r.objective.metric.name(),
            op: r.objective.op.as_str(),
            threshold: r.objective.threshold,
            unit: r.objective.metric.unit(),
            estimate: r.estimate,
            lower: r.lower,
            upper: r.upper,
            status: r.status.as_str(),
            reason: r.reason.clone(),
        }
    }
}

/// `{ "kind": s, "count": n }`: failures of one kind.
#[derive(Clone, Debug, Serialize)]
pub struct FailureDoc {
    /// `HTTP 500`, or the error message.
    pub kind: String,
    /// How many requests failed so.
    pub count: u64,
}

/// `{ "value": f, "lower": f, "upper": f }`: a proportion with its interval.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RateDoc {
    /// The observed proportion.
    pub value: f64,
    /// Lower bound of the Wilson score interval.
    pub lower: f64,
    /// Upper bound of the Wilson score interval.
    pub upper: f64,
}

/// `<sample>` of the contract.
#[derive(Clone, Debug, Serialize)]
pub struct SampleDoc {
    /// File name or group label.
    pub source: String,
    /// Count of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1).
    pub std_dev: Option<f64>,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Median (type 7).
    pub median: f64,
    /// Bias-corrected skewness.
    pub skewness: Option<f64>,
    /// Bias-corrected excess kurtosis.
    pub kurtosis: Option<f64>,
    /// Type-7 percentiles keyed `p50` … `p99.9`.
    pub percentiles: BTreeMap<&'static str, f64>,
    /// Student-t interval for the mean.
    pub mean_ci: Option<IntervalDoc>,
    /// Order-statistic interval for the median.
    pub median_ci: Option<IntervalDoc>,
    /// Normality tests.
    pub normality: NormalityDoc,
    /// Outlier counts.
    pub outliers: OutliersDoc,
    /// Why each `null` in this sample is null, keyed by its path from the sample (`"skewness"`,
    /// `"normality.anderson_darling.p_value"`, `"slos.0.lower"`).
    pub reasons: BTreeMap<String, String>,
    /// The `--slo` objectives judged on this sample (absent without `--slo`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slos: Vec<SloDoc>,
}

/// `{ "lower": f, "upper": f }`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct IntervalDoc {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

/// `{ "statistic": f, "p_value": f }`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TestDoc {
    /// The test statistic.
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
}

/// Shapiro–Wilk, with a reason when the p-value is approximate (n > 5000).
#[derive(Clone, Debug, Serialize)]
pub struct ShapiroWilkDoc {
    /// W.
    pub statistic: f64,
    /// p-value.
    pub p_value: f64,
    /// Present when the p-value is an approximation outside the validated range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Anderson–Darling: A² and a p-value that may be null.
#[derive(Clone, Debug, Serialize)]
pub struct AndersonDarlingDoc {
    /// A².
    pub statistic: f64,
    /// p-value (D'Agostino & Stephens 1986), or null.
    pub p_value: Option<f64>,
    /// Why `p_value` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The normality block.
#[derive(Clone, Debug, Serialize)]
pub struct NormalityDoc {
    /// Shapiro–Wilk.
    pub shapiro_wilk: Option<ShapiroWilkDoc>,
    /// Anderson–Darling.
    pub anderson_darling: Option<AndersonDarlingDoc>,
    /// D'Agostino–Pearson K².
    pub dagostino_pearson: Option<TestDoc>,
    /// Jarque–Bera.
    pub jarque_bera: Option<TestDoc>,
}

/// The outliers block.
#[derive(Clone, Debug, Serialize)]
pub struct OutliersDoc {
    /// Tukey fence counts.
    pub tukey: TukeyDoc,
    /// MAD count, null when the MAD is zero.
    pub mad: Option<MadDoc>,
}

/// Tukey fence counts.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TukeyDoc {
    /// Below Q1 − 3·IQR.
    pub low_severe: usize,
    /// In [Q1 − 3·IQR, Q1 − 1.5·IQR).
    pub low_mild: usize,
    /// In (Q3 + 1.5·IQR, Q3 + 3·IQR].
    pub high_mild: usize,
    /// Above Q3 + 3·IQR.
    pub high_severe: usize,
}

/// MAD outlier count.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct MadDoc {
    /// Values with modified z-score above 3.5.
    pub count: usize,
}

/// Collects `Stat` values into `Option`s, recording each reason under its key.
struct Reasons(BTreeMap<String, String>);

impl Reasons {
    fn take<T, U>(
        &mut self,
        key: &'static str,
        stat: &Stat<T>,
        f: impl FnOnce(&T) -> U,
    ) -> Option<U> {
        match stat {
            Ok(v) => Some(f(v)),
            Err(why) => {
                self.0.insert(key.to_owned(), why.to_string());
                None
            }
        }
    }
}

fn interval(i: &Interval) -> IntervalDoc {
    IntervalDoc {
        lower: i.lower,
        upper: i.upper,
    }
}

fn test(t: &TestResult) -> TestDoc {
    TestDoc {
        statistic: t.statistic,
        p_value: t.p_value,
    }
}

impl SampleDoc {
    /// Builds the wire form of one described sample.
    #[must_use]
    pub fn new(source: impl Into<String>, d: &Description) -> Self {
        let mut r = Reasons(BTreeMap::new());
        let std_dev = r.take("std_dev", &d.std_dev, |v| *v);
        let skewness = r.take("skewness", &d.skewness, |v| *v);
        let kurtosis = r.take("kurtosis", &d.kurtosis, |v| *v);
        let mean_ci = r.take("mean_ci", &d.mean_ci, interval);
        let median_ci = r.take("median_ci", &d.median_ci, interval);
        let shapiro_wilk = r.take("normality.shapiro_wilk", &d.shapiro_wilk, |s: &ShapiroWilk| {
            ShapiroWilkDoc {
                statistic: s.statistic,
                p_value: s.p_value,
                reason: s.approximate.then(|| {
                    "n > 5000: W is exact, the p-value is an extrapolation of Royston's approximation"
                        .to_owned()
                }),
            }
        });
        let anderson_darling = r.take(
            "normality.anderson_darling",
            &d.anderson_darling,
            |a: &AndersonDarling| AndersonDarlingDoc {
                statistic: a.statistic,
                p_value: a.p_value.ok(),
                reason: a.p_value.err().map(|e| e.to_string()),
            },
        );
        if let Ok(AndersonDarling {
            p_value: Err(why), ..
        }) = &d.anderson_darling
        {
            r.0.insert(
                "normality.anderson_darling.p_value".to_owned(),
                why.to_string(),
            );
        }
        let dagostino_pearson = r.take("normality.dagostino_pearson", &d.dagostino_pearson, test);
        let jarque_bera = r.take("normality.jarque_bera", &d.jarque_bera, test);
        let mad = r.take("outliers.mad", &d.mad, |m: &MadOutliers| MadDoc {
            count: m.count,
        });
        let TukeyCounts {
            low_severe,
            low_mild,
            high_mild,
            high_severe,
        } = d.tukey;
        Self {
            source: source.into(),
            n: d.n,
            mean: d.mean,
            std_dev,
            min: d.min,
            max: d.max,
            median: d.median,
            skewness,
            kurtosis,
            percentiles: PERCENTILE_LEVELS
                .iter()
                .zip(d.percentiles)
                .map(|((key, _), v)| (*key, v))
                .collect(),
            mean_ci,
            median_ci,
            normality: NormalityDoc {
                shapiro_wilk,
                anderson_darling,
                dagostino_pearson,
                jarque_bera,
            },
            outliers: OutliersDoc {
                tukey: TukeyDoc {
                    low_severe,
                    low_mild,
                    high_mild,
                    high_severe,
                },
                mad,
            },
            reasons: r.0,
            slos: Vec::new(),
        }
    }

    /// The same sample with its `--slo` results (a null bound's reason is also in `reasons`, under
    /// `slos.<index>.lower` / `.upper`).
    #[must_use]
    pub fn with_slos(mut self, slos: &[SloResult]) -> Self {
        self.slos = slos.iter().map(SloDoc::from).collect();
        for (i, s) in self.slos.iter().enumerate() {
            let why = s
                .reason
                .clone()
                .unwrap_or_else(|| "no interval for this estimate".to_owned());
            for (end, value) in [("lower", s.lower), ("upper", s.upper)] {
                if value.is_none() {
                    self.reasons.insert(format!("slos.{i}.{end}"), why.clone());
                }
            }
        }
        self
    }
}

/// How [`write()`] lays out a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Layout {
    /// Indented by two spaces, one value per line (the default, and the report folders').
    #[default]
    Pretty,
    /// No whitespace at all: a third of the bytes of a large `pareto` document, written faster.
    Compact,
}

/// Serialises `doc` into `out` through a 1 MiB buffer (large documents are streamed, never held
/// whole in memory), in `layout`, then flushes. Numbers keep full precision either way.
///
/// # Errors
/// A failing writer (e.g. a closed pipe: the `io::Error` is the source) or a value serde
/// cannot serialise.
pub fn write<W: std::io::Write>(
    doc: &impl Serialize,
    out: W,
    layout: Layout,
) -> Result<(), serde_json::Error> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, out);
    match layout {
        Layout::Pretty => serde_json::to_writer_pretty(&mut buffered, doc)?,
        Layout::Compact => serde_json::to_writer(&mut buffered, doc)?,
    }
    std::io::Write::write_all(&mut buffered, b"\n").map_err(serde_json::Error::io)?;
    std::io::Write::flush(&mut buffered).map_err(serde_json::Error::io)
}
