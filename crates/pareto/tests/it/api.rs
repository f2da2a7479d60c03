//! The typed API: analysis, constraints, errors, uncertainty verdicts, knee.

use perfstat_pareto::{
    Config, Constraint, Direction, Error, Metric, Objective, Op, Options, ParseConstraintError,
    Points, Status, analyze, dominates_with, knee, reference_from_pairs,
};

fn objectives() -> Vec<Objective> {
    vec![Objective::min("cost"), Objective::max("tps")]
}

fn configs() -> Vec<Config> {
    vec![
        Config::new("a", [("cost", 1.0), ("tps", 100.0), ("p95", 300.0)]),
        Config::new("b", [("cost", 2.0), ("tps", 300.0), ("p95", 700.0)]),
        Config::new("c", [("cost", 2.5), ("tps", 250.0), ("p95", 400.0)]),
        Config::new("d", [("cost", 3.0), ("tps", 90.0), ("p95", 100.0)]),
        Config::new("e", [("cost", 1.0), ("tps", 100.0), ("p95", 300.0)]), // equal to a
    ]
}

#[test]
fn analysis_basics() {
    let a = analyze(&objectives(), &configs(), &Options::default()).expect("ok");
    let ranks: Vec<Option<u32>> = a.configs.iter().map(|c| c.rank).collect();
    // d is dominated by c (rank 2), so it is rank 3
    assert_eq!(ranks, [Some(1), Some(1), Some(2), Some(3), Some(1)]);
    assert_eq!(a.fronts, vec![vec![0, 1, 4], vec![2], vec![3]]);
    assert_eq!(a.configs[2].dominated_by, vec![1]);
    // Closest first: a and e (equal) before b, ties by index.
    assert_eq!(a.configs[3].dominated_by, vec![0, 4, 1]);
    assert_eq!(a.configs[3].dominated_by_count, 3);
    assert_eq!(a.configs[0].dominated_by_count, 0);
    assert!(a.configs[0].dominated_by.is_empty());
    assert_eq!(a.hypervolume, None);
    assert!(!a.has_samples);
    assert_eq!(a.configs[3].status, Some(Status::Dominated));
    assert_eq!(a.configs[1].status, Some(Status::Frontier));
    // crowding: 3 points in front 1; a and e are duplicates at one end.
    assert!(a.configs[1].crowding_distance.expect("d").is_infinite());
    let limited = analyze(
        &objectives(),
        &configs(),
        &Options {
            dominated_by_limit: Some(1),
            ..Options::default()
        },
    )
    .expect("ok");
    assert_eq!(limited.configs[3].dominated_by, vec![0]);
    assert_eq!(limited.configs[3].dominated_by_count, 3);
}

#[test]
fn constraints_make_configs_infeasible() {
    let k: Constraint = "p95<=500".parse().expect("parse");
    assert_eq!(
        k,
        Constraint {
            metric: "p95".into(),
            op: Op::Le,
            value: 500.0
        }
    );
    let options = Options {
        constraints: vec![k.clone(), " tps > 95 ".parse().expect("parse")],
        ..Options::default()
    };
    let a = analyze(&objectives(), &configs(), &options).expect("ok");
    let b = &a.configs[1];
    assert!(!b.feasible);
    assert_eq!(b.rank, None);
    assert_eq!(b.crowding_distance, None);
    assert_eq!(b.status, None);
    assert_eq!(b.violated, vec![k]);
    assert_eq!(a.configs[3].violated.len(), 1);
    // without b, c is on the front
    assert_eq!(a.configs[2].rank, Some(1));
    assert_eq!(a.fronts, vec![vec![0, 2, 4]]);
    assert!(a.fronts.iter().flatten().all(|&i| a.configs[i].feasible));
}

