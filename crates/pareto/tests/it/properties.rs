//! Property tests: front soundness, rank structure, order independence and
//! agreement of every algorithm with the naive oracle.

use perfstat_pareto::{
    Algorithm, Config, Direction, Objective, Options, Points, analyze, dominates,
    fronts_from_ranks, hypervolume, rank_with,
};
use proptest::prelude::*;

/// Points with small integer values (many ties and duplicates) or continuous ones.
fn points_strategy() -> impl Strategy<Value = (Vec<f64>, usize)> {
    (1usize..=6, 0usize..120, any::<bool>()).prop_flat_map(|(m, n, ties)| {
        let cell = if ties {
            (0u8..4).prop_map(f64::from).boxed()
        } else {
            (-1000i32..1000).prop_map(|x| f64::from(x) / 7.0).boxed()
        };
        (proptest::collection::vec(cell, n * m), Just(m))
    })
}

fn pts(data: &[f64], m: usize) -> Points {
    Points::from_min(data.to_vec(), m).expect("finite")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn all_algorithms_equal_the_oracle((data, m) in points_strategy()) {
        let p = pts(&data, m);
        let oracle = rank_with(&p, Algorithm::Naive);
        prop_assert_eq!(&rank_with(&p, Algorithm::Auto), &oracle);
        prop_assert_eq!(&rank_with(&p, Algorithm::DivideAndConquer), &oracle);
    }

    #[test]
    fn fronts_are_sound((data, m) in points_strategy()) {
        let p = pts(&data, m);
        let ranks = rank_with(&p, Algorithm::Auto);
        for (i, &r) in ranks.iter().enumerate() {
            // nobody of the same or a later rank dominates i
            for (j, &s) in ranks.iter().enumerate() {
                if s >= r {
                    prop_assert!(!dominates(p.row(j), p.row(i)), "{j} (rank {s}) dominates {i} (rank {r})");
                }
            }
            // rank r > 1 is dominated by some point of rank r - 1
            if r > 1 {
                prop_assert!(ranks.iter().enumerate().any(|(j, &s)| s == r - 1 && dominates(p.row(j), p.row(i))));
            }
        }
    }

    #[test]
    fn independent_of_input_order((data, m) in points_strategy(), seed in any::<u64>()) {
        let p = pts(&data, m);
        let n = p.len();
        // Fisher–Yates with a xorshift stream
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            perm.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let q = p.select(&perm);
        let rp = rank_with(&p, Algorithm::Auto);
        let rq = rank_with(&q, Algorithm::Auto);
        for (k, &i) in perm.iter().enumerate() {
            prop_assert_eq!(rq[k], rp[i]);
        }
        // Hypervolume too, on the first front (it equals that of all points:
        // `hypervolume_of_front_equals_all`) and for m ≤ 4, where the exact
        // algorithm stays cheap: the same power at a fraction of the time.
        if n > 0 && m <= 4 {
            let reference = vec![1000.0; m];
            let front = |r: &[u32]| -> Vec<usize> { (0..n).filter(|&i| r[i] == 1).collect() };
            let a = hypervolume(&p, &front(&rp), &reference);
            let b = hypervolume(&q, &front(&rq), &reference);
            prop_assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0));
        }
    }

    #[test]
    fn hypervolume_of_front_equals_all((data, m) in points_strategy()) {
        prop_assume!(m <= 4);
        let p = pts(&data, m);
        if !p.is_empty() {
            let ranks = rank_with(&p, Algorithm::Auto);
            let front = &fronts_from_ranks(&ranks)[0];
            let all: Vec<usize> = (0..p.len()).collect();
            let reference = vec![3.0; m];
            let a = hypervolume(&p, front, &reference);
            let b = hypervolume(&p, &all, &reference);
            prop_assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0));
        }
    }

    #[test]
    fn directions_are_handled_without_user_negation((data, m) in points_strategy()) {
        // Maximising x is minimising -x: ranks must agree.
        let dirs: Vec<Direction> = (0..m).map(|j| if j % 2 == 0 { Direction::Max } else { Direction::Min }).collect();
        let p = Points::new(data.clone(), &dirs).expect("finite");
        let negated: Vec<f64> = data.iter().enumerate().map(|(k, &x)| if (k % m) % 2 == 0 { -x } else { x }).collect();
        let q = pts(&negated, m);
        prop_assert_eq!(rank_with(&p, Algorithm::Auto), rank_with(&q, Algorithm::Auto));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `dominated_by_count` is the brute-force count of first-front dominators; the
    /// full list holds exactly them, closest first; a limited list is its prefix.
    #[test]
    fn dominated_by_counts_and_closest((data, m) in points_strategy(), limit in 0usize..4) {
        prop_assume!(!data.is_empty());
        let objectives: Vec<Objective> = (0..m).map(|j| Objective::min(format!("o{j}"))).collect();
        let configs: Vec<Config> = data
            .chunks(m)
            .enumerate()
            .map(|(i, row)| Config::new(i.to_string(), row.iter().enumerate().map(|(j, &x)| (format!("o{j}"), x))))
            .collect();
        let full = analyze(&objectives, &configs, &Options { dominated_by_limit: None, ..Options::default() }).expect("ok");
        let cut = analyze(&objectives, &configs, &Options { dominated_by_limit: Some(limit), ..Options::default() }).expect("ok");
        let front = &full.fronts[0];
        for (i, c) in full.configs.iter().enumerate() {
            let p = &data[i * m..(i + 1) * m];
            let mut expected: Vec<usize> = front.iter().copied().filter(|&a| dominates(&data[a * m..(a + 1) * m], p)).collect();
            prop_assert_eq!(c.dominated_by_count, expected.len());
            let mut got = c.dominated_by.clone();
            got.sort_unstable();
            expected.sort_unstable();
            prop_assert_eq!(&got, &expected);
            let k = limit.min(c.dominated_by.len());
            prop_assert_eq!(&cut.configs[i].dominated_by[..], &c.dominated_by[..k]);
            prop_assert_eq!(cut.configs[i].dominated_by_count, c.dominated_by_count);
        }
    }
}

