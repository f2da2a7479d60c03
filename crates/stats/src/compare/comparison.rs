//! One call for every number of the `ab` contract's `comparison` object.

use super::diagnostics::{AbWarning, Diagnostics, TimeOrder, diagnose};
use super::quantile_diff::{QuantileBootstrap, QuantileDifference, quantile_replicates};
use super::relative::{RelativeDifference, relative_mean_difference};
use super::verdict::{Driver, Evidence, Verdict, VerdictConfig, VerdictResult, decide, fmt_p};
use super::{MannWhitneyU, Pair, WelchT, cohens_d, hedges_g, mann_whitney_u, welch_t};

use crate::normality::{SHAPIRO_WILK_MAX_VALIDATED_N, dagostino_pearson, shapiro_wilk};
use crate::{Estimate, Sample, Stat, Undefined};

/// Smallest sample size at which a normality test may switch the driver to
/// ranks (D'Agostino–Pearson needs 8; Shapiro–Wilk has almost no power below).
pub const NORMALITY_MIN_N: usize = 8;
/// |skewness| above which a sample counts as heavily skewed.
pub const SKEWNESS_LIMIT: f64 = crate::thresholds::HEAVY_SKEW;
/// Fewest values per sample for any verdict other than `InsufficientData`.
pub const MIN_VERDICT_N: usize = 2;
/// The quantile levels compared: median, p95, p99.
pub const QUANTILE_LEVELS: [f64; 3] = [0.5, 0.95, 0.99];

/// Settings of [`compare()`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CompareConfig {
    /// α, minimum effect, direction, confidence.
    pub verdict: VerdictConfig,
    /// Seed and number of resamples of the quantile bootstrap.
    pub bootstrap: QuantileBootstrap,
}

/// Every statistic of an A/B comparison (the `ab` contract's `comparison`
/// object plus the p95/p99 differences, the driver and the warnings).
/// Undefined statistics are `Err(Undefined)` with the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Welch's t-test (`welch_t` in the contract).
    pub welch_t: Stat<WelchT>,
    /// Mann–Whitney U test (`mann_whitney_u`).
    pub mann_whitney_u: Stat<MannWhitneyU>,
    /// x̄_t − x̄_c with the Welch interval (`mean_difference`).
    pub mean_difference: Stat<Estimate>,
    /// (x̄_t − x̄_c)/x̄_c with the Fieller interval (`relative_mean_difference`).
    pub relative_mean_difference: Stat<RelativeDifference>,
    /// Median difference with its bootstrap interval (`median_difference`).
    pub median_difference: Stat<QuantileDifference>,
    /// p95 difference with its bootstrap interval.
    pub p95_difference: Stat<QuantileDifference>,
    /// p99 difference with its bootstrap interval.
    pub p99_difference: Stat<QuantileDifference>,
    /// Cohen's d with its interval (`cohens_d`).
    pub cohens_d: Stat<Estimate>,
    /// Hedges' g with its interval (`hedges_g`).
    pub hedges_g: Stat<Estimate>,
    /// The verdict, its driver and its explanation (`verdict`).
    pub verdict: VerdictResult,
    /// The numbers behind the warnings.
    pub diagnostics: Diagnostics,
    /// Warnings, in a stable order (per sample: autocorrelation, bimodality,
    /// outliers; then sizes, power).
    pub warnings: Vec<AbWarning>,
    /// The settings used.
    pub config: CompareConfig,
}

impl Comparison {
    /// The p-value of the test that drives the verdict (for multiple-testing
    /// adjustment across `--by` groups, [`crate::adjust`]).
    ///
    /// # Undefined
    /// When no test is defined (the verdict is `InsufficientData`), with the
    /// Welch test's reason.
    pub fn driver_p_value(&self) -> Stat<f64> {
        match self.verdict.driver {
            Some(Driver::Means) => self.welch_t.map(|w| w.p_value),
            Some(Driver::Ranks) => self.mann_whitney_u.map(|m| m.p_value),
            None => self.welch_t.map(|w| w.p_value),
        }
    }
}