#[test]
fn constraint_parsing() {
    for (s, op) in [
        ("x<=1", Op::Le),
        ("x>=1", Op::Ge),
        ("x<1", Op::Lt),
        ("x>1e3", Op::Gt),
    ] {
        assert_eq!(s.parse::<Constraint>().expect("ok").op, op);
    }
    assert!(matches!(
        "x=1".parse::<Constraint>(),
        Err(ParseConstraintError::NoOperator(_))
    ));
    assert!(matches!(
        "<=1".parse::<Constraint>(),
        Err(ParseConstraintError::NoMetric(_))
    ));
    assert!(matches!(
        "x<=abc".parse::<Constraint>(),
        Err(ParseConstraintError::BadValue { .. })
    ));
    assert!(matches!(
        "x<=inf".parse::<Constraint>(),
        Err(ParseConstraintError::BadValue { .. })
    ));
    assert_eq!(
        "lat_ms<=500".parse::<Constraint>().expect("ok").to_string(),
        "lat_ms<=500"
    );
    let o: Objective = "tokens_per_s:max".parse().expect("objective");
    assert_eq!(o, Objective::max("tokens_per_s"));
    assert!("tokens_per_s".parse::<Objective>().is_err());
    assert!("x:up".parse::<Objective>().is_err());
}

#[test]
fn errors_are_typed_and_named() {
    let o = objectives();
    let opts = Options::default();
    assert_eq!(analyze(&o, &[], &opts), Err(Error::Empty));
    assert_eq!(analyze(&[], &configs(), &opts), Err(Error::NoObjectives));
    let err = analyze(&[Objective::min("latency")], &configs(), &opts).expect_err("unknown");
    assert_eq!(
        err,
        Error::UnknownObjective {
            name: "latency".into(),
            found: vec!["cost".into(), "p95".into(), "tps".into()]
        }
    );
    assert!(err.to_string().contains("cost, p95, tps"));
    let mut c = configs();
    c[2].metrics.remove("tps");
    assert_eq!(
        analyze(&o, &c, &opts),
        Err(Error::MissingMetric {
            config: "c".into(),
            metric: "tps".into()
        })
    );
    let mut c = configs();
    c[3].metrics.insert("cost", Metric::Value(f64::NAN));
    assert!(
        matches!(analyze(&o, &c, &opts), Err(Error::NonFinite { config, metric, .. }) if config == "d" && metric == "cost")
    );
    let mut c = configs();
    c[3].metrics
        .insert("cost", Metric::Samples(vec![1.0, f64::INFINITY]));
    assert!(matches!(
        analyze(&o, &c, &opts),
        Err(Error::NonFinite { .. })
    ));
    let mut c = configs();
    c[3].metrics.insert("cost", Metric::Samples(vec![]));
    assert!(matches!(
        analyze(&o, &c, &opts),
        Err(Error::EmptySamples { .. })
    ));
    let mut c = configs();
    c[4].id = "a".into();
    assert_eq!(analyze(&o, &c, &opts), Err(Error::DuplicateId("a".into())));
    // The duplicate id wins over a later config's bad value (checked as if first).
    c[2].metrics.insert("cost", Metric::Samples(vec![]));
    assert_eq!(analyze(&o, &c, &opts), Err(Error::DuplicateId("a".into())));
    let dup = vec![Objective::min("cost"), Objective::max("cost")];
    assert_eq!(
        analyze(&dup, &configs(), &opts),
        Err(Error::DuplicateObjective("cost".into()))
    );
    let bad_ref = Options {
        reference: Some(vec![1.0]),
        ..Options::default()
    };
    assert!(matches!(
        analyze(&o, &configs(), &bad_ref),
        Err(Error::ReferenceLength {
            expected: 2,
            got: 1
        })
    ));
    let bad_k = Options {
        constraints: vec!["nope<1".parse().expect("parse")],
        ..Options::default()
    };
    assert!(matches!(
        analyze(&o, &configs(), &bad_k),
        Err(Error::UnknownConstraintMetric { .. })
    ));
    assert!(matches!(
        Points::from_min(vec![1.0, f64::NAN], 2),
        Err(Error::NonFinitePoint {
            row: 0,
            column: 1,
            ..
        })
    ));
    assert!(matches!(
        Points::from_min(vec![1.0, 2.0, 3.0], 2),
        Err(Error::Shape { .. })
    ));
}

