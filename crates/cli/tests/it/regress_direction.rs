//! `ab`, `regress` and `pareto` read a metric's direction from the one table
//! (`Direction::from_name`): 0.9 → 0.8 of a higher-is-better name is worse in all three.
//! (`capacity` infers no direction from a name: its objectives say theirs, `p95<=…`,
//! `throughput>=…`, `error_rate<=…`.)

use std::ffi::OsStr;

use serde_json::Value;

use crate::util::{Inputs, perfstat};

fn json(args: &[&OsStr]) -> (i32, Value) {
    let out = perfstat()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap(), doc)
}

#[test]
fn ab_regress_and_pareto_agree_that_a_drop_of_a_rate_of_successes_is_worse() {
    let i = Inputs::new();
    for name in ["hit_rate", "success_rate", "f1", "bleu"] {
        // ab: 200 values around 0.9 against 200 around 0.8.
        let arm = |level: f64| {
            let mut csv = format!("{name}\n");
            for k in 0..200 {
                csv.push_str(&format!("{}\n", level + f64::from(k % 5) * 0.002));
            }
            csv
        };
        let control = i.file("control.csv", arm(0.9));
        let treatment = i.file("treatment.csv", arm(0.8));
        let (_, ab) = json(&[OsStr::new("ab"), control.as_os_str(), treatment.as_os_str()]);
        assert_eq!(ab["direction"], "higher_is_better", "ab {name}");
        assert_eq!(
            ab["direction_source"], "inferred from the metric name",
            "ab {name}"
        );
        let verdict = ab["comparison"]["verdict"].as_str();
        assert_eq!(
            verdict,
            Some("regressed"),
            "ab {name}: {}",
            ab["comparison"]
        );

        // regress: eight nights at 0.9, tonight 0.8.
        let mut h = format!("night,{name}\n");
        for k in 0..8 {
            h.push_str(&format!("{k},{}\n", 0.9 + f64::from(k % 3) * 0.002));
        }
        h.push_str("8,0.8\n");
        let h = i.file("h.csv", h);
        let (code, rg) = json(&[OsStr::new("regress"), h.as_os_str()]);
        let m = &rg["metrics"][0];
        assert_eq!(m["direction"], "higher_is_better", "regress {name}");
        assert_eq!(m["direction_source"], "inferred", "regress {name}");
        assert_eq!(m["status"], "regression", "regress {name}");
        assert_eq!(code, 1, "regress {name}");

        // pareto: the objective without `:min`/`:max`; the config at 0.8 is dominated.
        let configs = i.file("configs.csv", format!("id,{name},cost\nA,0.9,1\nB,0.8,1\n"));
        let objective = format!("--objective={name}");
        let (code, pa) = json(&[
            OsStr::new("pareto"),
            configs.as_os_str(),
            OsStr::new(&objective),
            OsStr::new("--objective=cost"),
        ]);
        assert_eq!(code, 0, "pareto {name}");
        assert_eq!(pa["objectives"][0]["direction"], "max", "pareto {name}");
        let b = &pa["configs"][1];
        assert_eq!(
            (&b["id"], &b["rank"]),
            (&"B".into(), &2.into()),
            "pareto {name}: {b}"
        );
        assert_eq!(b["dominated_by"], serde_json::json!(["A"]), "pareto {name}");
    }
}
