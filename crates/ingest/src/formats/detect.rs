//! Recognising a format from the first bytes of the (decompressed) content, by structure: the first JSON
//! value is parsed (its keys, the types of some values, whether another value follows it); the first
//! delimited line is split into fields (names, or the shapes of the values when there is no header).
//! Never a byte substring alone, never the file name alone (the name decides only what the content
//! leaves open: see [`crate::read_reader`]).

use std::cell::RefCell;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{jmeter_xml, vegeta};
use crate::InputFormat;

/// Recognises a format from the first bytes of the (decompressed) content: a tool's format, or JSON vs
/// JSON Lines by content; `None` when the content leaves it open (then the name, then the first byte
/// decide).
pub(crate) fn detect(head: &[u8]) -> Option<InputFormat> {
    if let Some(format) = InputFormat::from_magic(head) {
        return Some(format);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.first() == Some(&0) {
        // Gatling ≥ 3.13 writes a binary log starting with a RUN record header (0).
        return Some(InputFormat::Gatling);
    }
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &head[start..];
    if jmeter_xml::looks_like(text) {
        return Some(InputFormat::JmeterXml);
    }
    if looks_like_hdr_log(text) {
        return Some(InputFormat::HdrLog);
    }
    match text.first() {
        Some(b'{') => detect_object(text),
        Some(b'[') => Some(detect_array(text)),
        _ => detect_delimited(first_line(text)),
    }
}

/// The top-level keys of the first JSON value of `text` (an object), as far as `text` goes, whether the
/// value was complete, and the byte offset after it.
struct FirstObject {
    keys: Vec<String>,
    /// The whole value, when it was complete and small enough to keep (k6 and vegeta lines).
    value: Option<serde_json::Map<String, Value>>,
    /// The offset just after the value, when it was complete.
    end: Option<usize>,
}

/// A seed that records an object's keys while skipping their values; the keys read before an error
/// (the head cut in the middle of a large document) are kept.
struct KeysOf<'k>(&'k RefCell<Vec<String>>);

impl<'de> DeserializeSeed<'de> for KeysOf<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeysOf<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if self.0.borrow().len() < 1000 {
                self.0.borrow_mut().push(key);
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // An array: the keys of its first element (llmperf), the rest skipped.
        if seq.next_element_seed(KeysOf(self.0))?.is_some() {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
        }
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
}

/// The keys of the first value of `text` (an object's, or an array's first element's).
fn first_object(text: &[u8]) -> FirstObject {
    let keys = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_slice(text);
    let complete = KeysOf(&keys).deserialize(&mut de).is_ok();
    let end = complete.then(|| {
        // The offset after the first value: parse it again as a stream of one.
        let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<IgnoredAny>();
        let _ = stream.next();
        stream.byte_offset()
    });
    let value = match end {
        Some(end) if end <= 64 * 1024 && text.first() == Some(&b'{') => {
            serde_json::from_slice::<serde_json::Map<String, Value>>(&text[..end]).ok()
        }
        _ => None,
    };
    FirstObject {
        keys: keys.into_inner(),
        value,
        end,
    }
}