#[test]
fn big_random_sets_equal_the_oracle() {
    // Larger than the brute-force thresholds of the divide & conquer.
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    for &(n, m, levels) in &[
        (1200, 4, 0u64),
        (1200, 4, 12),
        (1000, 5, 0),
        (1000, 5, 6),
        (1200, 3, 0),
        (1200, 3, 10),
        (1200, 2, 15),
        (800, 6, 5),
    ] {
        let data: Vec<f64> = (0..n * m)
            .map(|_| {
                let x = next();
                if levels == 0 {
                    (x >> 11) as f64 / (1u64 << 53) as f64
                } else {
                    (x % levels) as f64
                }
            })
            .collect();
        let p = pts(&data, m);
        let oracle = rank_with(&p, Algorithm::Naive);
        assert_eq!(
            rank_with(&p, Algorithm::Auto),
            oracle,
            "n={n} m={m} levels={levels}"
        );
        assert_eq!(
            rank_with(&p, Algorithm::DivideAndConquer),
            oracle,
            "dc n={n} m={m} levels={levels}"
        );
    }
}

/// A large first front (points near a plane, as real trade-offs give): `dominated_by` comes
/// from the k-d tree of the front (above 256 front configs), and must be the brute force's:
/// the count, and the closest dominators by normalised distance, ties by index.
#[test]
fn dominated_by_of_a_large_front_is_the_brute_forces() {
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    for (m, quantum) in [(2, 0.0), (3, 0.0), (3, 0.05), (4, 0.0)] {
        let n = 3000;
        let mut data = Vec::with_capacity(n * m);
        for _ in 0..n {
            let row: Vec<f64> = (0..m - 1).map(|_| next()).collect();
            let last = 2.0 - row.iter().sum::<f64>() + 0.01 * next();
            for x in row.into_iter().chain([last]) {
                data.push(if quantum > 0.0 {
                    (x / quantum).round() * quantum
                } else {
                    x
                });
            }
        }
        let objectives: Vec<Objective> = (0..m).map(|j| Objective::min(format!("o{j}"))).collect();
        let configs: Vec<Config> = data
            .chunks(m)
            .enumerate()
            .map(|(i, row)| {
                Config::new(
                    i.to_string(),
                    row.iter().enumerate().map(|(j, &x)| (format!("o{j}"), x)),
                )
            })
            .collect();
        let a = analyze(&objectives, &configs, &Options::default()).expect("ok");
        let front = &a.fronts[0];
        assert!(front.len() > 256, "m {m}: a front of {}", front.len());
        let (lo, hi): (Vec<f64>, Vec<f64>) = (0..m)
            .map(|j| {
                let col = data.iter().skip(j).step_by(m);
                (
                    col.clone().copied().fold(f64::INFINITY, f64::min),
                    col.copied().fold(f64::NEG_INFINITY, f64::max),
                )
            })
            .unzip();
        for (i, c) in a.configs.iter().enumerate() {
            let p = &data[i * m..(i + 1) * m];
            let mut expected: Vec<(f64, usize)> = front
                .iter()
                .copied()
                .filter(|&f| dominates(&data[f * m..(f + 1) * m], p))
                .map(|f| {
                    let mut d = 0.0;
                    for j in 0..m {
                        let t = (p[j] - data[f * m + j]) * (1.0 / (hi[j] - lo[j]));
                        d += t * t;
                    }
                    (d, f)
                })
                .collect();
            assert_eq!(c.dominated_by_count, expected.len(), "m {m} config {i}");
            expected.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            let closest: Vec<usize> = expected.iter().take(5).map(|&(_, f)| f).collect();
            assert_eq!(c.dominated_by, closest, "m {m} config {i}");
        }
    }
}
