//! Comparison with pymoo 0.6.2 (moocore) fixtures written by
//! `scripts/reference/gen_pareto.py`.

use perfstat_pareto::{
    Algorithm, Config, Direction, Objective, Options, Points, analyze, crowding_distance,
    fronts_from_ranks, hypervolume, rank_with,
};
use serde_json::Value;
use std::path::PathBuf;

struct Fixture {
    name: String,
    dirs: Vec<Direction>,
    rows: Vec<Vec<f64>>,
    ranks: Vec<u32>,
    crowding: Vec<Option<f64>>,
    hv: Vec<(Vec<f64>, f64)>,
}

fn fixtures() -> Vec<Fixture> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 18, "expected the generated fixtures");
    paths
        .iter()
        .map(|p| {
            let v: Value =
                serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json");
            let nums = |v: &Value| -> Vec<f64> {
                v.as_array()
                    .expect("array")
                    .iter()
                    .map(|x| x.as_f64().expect("number"))
                    .collect()
            };
            Fixture {
                name: v["name"].as_str().expect("name").to_owned(),
                dirs: v["directions"]
                    .as_array()
                    .expect("dirs")
                    .iter()
                    .map(|d| d.as_str().expect("dir").parse().expect("direction"))
                    .collect(),
                rows: v["points"]
                    .as_array()
                    .expect("points")
                    .iter()
                    .map(nums)
                    .collect(),
                ranks: v["ranks"]
                    .as_array()
                    .expect("ranks")
                    .iter()
                    .map(|r| r.as_u64().expect("rank") as u32 + 1)
                    .collect(),
                crowding: v["crowding"]
                    .as_array()
                    .expect("crowding")
                    .iter()
                    .map(Value::as_f64)
                    .collect(),
                hv: v["hypervolume"]
                    .as_array()
                    .expect("hv")
                    .iter()
                    .map(|h| (nums(&h["reference"]), h["value"].as_f64().expect("value")))
                    .collect(),
            }
        })
        .collect()
}

fn points(f: &Fixture) -> Points {
    Points::new(f.rows.concat(), &f.dirs).expect("points")
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

#[test]
fn ranks_identical_to_pymoo() {
    for f in fixtures() {
        let p = points(&f);
        for alg in [
            Algorithm::Auto,
            Algorithm::DivideAndConquer,
            Algorithm::Naive,
        ] {
            assert_eq!(rank_with(&p, alg), f.ranks, "{} with {alg:?}", f.name);
        }
    }
}

#[test]
fn crowding_matches_pymoo() {
    for f in fixtures() {
        let p = points(&f);
        for front in fronts_from_ranks(&f.ranks) {
            let d = crowding_distance(&p, &front);
            for (&i, &x) in front.iter().zip(&d) {
                match f.crowding[i] {
                    None => assert!(x.is_infinite(), "{} point {i}: {x} vs inf", f.name),
                    Some(e) => assert!(close(x, e), "{} point {i}: {x} vs {e}", f.name),
                }
            }
        }
    }
}

#[test]
fn hypervolume_matches_pymoo() {
    for f in fixtures() {
        let p = points(&f);
        let front = &fronts_from_ranks(&f.ranks)[0];
        for (r, expected) in &f.hv {
            let rmin: Vec<f64> = r.iter().zip(&f.dirs).map(|(x, d)| d.to_min(*x)).collect();
            let got = hypervolume(&p, front, &rmin);
            assert!(
                close(got, *expected),
                "{} ref {r:?}: {got} vs {expected}",
                f.name
            );
            // Hypervolume of all points equals that of the first front.
            let all: Vec<usize> = (0..p.len()).collect();
            assert!(
                close(hypervolume(&p, &all, &rmin), *expected),
                "{} all",
                f.name
            );
        }
    }
}

#[test]
fn analyze_matches_pymoo() {
    for f in fixtures() {
        let names: Vec<String> = (0..f.dirs.len()).map(|j| format!("obj{j}")).collect();
        let objectives: Vec<Objective> = names
            .iter()
            .zip(&f.dirs)
            .map(|(n, &d)| Objective {
                name: n.clone(),
                direction: d,
            })
            .collect();
        let configs: Vec<Config> = f
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                Config::new(
                    format!("c{i}"),
                    names.iter().cloned().zip(row.iter().copied()),
                )
            })
            .collect();
        let (r, expected) = &f.hv[0];
        let options = Options {
            reference: Some(r.clone()),
            ..Options::default()
        };
        let a = analyze(&objectives, &configs, &options).expect("analyze");
        for (i, c) in a.configs.iter().enumerate() {
            assert_eq!(c.rank, Some(f.ranks[i]), "{} config {i}", f.name);
            let d = c.crowding_distance.expect("feasible");
            match f.crowding[i] {
                None => assert!(d.is_infinite()),
                Some(e) => assert!(close(d, e), "{} config {i}: {d} vs {e}", f.name),
            }
            assert_eq!(c.dominated_by.is_empty(), f.ranks[i] == 1, "{} {i}", f.name);
        }
        let hv = a.hypervolume.expect("hv");
        assert!(close(hv, *expected), "{}: {hv} vs {expected}", f.name);
        assert_eq!(a.fronts, fronts_from_ranks(&f.ranks));
        let knee = a.knee.expect("knee");
        assert_eq!(a.configs[knee].rank, Some(1));
    }
}
