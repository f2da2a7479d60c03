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
