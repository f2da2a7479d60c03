//! wrk's text report (`wrk --latency`): aggregates only — thread statistics, four latency percentiles,
//! totals. It holds no latency per request, so reading it is an error that says what it does hold (the
//! report's own figures) and what would give per-request values.

use std::io::Read;

use super::read_all_limited;
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Result},
};

/// Whether the first line is wrk's `Running 2s test @ URL`.
pub(crate) fn looks_like(line: &[u8]) -> bool {
    let words: Vec<&[u8]> = line
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    words.len() >= 5 && words[0] == b"Running" && words[2] == b"test" && words[3] == b"@"
}

pub(crate) fn read<R: Read>(name: &str, reader: R, _opts: &ReadOptions) -> Result<Dataset> {
    let bytes = read_all_limited(name, reader, 1 << 20)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut facts: Vec<String> = Vec::new();
    let mut percentiles: Vec<String> = Vec::new();
    let mut in_distribution = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("Latency Distribution") {
            in_distribution = true;
            continue;
        }
        if in_distribution {
            if let Some((p, v)) = line.split_once(char::is_whitespace)
                && p.ends_with('%')
            {
                percentiles.push(format!("p{} {}", p.trim_end_matches('%'), v.trim()));
                continue;
            }
            in_distribution = false;
        }
        if line.contains(" requests in ") {
            facts.push(line.split(',').next().unwrap_or(line).to_owned());
        } else if let Some(n) = line.strip_prefix("Non-2xx or 3xx responses:") {
            facts.push(format!("{} non-2xx/3xx responses", n.trim()));
        } else if line.starts_with("Socket errors:") {
            facts.push(line.to_owned());
        } else if let Some(r) = line.strip_prefix("Requests/sec:") {
            facts.push(format!("{} requests/s", r.trim()));
        }
    }
    if !percentiles.is_empty() {
        facts.push(format!("latency {}", percentiles.join(", ")));
    }
    Err(Error::new(
        name,
        None,
        ErrorKind::AggregateOnly {
            format: InputFormat::WrkReport,
            hint: format!(
                "wrk's report holds aggregates only ({}), not one latency per request, so percentiles \
                 with intervals and tests cannot be computed from it; record per-request latencies \
                 (wrk2's HdrHistogram log, read as an interval log, or a wrk Lua response() hook \
                 writing each latency)",
                if facts.is_empty() {
                    "no figures found".to_owned()
                } else {
                    facts.join("; ")
                }
            ),
        },
    ))
}
