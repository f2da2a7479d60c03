//! Property tests (proptest) of quantiles, moments, intervals and outlier counts.
//! Case counts are small so the suite stays fast in debug builds.

use perfstat_stats::interval::{mean_interval, median_interval};
use perfstat_stats::moments::Moments;
use perfstat_stats::outliers::tukey;
use perfstat_stats::quantile::{QuantileMethod, quantile_sorted, select_quantiles};
use perfstat_stats::{Confidence, Sample};
use proptest::prelude::*;

fn values() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1e6..1e6f64, 1..200)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn quantiles_monotone_and_bounded(v in values(), mut ps in prop::collection::vec(0.0..=1.0f64, 1..8)) {
        let s = Sample::new(v).unwrap();
        ps.sort_by(f64::total_cmp);
        for m in QuantileMethod::ALL {
            let qs: Vec<f64> = ps.iter().map(|&p| quantile_sorted(s.sorted(), p, m)).collect();
            for w in qs.windows(2) {
                prop_assert!(w[0] <= w[1], "{m:?}: {qs:?} not monotone for {ps:?}");
            }
            for q in qs {
                prop_assert!(s.min() <= q && q <= s.max());
            }
        }
    }

    #[test]
    fn select_equals_sorted(v in values(), ps in prop::collection::vec(0.0..=1.0f64, 1..8)) {
        let mut scratch = v.clone();
        let got = select_quantiles(&mut scratch, &ps);
        let s = Sample::new(v).unwrap();
        for (p, g) in ps.iter().zip(got) {
            prop_assert_eq!(g, quantile_sorted(s.sorted(), *p, QuantileMethod::Linear));
        }
    }

    #[test]
    fn mean_within_range_and_permutation_invariant(v in values()) {
        let m = Moments::of(&v);
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(lo <= m.mean() && m.mean() <= hi);
        let mut r = v.clone();
        r.reverse();
        let m2 = Moments::of(&r);
        prop_assert!((m.mean() - m2.mean()).abs() <= 1e-9 * (1.0 + m.mean().abs()));
        // Order statistics do not depend on the input order at all.
        prop_assert_eq!(Sample::new(v).unwrap(), Sample::new(r).unwrap());
    }

    #[test]
    fn intervals_contain_estimates(v in values()) {
        let s = Sample::new(v).unwrap();
        let c = Confidence::DEFAULT;
        if let Ok(i) = mean_interval(&s, c) {
            prop_assert!(i.contains(Moments::of(s.sorted()).mean()));
        }
        if let Ok(i) = median_interval(&s, c) {
            prop_assert!(i.contains(s.median()));
        }
    }

    #[test]
    fn tukey_counts_at_most_n(v in values()) {
        let s = Sample::new(v).unwrap();
        let t = tukey(&s);
        prop_assert!(t.low_severe + t.low_mild + t.high_mild + t.high_severe <= s.len());
    }
}

/// Every statistic of `describe` for x and for x·2ᵏ: the scale-invariant ones bit for bit equal, the
/// location/scale ones exactly 2ᵏ times (docs/numerics.md, "Scaling": every sum runs on values
/// scaled by a power of two, so the magnitude of the data changes no rounding).
fn assert_scale_equivariant(v: &[f64], k: i32) -> Result<(), TestCaseError> {
    use perfstat_stats::describe;
    use perfstat_stats::scale::scale;
    let c = Confidence::DEFAULT;
    let a = describe(&Sample::new(v.to_vec()).unwrap(), c);
    let scaled: Vec<f64> = v.iter().map(|&x| scale(x, k)).collect();
    let b = describe(&Sample::new(scaled).unwrap(), c);
    let up = |x: f64| scale(x, k);
    prop_assert_eq!(up(a.mean), b.mean);
    prop_assert_eq!(a.std_dev.map(up), b.std_dev);
    prop_assert_eq!(up(a.median), b.median);
    prop_assert_eq!(a.percentiles.map(up), b.percentiles);
    prop_assert_eq!(a.skewness, b.skewness);
    prop_assert_eq!(a.kurtosis, b.kurtosis);
    prop_assert_eq!(
        a.mean_ci.map(|i| (up(i.lower), up(i.upper))),
        b.mean_ci.map(|i| (i.lower, i.upper))
    );
    prop_assert_eq!(a.shapiro_wilk, b.shapiro_wilk);
    prop_assert_eq!(a.anderson_darling, b.anderson_darling);
    prop_assert_eq!(a.dagostino_pearson, b.dagostino_pearson);
    prop_assert_eq!(a.jarque_bera, b.jarque_bera);
    prop_assert_eq!(a.tukey, b.tukey);
    prop_assert_eq!(a.mad.map(|m| m.count), b.mad.map(|m| m.count));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Near the top of the f64 range (k up to 1000: |x|·2ᵏ up to 1e307) and deep into subnormals
    /// (k down to −1000 on values of 1e-6 … 1e6 keeps them normal; see the fixed cases for
    /// subnormals), every statistic is the ordinary one, scaled.
    #[test]
    fn statistics_are_exactly_scale_equivariant(
        v in prop::collection::vec(-1e6..1e6f64, 2..120),
        k in prop_oneof![-990..=-900i32, -60..=60i32, 900..=1000i32],
    ) {
        assert_scale_equivariant(&v, k)?;
    }
}