/// A document or line starting with `{`: a tool's object by its keys, else JSON Lines when another value
/// follows the first one, else one JSON document when it spans lines; a lone one-line object is left
/// to the name (`.json`: a document, whose reader says which array to extract; else one JSON Lines
/// record).
fn detect_object(text: &[u8]) -> Option<InputFormat> {
    let first = first_object(text);
    let has = |k: &str| first.keys.iter().any(|key| key == k);
    let value = |k: &str| first.value.as_ref().and_then(|m| m.get(k));
    // k6 `--out json`: {"type": "Metric"|"Point", "data": {...}, "metric": "..."}.
    if has("type")
        && has("metric")
        && has("data")
        && matches!(
            value("type").and_then(Value::as_str),
            Some("Point" | "Metric")
        )
    {
        return Some(InputFormat::K6Json);
    }
    // vegeta `encode --to json`.
    if (has("attack") && has("seq")) || (has("latency") && has("code") && has("seq")) {
        return Some(InputFormat::VegetaJson);
    }
    // hyperfine `--export-json`: {"results": [{"command": ..., "times": [...]}, ...]}.
    if first.keys.first().map(String::as_str) == Some("results") {
        return Some(InputFormat::Hyperfine);
    }
    // oha `--output-format json`: {"summary": {...}, "latencyPercentiles": {...}, ...}.
    if super::oha::is_json_summary(&first.keys) {
        return Some(InputFormat::OhaJson);
    }
    // goose `--request-format json`: JSON Lines of its request metric's fields.
    if super::goose::is_request_log(&first.keys) {
        return Some(InputFormat::GooseJson);
    }
    if has("ttfts")
        || has("mean_ttft_ms")
        || (has("model_id") && (has("num_prompts") || has("request_rate")))
    {
        return Some(InputFormat::Vllm);
    }
    let end = match first.end {
        // Cut by the head: one large document.
        None => return Some(InputFormat::Json),
        Some(end) => end,
    };
    if text[end..].iter().any(|b| !b.is_ascii_whitespace()) {
        // Another value follows: JSON Lines (also for a `.json` name).
        Some(InputFormat::Ndjson)
    } else if text[..end].contains(&b'\n') {
        Some(InputFormat::Json)
    } else {
        None
    }
}

/// A document starting with `[`: llmperf's individual responses by the first element's keys, else JSON.
fn detect_array(text: &[u8]) -> InputFormat {
    let first = first_object(text);
    let has = |k: &str| first.keys.iter().any(|key| key == k);
    if has("ttft_s") && has("end_to_end_latency_s") {
        InputFormat::Llmperf
    } else {
        InputFormat::Json
    }
}

/// The fields of a delimited line (quotes removed, trimmed), split with the csv crate.
fn fields(line: &[u8], delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(line);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_owned())
            .collect(),
        _ => Vec::new(),
    }
}

/// A delimited first line: a tool's header by its column names, or a header-less JMeter JTL or vegeta
/// CSV by the shapes of its values.
fn detect_delimited(line: &[u8]) -> Option<InputFormat> {
    if line.starts_with(b"RUN\t") || line.starts_with(b"ASSERTION\t") {
        return Some(InputFormat::Gatling);
    }
    if super::wrk::looks_like(line) {
        return Some(InputFormat::WrkReport);
    }
    let delimiter = crate::format::sniff_delimiter(line, b',');
    let names = fields(line, delimiter);
    let has = |n: &str| names.iter().any(|f| f == n);
    let starts = |prefix: &[&str]| {
        names.len() >= prefix.len() && names.iter().zip(prefix).all(|(a, b)| a == b)
    };
    if starts(&["metric_name", "timestamp", "metric_value"]) {
        return Some(InputFormat::K6Csv);
    }
    if has("response-time") && has("DNS+dialup") {
        return Some(InputFormat::Hey);
    }
    if super::oha::is_csv_header(&names) {
        return Some(InputFormat::OhaCsv);
    }
    if super::goose::is_request_log(&names) {
        return Some(InputFormat::GooseCsv);
    }
    if delimiter == b'\t' && starts(&["starttime", "seconds", "ctime", "dtime", "ttime", "wait"]) {
        return Some(InputFormat::ApacheBench);
    }
    if starts(&["Timestamp", "User Count", "Type", "Name"]) {
        return Some(InputFormat::LocustHistory);
    }
    if has("Type")
        && has("Name")
        && has("Request Count")
        && has("Failure Count")
        && !has("Timestamp")
    {
        return Some(InputFormat::LocustStats);
    }
    if has("timeStamp") && has("elapsed") {
        return Some(InputFormat::JmeterCsv);
    }
    if super::jmeter::looks_headerless(&names) {
        return Some(InputFormat::JmeterCsv);
    }
    vegeta::looks_like_csv(line).then_some(InputFormat::VegetaCsv)
}

