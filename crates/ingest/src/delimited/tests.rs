//! The fast path against the csv reader: the same datasets and the same errors.

use proptest::prelude::*;

use super::*;
use crate::table::is_missing;

/// Reads `text` on the fast path with tiny blocks and pieces, and with the csv reader alone; both
/// results, errors as their messages.
fn both(
    text: &[u8],
    opts: &ReadOptions,
    block: usize,
    piece: usize,
) -> (
    std::result::Result<Dataset, String>,
    std::result::Result<Dataset, String>,
) {
    let fast = read_fast("t.csv", text, b',', opts, block, piece).map_err(|e| e.to_string());
    let csv = read_csv("t.csv", text, b',', opts).map_err(|e| e.to_string());
    (fast, csv)
}

/// Asserts that the fast path and the csv reader agree on `text` for several block sizes; returns
/// the result.
fn same(text: &str, opts: &ReadOptions) -> std::result::Result<Dataset, String> {
    let mut last = None;
    for (block, piece) in [(BLOCK_BYTES, PIECE_BYTES), (64, 16), (16, 4), (3, 1)] {
        let (fast, csv) = both(text.as_bytes(), opts, block, piece);
        assert_eq!(fast, csv, "block {block}, piece {piece}: {text:?}");
        last = Some(fast);
    }
    last.unwrap_or_else(|| Err(String::new()))
}

fn metric(name: &str) -> ReadOptions {
    ReadOptions {
        metric: Some(name.to_owned()),
        ..ReadOptions::default()
    }
}

/// 200 rows `i,i.5,label` (labels a, b, c in turn), with `row` replaced by `bad`.
fn rows_with(row: usize, bad: &str) -> String {
    let mut text = String::from("t,latency_ms,label\n");
    for i in 0..200 {
        if i == row {
            text.push_str(bad);
        } else {
            text.push_str(&format!("{i},{i}.5,{}\n", ["a", "b", "c"][i % 3]));
        }
    }
    text
}

#[test]
fn a_bad_cell_in_a_later_piece_names_its_line() {
    let text = rows_with(150, "150,oops,a\n");
    for (block, piece) in [(BLOCK_BYTES, 64), (512, 64), (64, 16)] {
        let (fast, csv) = both(text.as_bytes(), &metric("latency_ms"), block, piece);
        assert_eq!(fast, csv);
        assert_eq!(
            fast.unwrap_err(),
            r#"t.csv:152:2: expected a number in column "latency_ms", found "oops""#
        );
    }
}

#[test]
fn a_late_quote_hands_the_rest_to_the_csv_reader() {
    // The quoted field holds the delimiter and a newline; the row after it is bad.
    let mut text = rows_with(180, "180,7,\"a,\nb\"\n");
    text.push_str("x,y,z\n");
    let err = same(&text, &metric("latency_ms")).unwrap_err();
    assert!(err.starts_with("t.csv:203:2: "), "{err}");
    let mut text = rows_with(180, "180,\"7.25\",\"a\"\n");
    text.push_str("\n\n201,2,b\n");
    let d = same(&text, &metric("latency_ms")).unwrap();
    assert_eq!(d.rows, 201);
    assert_eq!(d.groups[0].values[180], 7.25);
    let by = ReadOptions {
        by: Some("label".into()),
        ..metric("latency_ms")
    };
    let d = same(&text, &by).unwrap();
    assert_eq!(d.groups.len(), 3);
}

#[test]
fn crlf_missing_cells_last_line_and_blank_lines() {
    assert_eq!(
        same("a,b\r\n1,2\r\n\r\n3,4\r\n", &metric("b")).unwrap_err(),
        "t.csv:3: expected 2 fields as in the header, found 1"
    );
    let d = same("a,b\r\n1,2\r\n3,4\r\n", &metric("b")).unwrap();
    assert_eq!(d.groups[0].values, [2.0, 4.0]);
    for cell in ["", "NA", "N/A", "null", "None", "NaN", "-", " na "] {
        assert!(is_missing(cell));
        let text = format!("a,b\n1,2\n\n\n3,{cell}\n5,6");
        let err = same(&text, &metric("b")).unwrap_err();
        // csv's line of a record is the line after the previous record: blank lines count to it.
        assert!(err.starts_with("t.csv:3:2: "), "{cell:?}: {err}");
        let skipping = ReadOptions {
            skip_invalid: true,
            ..metric("b")
        };
        let d = same(&text, &skipping).unwrap();
        assert_eq!((d.rows, d.skipped), (3, 1));
        assert_eq!(d.groups[0].values, [2.0, 6.0]);
    }
}

