//! The thresholds behind perfstat's advice, in one place: when a sample is called "not normal" or
//! "heavily skewed" by `describe`'s warnings and by `ab`'s choice of driver.

/// Significance level at which a normality test (Shapiro–Wilk, else D'Agostino–Pearson) calls a
/// sample "not normal" in `describe`'s warnings. (`ab` judges normality at its own `--alpha`.)
pub const NORMALITY_ALPHA: f64 = 0.05;

/// |skewness| (bias-corrected G1) above which a sample is "heavily skewed": the mean is pulled by
/// the tail, so percentiles and rank tests say more than the mean.
pub const HEAVY_SKEW: f64 = 1.0;
