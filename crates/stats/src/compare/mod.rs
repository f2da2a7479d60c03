//! Two-sample comparison for `perfstat ab`: Welch's t-test, the Mann–Whitney U
//! test and standardised effect sizes (Cohen's d, Hedges' g).
//!
//! Every function takes a [`Pair`], whose named fields fix the sign convention
//! of the JSON contract: differences are always **treatment − control**.
//! References (see `docs/numerics.md`, "Two-sample comparison"):
//! [`welch_t()`] is `scipy.stats.ttest_ind(treatment, control, equal_var=False)`,
//! [`mann_whitney_u()`] is `scipy.stats.mannwhitneyu(treatment, control,
//! alternative="two-sided")` with its default method choice.
//!
//! The rest of `perfstat ab` (see `docs/numerics.md`, "A/B comparison"):
//! [`relative_mean_difference()`] (Fieller interval), [`quantile_differences()`]
//! (median/p95/p99 differences, bootstrap through order statistics),
//! [`Verdict`] with [`Direction`] and [`Driver`], [`diagnostics`] warnings and
//! the one-call entry point [`compare()`].

mod comparison;
pub mod diagnostics;
mod effect_size;
mod groups;
mod mann_whitney;
mod quantile_diff;
mod relative;
mod verdict;
mod welch;

pub use self::comparison::{
    CompareConfig, Comparison, MIN_VERDICT_N, NORMALITY_MIN_N, QUANTILE_LEVELS, SKEWNESS_LIMIT,
    choose_driver, compare, compare_in_order,
};
pub use self::diagnostics::{AbWarning, Arm, Diagnostics, TimeOrder};
pub use self::groups::{GroupVerdict, PairedGroups, adjust_groups, adjust_verdicts, pair_groups};
pub use self::quantile_diff::{
    QuantileBootstrap, QuantileDifference, QuantileReplicates, quantile_differences,
    quantile_replicates,
};
pub use self::relative::{
    RelativeDifference, RelativeMethod, relative_mean_difference, relative_mean_difference_delta,
};
pub use self::verdict::{
    Direction, DirectionError, Driver, Evidence, NamedDirection, Verdict, VerdictConfig,
    VerdictResult, decide, metric_words,
};

pub use self::effect_size::{cohens_d, hedges_g, hedges_g_correction};
pub use self::mann_whitney::{MannWhitneyMethod, MannWhitneyU, mann_whitney_u};
pub use self::welch::{WelchT, welch_t};

use crate::Sample;

/// The two samples of an A/B comparison. Differences are treatment − control.
///
/// ```
/// use perfstat_stats::compare::{Pair, welch_t};
/// use perfstat_stats::{Confidence, Sample};
/// let control = Sample::new(vec![10.0, 11.0, 12.0, 13.0])?;
/// let treatment = Sample::new(vec![12.0, 13.0, 14.0, 15.0])?;
/// let pair = Pair { control: &control, treatment: &treatment };
/// let w = welch_t(pair, Confidence::DEFAULT).expect("defined");
/// assert_eq!(w.mean_difference.estimate, 2.0);
/// # Ok::<(), perfstat_stats::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Pair<'a> {
    /// The baseline sample (A).
    pub control: &'a Sample,
    /// The changed sample (B).
    pub treatment: &'a Sample,
}

/// Mean and sample variance (divisor n − 1) of one sample.
#[derive(Clone, Copy, Debug)]
struct MeanVar {
    n: f64,
    mean: f64,
    var: f64,
}

impl MeanVar {
    /// # Undefined
    /// [`crate::Undefined::TooFew`] for n < 2.
    fn of(sample: &Sample) -> crate::Stat<Self> {
        let m = sample.moments();
        Ok(Self {
            n: sample.len() as f64,
            mean: m.mean(),
            var: m.variance()?,
        })
    }
}
