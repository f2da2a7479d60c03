//! Quantiles of sorted data (Hyndman–Fan definitions; type 7 by default).

/// How a quantile interpolates between order statistics (Hyndman & Fan 1996).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum QuantileMethod {
    /// Type 7, linear interpolation: numpy `percentile(method="linear")`, R's default.
    #[default]
    Linear,
}

/// The `p`-quantile (0 ≤ p ≤ 1) of non-empty ascending `sorted` data. STUB.
#[must_use]
pub fn quantile_sorted(sorted: &[f64], p: f64, method: QuantileMethod) -> f64 {
    let _ = method;
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
