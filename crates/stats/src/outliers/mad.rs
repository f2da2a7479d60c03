//! Outliers by the modified z-score on the median absolute deviation.

use super::MadOutliers;
use crate::quantile::{QuantileMethod, quantile_sorted_scaled, select_quantiles};
use crate::scale::{Scaler, exponent_of, scale};
use crate::{Sample, Stat, Undefined};

/// The modified z-score threshold of Iglewicz & Hoaglin (1993).
pub const MODIFIED_Z_THRESHOLD: f64 = 3.5;
/// Φ⁻¹(0.75) rounded as in Iglewicz & Hoaglin: makes the MAD consistent with σ.
pub const MODIFIED_Z_SCALE: f64 = 0.6745;

/// Counts values with |0.6745·(x − median)/MAD| > 3.5 (Iglewicz & Hoaglin,
/// *How to Detect and Handle Outliers*, 1993), MAD = median(|x − median|)
/// (unscaled, type-7 median).
///
/// The median comes from the sorted sample; the MAD's median is found with
/// `select_nth_unstable` on a buffer of absolute deviations (no sort).
///
/// - Time: O(n). Memory: O(n) (the absolute deviations).
///
/// # Undefined
/// `ZeroMad` when the MAD is 0 (more than half the values equal the median).
pub fn mad(sample: &Sample) -> Stat<MadOutliers> {
    // On the values scaled by an exact power of two: |x − median| cannot
    // overflow near ±f64::MAX, and the z-scores keep full precision for
    // subnormal data (the count is scale-invariant).
    let k = exponent_of(sample.sorted());
    let scaler = Scaler::new(k);
    let median = quantile_sorted_scaled(sample.sorted(), 0.5, QuantileMethod::Linear, scaler);
    let mut dev: Vec<f64> = sample
        .sorted()
        .iter()
        .map(|&x| (scaler.apply(x) - median).abs())
        .collect();
    let mad = select_quantiles(&mut dev, &[0.5])
        .first()
        .copied()
        .unwrap_or(f64::NAN);
    if mad.is_nan() || mad <= 0.0 {
        return Err(Undefined::ZeroMad);
    }
    let count = sample
        .sorted()
        .iter()
        .filter(|&&x| {
            (MODIFIED_Z_SCALE * (scaler.apply(x) - median) / mad).abs() > MODIFIED_Z_THRESHOLD
        })
        .count();
    Ok(MadOutliers {
        count,
        mad: scale(mad, -k),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_zero_mad() {
        // median 3, |dev| = 2,1,0,1,97 → MAD 1; z(100) = 0.6745·97 > 3.5.
        let s = Sample::new(vec![1.0, 2.0, 3.0, 4.0, 100.0]).unwrap();
        assert_eq!(mad(&s), Ok(MadOutliers { count: 1, mad: 1.0 }));
        let s = Sample::new(vec![1.0, 1.0, 1.0, 2.0]).unwrap();
        assert_eq!(mad(&s), Err(Undefined::ZeroMad));
    }
}