/// Compares treatment with control: every statistic, the verdict and the
/// warnings (without the autocorrelation check, which needs the values in
/// time order: see [`compare_in_order`]).
///
/// # Verdict
/// The driver is [`choose_driver`]'s. Its evidence goes through
/// [`super::verdict::decide`]:
/// - `Means`: Welch p, sign of t, and the Fieller interval of the relative
///   mean difference at 1 − 2α for the equivalence test;
/// - `Ranks`: Mann–Whitney p, sign of U_t − n_t·n_c/2, and the percentile
///   bootstrap interval of the relative median difference at 1 − 2α.
///
/// When the chosen driver's test is undefined (e.g. Welch with n < 2 or two
/// constant samples) the other one decides, and the explanation says so;
/// when neither is defined (both samples constant and equal, or too few
/// values) the verdict is `InsufficientData`, as it is when either sample
/// has fewer than [`MIN_VERDICT_N`] values.
///
/// - Time: O(n_t + n_c) plus O(B·3) for the bootstrap (samples are sorted),
///   and O(n) for the normality checks. Memory: O(B).
///
/// ```
/// use perfstat_stats::compare::{compare, CompareConfig, Pair, Verdict};
/// use perfstat_stats::Sample;
/// let control = Sample::new((0..300).map(|i| 100.0 + f64::from(i % 17)).collect())?;
/// let treatment = Sample::new((0..300).map(|i| 130.0 + f64::from(i % 13)).collect())?;
/// let pair = Pair { control: &control, treatment: &treatment };
/// let r = compare(pair, &CompareConfig::default()); // lower is better, α = 0.05
/// assert_eq!(r.verdict.verdict, Verdict::Regressed);
/// assert_eq!(r.verdict.verdict.as_str(), "regressed");
/// let sentence = r.verdict.to_string(); // one sentence with the numbers
/// assert!(sentence.starts_with("Regressed"));
/// # Ok::<(), perfstat_stats::Error>(())
/// ```
#[must_use]
pub fn compare(pair: Pair<'_>, config: &CompareConfig) -> Comparison {
    compare_with(pair, None, config)
}

/// [`compare()`] plus the lag-1 autocorrelation warning, from the values of
/// both samples in file (time) order.
#[must_use]
pub fn compare_in_order(
    pair: Pair<'_>,
    order: TimeOrder<'_>,
    config: &CompareConfig,
) -> Comparison {
    compare_with(pair, Some(order), config)
}