/// Whether `text` is an HdrHistogram interval log: its first line that is not a `#` comment is the
/// legend (`"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"`) or an
/// interval (`start,length,max,HIST...`, optionally after `Tag=...,`).
fn looks_like_hdr_log(text: &[u8]) -> bool {
    let Some(line) = text
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l).trim_ascii())
        .find(|l| !l.is_empty() && !l.starts_with(b"#"))
    else {
        return false;
    };
    let fields = fields(line, b',');
    if fields.first().map(String::as_str) == Some("StartTimestamp")
        && fields.iter().any(|f| f == "Interval_Compressed_Histogram")
    {
        return true;
    }
    let fields: Vec<&String> = fields
        .iter()
        .skip_while(|f| f.starts_with("Tag="))
        .collect();
    fields.len() == 4
        && fields[..3].iter().all(|f| f.parse::<f64>().is_ok())
        && fields[3].starts_with("HIST")
}

/// The first line of `text` (without its line end).
fn first_line(text: &[u8]) -> &[u8] {
    let line = match memchr::memchr(b'\n', text) {
        Some(end) => &text[..end],
        None => text,
    };
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_json_lines_by_content() {
        assert_eq!(
            detect(b"{\"a\": 1}\n{\"a\": 2}\n"),
            Some(InputFormat::Ndjson)
        );
        assert_eq!(detect(b"{\"a\": 1}"), None);
        assert_eq!(
            detect(b"{\n  \"values\": [1, 2]\n}\n"),
            Some(InputFormat::Json)
        );
        assert_eq!(detect(b"[1, 2]"), Some(InputFormat::Json));
        // A document cut by the head is one document.
        assert_eq!(detect(b"{\"values\": [1, 2, 3"), Some(InputFormat::Json));
    }

    #[test]
    fn tools_by_keys_whatever_the_spacing_and_order() {
        let k6 =
            br#"{ "metric" : "http_reqs", "data" : {"name": "http_reqs"}, "type" : "Metric" }"#;
        assert_eq!(detect(k6), Some(InputFormat::K6Json));
        // The literal bytes alone are not enough: a string holding them is not a k6 line.
        assert_eq!(detect(br#"{"note": "\"type\":\"Point\""}"#), None);
        assert_eq!(
            detect(b"{\n \"results\" : [ {\"command\": \"a\", \"times\": [1]} ] }"),
            Some(InputFormat::Hyperfine)
        );
        assert_eq!(
            detect(b"[ {\"end_to_end_latency_s\": 1, \"ttft_s\": 0.1} ]"),
            Some(InputFormat::Llmperf)
        );
        // oha's summary by its top-level keys, cut by the head or not.
        let oha =
            b"{\n \"statusCodeDistribution\" : {\"200\": 3},\n \"summary\": {\"total\": 1},\n \
                    \"latencyPercentiles\": {\"p50\": 0.01";
        assert_eq!(detect(oha), Some(InputFormat::OhaJson));
        // goose's JSON lines in goose's (alphabetical) key order or another.
        let goose = br#"{"user":0,"update":false,"success":true,"status_code":200,"response_time":5,"name":"/a","error":"","elapsed":0,"coordinated_omission_elapsed":0}"#;
        assert_eq!(detect(goose), Some(InputFormat::GooseJson));
    }

    #[test]
    fn oha_and_goose_headers() {
        assert_eq!(
            detect(b"request-start,DNS,DNS+dialup,Response-delay,request-duration,bytes,status\n"),
            Some(InputFormat::OhaCsv)
        );
        // The first CSV builds had no Response-delay.
        assert_eq!(
            detect(b"request-start,DNS,DNS+dialup,request-duration,bytes,status\n"),
            Some(InputFormat::OhaCsv)
        );
        assert_eq!(
            detect(b"response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n"),
            Some(InputFormat::Hey)
        );
        let goose =
            b"elapsed,scenario_index,scenario_name,transaction_index,transaction_name,raw,name,\
                      final_url,redirected,response_time,status_code,success,update,user,error,\
                      coordinated_omission_elapsed,user_cadence\n";
        assert_eq!(detect(goose), Some(InputFormat::GooseCsv));
        // Some of goose's fields are not its header.
        assert_eq!(
            detect(b"elapsed,name,response_time,status_code\n1,a,2,200\n"),
            None
        );
    }
}
