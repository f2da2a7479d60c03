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
    fn never_panics_on_special_numbers_crlf_bom_and_bad_utf8(
        tokens in proptest::collection::vec(proptest::sample::select(vec![
            "1e400", "-0", "5e-324", "1.797e308", "-1.797e308", "1.7976931348623157e308", "NaN", "inf",
            "1", ",", "\n", "\r\n", "[", "]", "{", "}", ":", "\"a\"", "\"a\":", "BAD", "\"",
        ]), 0..60),
        bom in any::<bool>(),
        format in proptest::sample::select(vec![None, Some(InputFormat::Csv), Some(InputFormat::Json), Some(InputFormat::Ndjson)]),
        unit in proptest::sample::select(vec![None, Some(perfstat_ingest::Unit::Seconds)]),
        skip in any::<bool>(),
    ) {
        let mut bytes: Vec<u8> = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        for t in &tokens {
            // "BAD" stands for an invalid UTF-8 byte.
            if *t == "BAD" { bytes.push(0xff) } else { bytes.extend_from_slice(t.as_bytes()) }
        }
        let opts = ReadOptions { skip_invalid: skip, format, unit, ..ReadOptions::default() };
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
