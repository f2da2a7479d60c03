//! Load-test formats through the CLI: units normalised, failures reported, format errors.

use serde_json::Value;

use crate::util::{Inputs, input_error, perfstat};

fn describe_json(args: &[&std::ffi::OsStr]) -> (Value, String) {
    let out = perfstat()
        .arg("describe")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "stderr: {stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

/// The same latencies (ms) written by JMeter (ms), hey (s) and vegeta (ns) describe identically.
#[test]
fn same_latencies_in_three_units_describe_identically() {
    let ms = [12, 15, 7, 230, 41, 18, 22, 9, 64, 31, 17, 20];
    let mut jmeter = String::from("timeStamp,elapsed,label,responseCode,success\n");
    let mut hey = String::from(
        "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n",
    );
    let mut vegeta = String::new();
    for (i, v) in ms.iter().enumerate() {
        jmeter.push_str(&format!(
            "{},{v},a,200,true\n",
            1_741_944_413_000u64 + i as u64
        ));
        hey.push_str(&format!(
            "{:.4},0,0,0,0,0,200,{i}\n",
            f64::from(*v) / 1000.0
        ));
        vegeta.push_str(&format!(
            "{},200,{v}000000,0,0,,,,{i},GET,http://x/a,\n",
            1_741_944_413_000_000_000u64 + i as u64
        ));
    }
    // One failure each, excluded by default.
    jmeter.push_str("1741944414000,999,a,500,false\n");
    hey.push_str("0.9990,0,0,0,0,0,500,1\n");
    vegeta.push_str(
        "1741944414000000000,500,999000000,0,0,500 Internal Server Error,,,12,GET,http://x/a,\n",
    );
    let inputs = Inputs::new();
    let files = [
        inputs.file("run.jtl", jmeter),
        inputs.file("hey.csv", hey),
        inputs.file("vegeta.csv", vegeta),
    ];
    let mut samples = Vec::new();
    for (file, format) in files.iter().zip(["jmeter-csv", "hey", "vegeta-csv"]) {
        let (doc, stderr) = describe_json(&[file.as_os_str()]);
        assert!(
            stderr.contains(&format!("({format}): 13 requests, 1 failed, excluded")),
            "{stderr}"
        );
        let input = &doc["inputs"][0];
        assert_eq!(input["format"], format);
        assert_eq!(input["unit"], "ms");
        assert_eq!(input["requests"], 13);
        assert_eq!(input["failures"], 1);
        assert_eq!(input["failures_by"][0]["kind"], "HTTP 500");
        let rate = &input["error_rate"];
        assert!((rate["value"].as_f64().unwrap() - 1.0 / 13.0).abs() < 1e-15);
        assert!(rate["lower"].as_f64().unwrap() < rate["upper"].as_f64().unwrap());
        let mut sample = doc["samples"][0].clone();
        assert_eq!(sample["n"], 12);
        sample["source"] = Value::Null;
        samples.push(sample);
    }
    assert_eq!(samples[0], samples[1]);
    assert_eq!(samples[0], samples[2]);

    // --include-failures keeps the failed request.
    let (doc, _) = describe_json(&[files[0].as_os_str(), "--include-failures".as_ref()]);
    assert_eq!(doc["samples"][0]["n"], 13);
    assert_eq!(doc["inputs"][0]["failures_included"], true);
}

#[test]
fn generic_files_take_a_unit_and_keep_their_shape() {
    let inputs = Inputs::new();
    let file = inputs.file("t.csv", "latency\n0.012\n0.015\n0.007\n");
    let (doc, _) = describe_json(&[file.as_os_str(), "--unit".as_ref(), "s".as_ref()]);
    assert_eq!(doc["samples"][0]["min"], 7.0);
    assert_eq!(doc["inputs"][0]["unit"], "ms");
    assert!(doc["inputs"][0].get("requests").is_none());
    assert!(doc["inputs"][0].get("format").is_none());
}

#[test]
fn forced_wrong_format_is_an_input_error() {
    let inputs = Inputs::new();
    let file = inputs.file("t.csv", "latency\n12\n15\n");
    let stderr = input_error(&[
        "describe".as_ref(),
        file.as_os_str(),
        "--input-format".as_ref(),
        "jmeter-csv".as_ref(),
    ]);
    assert!(stderr.contains("not a JMeter JTL CSV file"), "{stderr}");
    assert!(stderr.contains("--input-format"), "{stderr}");
    let stderr = input_error(&[
        "describe".as_ref(),
        file.as_os_str(),
        "--input-format".as_ref(),
        "xlsx".as_ref(),
    ]);
    assert!(stderr.contains("unknown input format"), "{stderr}");
}

#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_says_how_to_get_it() {
    let inputs = Inputs::new();
    let file = inputs.file("t.csv", "latency\n12\n15\n");
    let stderr = input_error(&[
        "describe".as_ref(),
        file.as_os_str(),
        "--input-format".as_ref(),
        "parquet".as_ref(),
    ]);
    assert!(stderr.contains("built without Parquet support"), "{stderr}");
    assert!(stderr.contains("--features parquet"), "{stderr}");
}
