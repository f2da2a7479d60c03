//! Outliers by the modified z-score on the median absolute deviation.

use super::MadOutliers;
use crate::quantile::{QuantileMethod, quantile_sorted_scaled, type7_of_ranked};
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
/// The median comes from the sorted sample; the MAD's median from a merge of
/// the two ascending runs of deviations (below and above the median) in the
/// sorted sample: no buffer, no sort.
///
/// - Time: O(n). Memory: O(1).
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
    let sorted = sample.sorted();
    let dev = |x: f64| (scaler.apply(x) - median).abs();
    // x ↦ scaled(x) − median is monotone (rounding is), so the deviations of
    // the values below the median, read downwards, and of the others, read
    // upwards, are two ascending runs: merging them gives the order
    // statistics of all deviations (the same values `select_nth_unstable` on
    // a buffer of them finds) without the buffer.
    let split = sorted.partition_point(|&x| scaler.apply(x) < median);
    let (below, above) = sorted.split_at(split);
    let mad = type7_of_ranked(sorted.len(), 0.5, |lo| {
        let mut down = below.iter().rev().map(|&x| dev(x)).peekable();
        let mut up = above.iter().map(|&x| dev(x)).peekable();
        let mut next = || match (down.peek(), up.peek()) {
            (Some(&d), Some(&u)) if d.total_cmp(&u).is_le() => down.next(),
            (Some(_), Some(_)) | (None, _) => up.next(),
            (Some(_), None) => down.next(),
        };
        let first = next().and_then(|v| (0..lo).try_fold(v, |_, _| next()));
        let first = first.unwrap_or(f64::NAN);
        (first, next().unwrap_or(first))
    });
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
    use crate::quantile::select_quantiles;
    use proptest::prelude::*;

    proptest! {
        /// The merge finds the MAD a selection on a buffer of all deviations finds.
        #[test]
        fn merge_equals_selection(v in proptest::collection::vec(-50i32..50, 1..200), div in 1i32..8) {
            let s = Sample::new(v.iter().map(|&x| f64::from(x) / f64::from(div)).collect()).unwrap();
            let scaler = Scaler::new(exponent_of(s.sorted()));
            let median = quantile_sorted_scaled(s.sorted(), 0.5, QuantileMethod::Linear, scaler);
            let mut dev: Vec<f64> =
                s.sorted().iter().map(|&x| (scaler.apply(x) - median).abs()).collect();
            let expected = select_quantiles(&mut dev, &[0.5])[0];
            match mad(&s) {
                Ok(m) => prop_assert_eq!(m.mad.to_bits(), scale(expected, -exponent_of(s.sorted())).to_bits()),
                Err(e) => {
                    prop_assert_eq!(e, Undefined::ZeroMad);
                    prop_assert!(expected <= 0.0);
                }
            }
        }
    }

    #[test]
    fn counts_and_zero_mad() {
        // median 3, |dev| = 2,1,0,1,97 → MAD 1; z(100) = 0.6745·97 > 3.5.
        let s = Sample::new(vec![1.0, 2.0, 3.0, 4.0, 100.0]).unwrap();
        assert_eq!(mad(&s), Ok(MadOutliers { count: 1, mad: 1.0 }));
        let s = Sample::new(vec![1.0, 1.0, 1.0, 2.0]).unwrap();
        assert_eq!(mad(&s), Err(Undefined::ZeroMad));
    }
}
