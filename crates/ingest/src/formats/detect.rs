//! Recognising a tool's format from the first bytes of its content.

use super::{jmeter_xml, vegeta};
use crate::InputFormat;

/// Recognises a tool's format from the first bytes of the (decompressed) content; `None` for anything
/// else (then the generic formats apply).
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
    let line = first_line(text);
    if jmeter_xml::looks_like(text) {
        return Some(InputFormat::JmeterXml);
    }
    if line.starts_with(b"RUN\t") || line.starts_with(b"ASSERTION\t") {
        return Some(InputFormat::Gatling);
    }
    let has = |hay: &[u8], needle: &str| memchr::memmem::find(hay, needle.as_bytes()).is_some();
    match text.first() {
        Some(b'{') => {
            if has(line, r#""type":"Point""#) || has(line, r#""type":"Metric""#) {
                return Some(InputFormat::K6Json);
            }
            if line.starts_with(br#"{"attack":"#)
                || (has(line, r#""latency":"#) && has(line, r#""code":"#) && has(line, r#""seq":"#))
            {
                return Some(InputFormat::VegetaJson);
            }
            let after = text[1..].trim_ascii_start();
            if after.starts_with(br#""results""#) && has(text, r#""command""#) {
                return Some(InputFormat::Hyperfine);
            }
            if has(text, r#""ttfts""#)
                || has(text, r#""mean_ttft_ms""#)
                || (has(text, r#""model_id""#)
                    && (has(text, r#""num_prompts""#) || has(text, r#""request_rate""#)))
            {
                return Some(InputFormat::Vllm);
            }
            None
        }
        Some(b'[') => {
            let first = match memchr::memchr(b'}', text) {
                Some(end) => &text[..end],
                None => text,
            };
            (has(first, r#""ttft_s""#) && has(first, r#""end_to_end_latency_s""#))
                .then_some(InputFormat::Llmperf)
        }
        _ => {
            if line.starts_with(b"metric_name,timestamp,metric_value") {
                return Some(InputFormat::K6Csv);
            }
            if line.starts_with(b"response-time,DNS+dialup") {
                return Some(InputFormat::Hey);
            }
            if line.starts_with(b"starttime\tseconds\tctime\tdtime\tttime\twait") {
                return Some(InputFormat::ApacheBench);
            }
            if line.starts_with(b"Timestamp,User Count,Type,Name,") {
                return Some(InputFormat::LocustHistory);
            }
            let delimiter = crate::format::sniff_delimiter(line, b',');
            let fields: Vec<&[u8]> = line
                .split(|&b| b == delimiter)
                .map(|f| {
                    let f = f.trim_ascii();
                    let f = f.strip_prefix(b"\"").unwrap_or(f);
                    f.strip_suffix(b"\"").unwrap_or(f)
                })
                .collect();
            if fields.contains(&&b"timeStamp"[..]) && fields.contains(&&b"elapsed"[..]) {
                return Some(InputFormat::JmeterCsv);
            }
            vegeta::looks_like_csv(line).then_some(InputFormat::VegetaCsv)
        }
    }
}

/// The first line of `text` (without its line end).
fn first_line(text: &[u8]) -> &[u8] {
    let line = match memchr::memchr(b'\n', text) {
        Some(end) => &text[..end],
        None => text,
    };
    line.strip_suffix(b"\r").unwrap_or(line)
}