#[test]
fn reference_point_in_own_units() {
    let o = objectives();
    let r = reference_from_pairs(&o, &[("tps".into(), 0.0), ("cost".into(), 4.0)]).expect("ok");
    assert_eq!(r, vec![4.0, 0.0]);
    assert!(reference_from_pairs(&o, &[("cost".into(), 4.0)]).is_err());
    assert!(reference_from_pairs(&o, &[("x".into(), 4.0)]).is_err());
    let a = analyze(
        &o,
        &configs(),
        &Options {
            reference: Some(r),
            ..Options::default()
        },
    )
    .expect("ok");
    // a: (4-1)*100 = 300, b adds (4-2)*(300-100) = 400
    assert_eq!(a.hypervolume, Some(700.0));
    assert_eq!(a.reference, Some(vec![4.0, 0.0]));
    // a reference point that no front point strictly dominates: 0
    let a = analyze(
        &o,
        &configs(),
        &Options {
            reference: Some(vec![1.0, 500.0]),
            ..Options::default()
        },
    )
    .expect("ok");
    assert_eq!(a.hypervolume, Some(0.0));
}

#[test]
fn uncertainty_verdicts() {
    let o = objectives();
    let c = vec![
        // clearly best throughput, tight
        Config::new(
            "fast",
            [
                ("cost", Metric::Samples(vec![2.0, 2.01, 1.99])),
                ("tps", Metric::Samples(vec![300.0, 301.0, 299.0])),
            ],
        ),
        // clearly cheap
        Config::new(
            "cheap",
            [
                ("cost", Metric::Samples(vec![1.0, 1.01, 0.99])),
                ("tps", Metric::Samples(vec![100.0, 101.0, 99.0])),
            ],
        ),
        // on the front of the means only by noise: slightly cheaper than fast, slightly slower, very noisy
        Config::new(
            "noisy",
            [
                ("cost", Metric::Samples(vec![1.8, 2.0, 1.9])),
                ("tps", Metric::Samples(vec![250.0, 350.0, 290.0])),
            ],
        ),
        // surely dominated by fast
        Config::new(
            "bad",
            [
                ("cost", Metric::Samples(vec![3.0, 3.01, 2.99])),
                ("tps", Metric::Samples(vec![200.0, 201.0, 199.0])),
            ],
        ),
    ];
    let a = analyze(&o, &c, &Options::default()).expect("ok");
    assert!(a.has_samples);
    assert_eq!(a.configs[2].rank, Some(1));
    let st: Vec<Option<Status>> = a.configs.iter().map(|c| c.status).collect();
    assert_eq!(
        st,
        [
            Some(Status::Ambiguous),
            Some(Status::Frontier),
            Some(Status::Ambiguous),
            Some(Status::Dominated)
        ]
    );
    let (lo, hi) = a.configs[0].intervals[0];
    assert!(lo < 2.0 && hi > 2.0);
    // t interval: mean ± t(0.975, 2) * s / sqrt(3), s = 0.01
    let half = 4.302_652_729_911_275 * 0.01 / 3f64.sqrt();
    assert!((hi - 2.0 - half).abs() < 1e-9, "{hi}");
}

#[test]
fn dominance_with_directions_and_knee() {
    let dirs = [Direction::Min, Direction::Max];
    assert!(dominates_with(&[1.0, 5.0], &[1.0, 4.0], &dirs));
    assert!(!dominates_with(&[1.0, 5.0], &[1.0, 5.0], &dirs));
    assert!(!dominates_with(&[1.0, 4.0], &[0.5, 5.0], &dirs));
    // A convex front: the knee is the bend at (1, 1).
    let p = Points::from_min(vec![0.0, 10.0, 1.0, 1.0, 10.0, 0.0, 5.0, 0.5], 2).expect("ok");
    assert_eq!(knee(&p, &[0, 1, 2, 3]), Some(1));
    assert_eq!(knee(&p, &[]), None);
    assert_eq!(knee(&p, &[2]), Some(2));
}
