//! Tukey's fences on the type-7 quartiles.

use super::TukeyCounts;
use crate::Sample;
use crate::quantile::{QuantileMethod, quantile_sorted_scaled};
use crate::scale::{Scaler, exponent_of};

/// Counts values outside Tukey's fences (Tukey 1977, *Exploratory Data Analysis*).
///
/// Q1, Q3 are the type-7 (numpy default) quartiles, IQR = Q3 − Q1. A value is
/// a mild low outlier when Q1 − 3·IQR ≤ x < Q1 − 1.5·IQR, a severe one when
/// x < Q1 − 3·IQR; the high side mirrors this with strict inequalities beyond
/// the fences. The counts are exclusive (a severe outlier is not also mild).
///
/// - Time: O(log n), four binary searches on the sorted values. Memory: O(1).
#[must_use]
pub fn tukey(sample: &Sample) -> TukeyCounts {
    let sorted = sample.sorted();
    // On the values scaled by an exact power of two (max |x| in [0.5, 1)):
    // the fences neither overflow near ±f64::MAX nor lose bits for subnormals;
    // for ordinary data every comparison is the same as unscaled.
    let scaler = Scaler::new(exponent_of(sorted));
    let q1 = quantile_sorted_scaled(sorted, 0.25, QuantileMethod::Linear, scaler);
    let q3 = quantile_sorted_scaled(sorted, 0.75, QuantileMethod::Linear, scaler);
    let iqr = q3 - q1;
    let (low_mild_fence, low_severe_fence) = (q1 - 1.5 * iqr, q1 - 3.0 * iqr);
    let (high_mild_fence, high_severe_fence) = (q3 + 1.5 * iqr, q3 + 3.0 * iqr);
    let n = sorted.len();
    // Number of values strictly below / at most a fence.
    let below = |fence: f64| sorted.partition_point(|&x| scaler.apply(x) < fence);
    let at_most = |fence: f64| sorted.partition_point(|&x| scaler.apply(x) <= fence);
    let low_severe = below(low_severe_fence);
    let low_any = below(low_mild_fence);
    let high_severe = n - at_most(high_severe_fence);
    let high_any = n - at_most(high_mild_fence);
    TukeyCounts {
        low_severe,
        low_mild: low_any.saturating_sub(low_severe),
        high_mild: high_any.saturating_sub(high_severe),
        high_severe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_exclusive() {
        // Q1 = 10, Q3 = 14 (type 7), IQR = 4: low fences 4 / −2, high fences 20 / 26.
        let s = Sample::new(vec![
            0.0, 5.0, 10.0, 10.0, 11.0, 11.0, 12.0, 13.0, 13.0, 17.0, 30.0, 20.25,
        ])
        .unwrap();
        let t = tukey(&s);
        assert_eq!(
            t,
            TukeyCounts {
                low_severe: 0,
                low_mild: 1,
                high_mild: 1,
                high_severe: 1
            }
        );
    }
}