fn compare_with(
    pair: Pair<'_>,
    order: Option<TimeOrder<'_>>,
    config: &CompareConfig,
) -> Comparison {
    let v = &config.verdict;
    let conf = v.confidence();
    let welch = welch_t(pair, conf);
    let mwu = mann_whitney_u(pair);
    let relative = relative_mean_difference(pair, conf);
    let tost_conf = v.tost_confidence();
    let reps = quantile_replicates(pair, &QUANTILE_LEVELS, config.bootstrap);
    let diff_at = |j: usize| -> Stat<QuantileDifference> {
        match &reps {
            Ok(r) => r
                .get(j)
                .ok_or(Undefined::OutOfRange)
                .and_then(|r| r.difference(conf)),
            Err(e) => Err(*e),
        }
    };
    let median_relative_tost: Stat<Estimate> = match (&reps, &tost_conf) {
        (Ok(r), Ok(tc)) => r
            .first()
            .ok_or(Undefined::OutOfRange)
            .and_then(|r| r.relative(*tc)),
        (Err(e), _) => Err(*e),
        (_, Err(_)) => Err(Undefined::OutOfRange),
    };
    let means_evidence = welch.as_ref().ok().map(|w| Evidence {
        driver: Driver::Means,
        p_value: w.p_value,
        statistic_sign: sign(w.statistic),
        relative_tost: tost_conf
            .ok()
            .and_then(|tc| relative_mean_difference(pair, tc).ok())
            .map(|r| r.estimate),
    });
    let nn = pair.treatment.len() as f64 * pair.control.len() as f64;
    let ranks_evidence = mwu.as_ref().ok().map(|m| Evidence {
        driver: Driver::Ranks,
        p_value: m.p_value,
        statistic_sign: sign(m.statistic - nn / 2.0),
        relative_tost: median_relative_tost.ok(),
    });
    let (preferred, driver_reason) = choose_driver(pair, v.alpha());
    let (first, second) = match preferred {
        Driver::Means => (means_evidence, ranks_evidence),
        Driver::Ranks => (ranks_evidence, means_evidence),
    };
    let smallest = pair.control.len().min(pair.treatment.len());
    let verdict = match (first, second) {
        // One value per side cannot show a change, whatever a rank test says.
        _ if smallest < MIN_VERDICT_N => VerdictResult {
            verdict: Verdict::InsufficientData,
            driver: None,
            driver_reason: format!("each sample needs at least {MIN_VERDICT_N} values"),
            explanation: format!(
                "Insufficient data: {} control and {} treatment values; each sample needs at least {MIN_VERDICT_N}.",
                pair.control.len(),
                pair.treatment.len()
            ),
        },
        (Some(e), _) => {
            let (verdict, explanation) = decide(&e, v);
            VerdictResult {
                verdict,
                driver: Some(e.driver),
                driver_reason,
                explanation,
            }
        }
        (None, Some(e)) => {
            let (verdict, explanation) = decide(&e, v);
            VerdictResult {
                verdict,
                driver: Some(e.driver),
                driver_reason: format!(
                    "{} is undefined for these data, so {} decides",
                    preferred, e.driver
                ),
                explanation,
            }
        }
        (None, None) => {
            let why = welch
                .as_ref()
                .err()
                .map_or_else(String::new, |e| e.to_string());
            VerdictResult {
                verdict: Verdict::InsufficientData,
                driver: None,
                driver_reason: "no test is defined for these data".to_owned(),
                explanation: format!(
                    "Insufficient data: neither Welch's t-test nor the Mann–Whitney test is defined ({why})."
                ),
            }
        }
    };
    let diagnostics = diagnose(pair, order, v.alpha());
    let warnings = diagnostics.warnings(v.min_effect());
    Comparison {
        mean_difference: welch.map(|w| w.mean_difference),
        welch_t: welch,
        mann_whitney_u: mwu,
        relative_mean_difference: relative,
        median_difference: diff_at(0),
        p95_difference: diff_at(1),
        p99_difference: diff_at(2),
        cohens_d: cohens_d(pair, conf),
        hedges_g: hedges_g(pair, conf),
        verdict,
        diagnostics,
        warnings,
        config: *config,
    }
}

/// Chooses the evidence that leads the verdict, with the reason.
///
/// `Ranks` when either sample
/// - has n ≥ [`NORMALITY_MIN_N`] and fails a normality test at `alpha`:
///   Shapiro–Wilk for n ≤ 5000, D'Agostino–Pearson K² above (where
///   Shapiro–Wilk's p-value is not validated); or
/// - has |G1| > [`SKEWNESS_LIMIT`] (bias-corrected skewness, n ≥ 3).
///
/// Otherwise `Means`. Note that with hundreds of thousands of values the
/// normality tests reject any real-world deviation, so ranks lead for large
/// load tests — the safe choice for latencies.
#[must_use]
pub fn choose_driver(pair: Pair<'_>, alpha: f64) -> (Driver, String) {
    let mut reasons = Vec::new();
    for (name, s) in [("control", pair.control), ("treatment", pair.treatment)] {
        if let Some(r) = non_normal_reason(s, alpha) {
            reasons.push(format!("{name} {r}"));
        }
    }
    if reasons.is_empty() {
        (
            Driver::Means,
            "both samples pass the normality and skewness checks".to_owned(),
        )
    } else {
        (Driver::Ranks, reasons.join("; "))
    }
}

fn non_normal_reason(s: &Sample, alpha: f64) -> Option<String> {
    let n = s.len();
    if n >= NORMALITY_MIN_N {
        if n <= SHAPIRO_WILK_MAX_VALIDATED_N {
            if let Ok(sw) = shapiro_wilk(s)
                && sw.p_value < alpha
            {
                return Some(format!("fails Shapiro–Wilk (p = {})", fmt_p(sw.p_value)));
            }
        } else if let Ok(k2) = dagostino_pearson(s)
            && k2.p_value < alpha
        {
            return Some(format!(
                "fails D'Agostino–Pearson (p = {})",
                fmt_p(k2.p_value)
            ));
        }
    }
    if let Ok(g1) = s.moments().skewness()
        && g1.abs() > SKEWNESS_LIMIT
    {
        return Some(format!("is heavily skewed (skewness {g1:.2})"));
    }
    None
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}
