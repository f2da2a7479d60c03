//! Exact positions: numbers out of range, errors at a line end, long tokens, CRLF.

use crate::{error, read};

#[test]
fn out_of_range_number_is_at_its_first_character() {
    // Case 16: 1e400 is on line 4; serde_json says line 5, column 0.
    assert_eq!(
        error("j.json", "[\n1,\n3,\n1e400\n]\n"),
        "j.json:4:1: number out of range"
    );
    assert_eq!(
        error("j.json", "[1, 2,  -1e400, 3]"),
        "j.json:1:9: number out of range"
    );
    assert_eq!(
        error("j.json", "[{\"a\": 1},\n {\"a\": 1e999}]"),
        "j.json:2:8: number out of range"
    );
    // CRLF line ends count the same.
    assert_eq!(
        error("j.json", "[\r\n1,\r\n3,\r\n1e400\r\n]\r\n"),
        "j.json:4:1: number out of range"
    );
    // NDJSON: the line's own text.
    assert_eq!(
        error("j.ndjson", "{\"a\": 1}\n{\"a\": 1e400}\n"),
        "j.ndjson:2:7: number out of range"
    );
    assert_eq!(
        error("j.ndjson", "1\n2\n1e400\n"),
        "j.ndjson:3:1: number out of range"
    );
}

#[test]
fn special_numbers_are_read_or_named() {
    let d = read("j.json", "[-0, 5e-324, 1.7976931348623157e308, -1.797e308]").unwrap();
    let v: Vec<f64> = d.values().collect();
    assert_eq!(v, [-0.0, 5e-324, f64::MAX, -1.797e308]);
    assert!(v[0].is_sign_negative());
    let d = read("j.csv", "x\n-0\n5e-324\n1.797e308\n").unwrap();
    assert_eq!(d.values().collect::<Vec<_>>(), [-0.0, 5e-324, 1.797e308]);
}

#[test]
fn errors_at_a_line_end_are_on_that_line() {
    // An unterminated array: the end of the input, after the last line's last character.
    assert_eq!(
        error("j.json", "[\n1,\n2"),
        "j.json:3:1: EOF while parsing a list"
    );
    assert_eq!(
        error("j.json", "[\n1,\n22\r\n"),
        "j.json:3:3: EOF while parsing a list"
    );
}
