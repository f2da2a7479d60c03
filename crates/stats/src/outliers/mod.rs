//! Outliers by Tukey's fences and by the modified z-score on the MAD.

/// Counts of values outside Tukey's fences on the type-7 quartiles.
///
/// Mild counts exclude severe ones: `low_mild` counts values in
/// [Q1 − 3·IQR, Q1 − 1.5·IQR), `low_severe` those below Q1 − 3·IQR; the high
/// side mirrors this.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TukeyCounts {
    /// Below Q1 − 3·IQR.
    pub low_severe: usize,
    /// In [Q1 − 3·IQR, Q1 − 1.5·IQR).
    pub low_mild: usize,
    /// In (Q3 + 1.5·IQR, Q3 + 3·IQR].
    pub high_mild: usize,
    /// Above Q3 + 3·IQR.
    pub high_severe: usize,
}

/// Outliers by modified z-score |0.6745·(x − median)/MAD| > 3.5 (Iglewicz–Hoaglin).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MadOutliers {
    /// Number of values whose modified z-score exceeds 3.5.
    pub count: usize,
    /// The median absolute deviation (unscaled; infinite in the extreme case
    /// that it exceeds `f64::MAX`, where the count is still exact).
    pub mad: f64,
}

mod mad;
mod tukey;

pub use mad::mad;
pub use tukey::tukey;
