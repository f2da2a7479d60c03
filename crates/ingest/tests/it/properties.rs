use perfstat_ingest::{InputFormat, ReadOptions, read_reader};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300), skip in any::<bool>()) {
        let opts = ReadOptions { skip_invalid: skip, ..ReadOptions::default() };
        let _ = read_reader("x", &bytes[..], &opts);
    }

    #[test]
    fn never_panics_on_csv_or_json_like_bytes(
        bytes in proptest::collection::vec(proptest::sample::select(b"{}[]\",:;|\t\n\r 0129.-eEaxn\\\xff".to_vec()), 0..200),
        format in proptest::sample::select(vec![None, Some(InputFormat::Csv), Some(InputFormat::Json), Some(InputFormat::Ndjson)]),
        skip in any::<bool>(),
    ) {
        let opts = ReadOptions { skip_invalid: skip, format, ..ReadOptions::default() };
        if let Ok(d) = read_reader("x", &bytes[..], &opts) {
            prop_assert!(d.values().all(f64::is_finite));
            prop_assert_eq!(d.len() as u64, d.rows - d.skipped);
        }
    }

    #[test]
    fn written_floats_read_back_exactly(values in proptest::collection::vec(any::<f64>().prop_filter("finite", |v| v.is_finite()), 1..200)) {
        let mut text = String::from("label,latency_ms\n");
        for v in &values {
            text.push_str(&format!("x,{v}\n"));
        }
        let d = read_reader("a.csv", text.as_bytes(), &ReadOptions::default()).unwrap();
        let got: Vec<u64> = d.values().map(f64::to_bits).collect();
        let want: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
        prop_assert_eq!(got, want);
    }
}