#[test]
fn empty_header_only_and_headerless() {
    for text in ["", "\n\n"] {
        let err = same(text, &ReadOptions::default()).unwrap_err();
        assert_eq!(err, "t.csv: no data: file is empty");
    }
    for text in ["a,b\n", "a,b", "\n\na,b\n\n"] {
        let err = same(text, &metric("b")).unwrap_err();
        assert!(err.contains("no data rows"), "{err}");
        let err = same(text, &ReadOptions::default()).unwrap_err();
        assert!(err.contains("no data rows"), "{err}");
    }
    let d = same("\n1.5\n2\n\n3", &ReadOptions::default()).unwrap();
    assert_eq!(d.groups[0].values, [1.5, 2.0, 3.0]);
    assert_eq!(d.metric, "value");
}

#[test]
fn the_metric_sample_and_its_fallbacks() {
    // Chosen from the first rows; a quote in the sample, or a sample longer than the first block,
    // reads with the csv reader.
    let text = rows_with(500, "");
    let d = same(&text, &ReadOptions::default()).unwrap();
    assert_eq!(d.metric, "latency_ms");
    assert!(d.metric_choice.is_some());
    let d = same(&rows_with(3, "3,\"3.5\",a\n"), &ReadOptions::default()).unwrap();
    assert_eq!(d.groups[0].values[3], 3.5);
}

#[test]
fn read_errors_come_after_the_lines_before_them() {
    /// `text`, then an error.
    struct Failing<'a>(&'a [u8]);
    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("disk on fire"));
            }
            let n = self.0.len().min(buf.len()).min(7);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    for text in [
        &b"a,b\n1,2\n3,4\n5,"[..],
        b"a,b\n1,2\n3,x\n5,",
        b"a,b\n1,2\n3,4\n",
    ] {
        for (block, piece) in [(BLOCK_BYTES, PIECE_BYTES), (8, 2), (3, 1)] {
            let fast = read_fast("t.csv", Failing(text), b',', &metric("b"), block, piece)
                .map_err(|e| e.to_string());
            let csv =
                read_csv("t.csv", Failing(text), b',', &metric("b")).map_err(|e| e.to_string());
            assert_eq!(fast, csv);
            assert!(fast.is_err());
        }
    }
}

#[test]
fn parallel_pieces_keep_groups_in_first_appearance_order() {
    let mut text = String::from("latency_ms,label\n");
    for i in 0..5000 {
        let label = if i < 4000 {
            ["x", "y"][i % 2]
        } else {
            ["z", "x", "w"][i % 3]
        };
        text.push_str(&format!("{i},{label}\n"));
    }
    let by = ReadOptions {
        by: Some("label".into()),
        ..metric("latency_ms")
    };
    for (block, piece) in [(BLOCK_BYTES, 256), (4096, 100)] {
        let (fast, csv) = both(text.as_bytes(), &by, block, piece);
        assert_eq!(fast, csv);
        let d = fast.unwrap();
        let labels: Vec<_> = d
            .groups
            .iter()
            .map(|g| g.label.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(labels, ["x", "y", "w", "z"]);
    }
}

/// A cell of a random file: numbers, missing cells, text, quotes, CR, stray delimiters and newlines.
fn cell() -> impl Strategy<Value = String> {
    proptest::sample::select(vec![
        "1", "2.5", "-3e2", " 4 ", "", "NA", "n/a", "null", "None", "NaN", "-", "inf", "x", "lbl",
        "\"q\"", "\"a,b\"", "\"1\n2\"", "\"\"\"\"", "a\"b", "\r", "1\r", ",", "\n", "\r\n",
        "\u{e9}",
    ])
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_fast_path_reads_as_the_csv_reader(
        header in proptest::sample::select(vec!["a,b,c\n", "a,b\n", "v\n", "a,\"b\",c\n", "", "\n", "a,b,c\r\n"]),
        lines in proptest::collection::vec(proptest::collection::vec(cell(), 0..5), 0..30),
        last_newline in any::<bool>(),
        skip in any::<bool>(),
        named in proptest::sample::select(vec![None, Some("b"), Some("a"), Some("v")]),
        by in proptest::sample::select(vec![None, Some("c"), Some("a")]),
        unit in proptest::sample::select(vec![None, Some(crate::Unit::Seconds)]),
        block in 1usize..64,
        piece in 1usize..16,
        bad_utf8 in any::<bool>(),
    ) {
        let mut text = header.as_bytes().to_vec();
        for line in &lines {
            text.extend_from_slice(line.join(",").as_bytes());
            text.push(b'\n');
        }
        if !last_newline {
            text.pop();
        }
        if bad_utf8 && text.len() > 3 {
            let at = text.len() / 2;
            text[at] = 0xff;
        }
        let opts = ReadOptions {
            metric: named.map(str::to_owned),
            by: by.map(str::to_owned),
            skip_invalid: skip,
            unit,
            ..ReadOptions::default()
        };
        let (fast, csv) = both(&text, &opts, block, piece);
        prop_assert_eq!(fast, csv);
    }
}
