//! Runnable examples of the perfstat library crates; see the `[[example]]`
//! entries of this package. `cargo test --workspace` compiles them, and the
//! tests below run each one on the shipped data.
#![allow(clippy::print_stdout)]

#[cfg(test)]
mod tests {
    use std::process::Command;

    fn run(example: &str, args: &[&str]) -> String {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let out = Command::new(env!("CARGO"))
            .current_dir(root)
            .args([
                "run",
                "--quiet",
                "-p",
                "perfstat-examples",
                "--example",
                example,
                "--",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn examples_run_on_the_shipped_data() {
        let d = run("describe_file", &["data/run.csv", "latency_ms"]);
        assert!(d.contains("n = 3000"), "{d}");
        let ab = run("ab_compare", &["data/control.csv", "data/treatment.csv"]);
        assert!(ab.contains("verdict: improved"), "{ab}");
        let p = run("pareto_front", &[]);
        assert!(p.contains("front: a, b"), "{p}");
    }
}
