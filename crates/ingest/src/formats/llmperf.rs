//! llmperf `*_individual_responses.json`: an array of per-request objects, times in seconds (→ ms).
//! Metrics: `e2el` (default, `end_to_end_latency_s`), `ttft` (`ttft_s`), `itl` (`inter_token_latency_s`,
//! which llmperf computes as e2e / output tokens), all in ms (`e2el_ms`, `ttft_ms`, `itl_ms` too);
//! `output_tokens_per_s` (`request_output_throughput_token_per_s`, tokens/s); or any other numeric key as
//! written (no unit). A request with an `error_code` or `error_msg` failed.
//! There are no timestamps.

use std::io::Read;

use serde_json::Value;

use super::{Request, Sink, json_error, read_all, resolve_by, scale_f64};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Result},
};

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::Llmperf;
    let requested = opts.metric.as_deref().unwrap_or("e2el");
    let (key, short, time) = match requested.to_ascii_lowercase().as_str() {
        "e2el" | "e2el_ms" | "latency" | "end_to_end_latency_s" => {
            ("end_to_end_latency_s", "e2el", true)
        }
        "ttft" | "ttft_ms" | "ttft_s" => ("ttft_s", "ttft", true),
        "itl" | "itl_ms" | "inter_token_latency_s" => ("inter_token_latency_s", "itl", true),
        "output_tokens_per_s" | "tokens_per_s" | "tokens/s" => (
            "request_output_throughput_token_per_s",
            "output_tokens_per_s",
            false,
        ),
        _ => (requested, requested, false),
    };
    let unit = if time {
        Some("ms")
    } else if short == "output_tokens_per_s" {
        Some("tokens/s")
    } else {
        None
    };
    let (by, _) = resolve_by(opts, false, false, &[]).map_err(|k| Error::new(name, None, k))?;
    let bytes = read_all(name, reader)?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| json_error(name, e, &bytes))?;
    drop(bytes);
    let Value::Array(items) = value else {
        return Err(super::not_format(
            name,
            None,
            format,
            "expected a JSON array of per-request objects".to_owned(),
        ));
    };
    let mut sink = Sink::new(name, format, opts, by);
    for (i, item) in items.iter().enumerate() {
        let Value::Object(obj) = item else {
            return Err(super::not_format(
                name,
                None,
                format,
                format!("element {} is not an object", i + 1),
            ));
        };
        if i == 0 && !obj.contains_key("end_to_end_latency_s") && !obj.contains_key("ttft_s") {
            return Err(super::not_format(
                name,
                None,
                format,
                "no \"end_to_end_latency_s\" or \"ttft_s\" in the first record".to_owned(),
            ));
        }
        let code = obj.get("error_code").filter(|v| !v.is_null());
        let msg = obj
            .get("error_msg")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let ok = code.is_none() && msg.is_empty();
        let status = code
            .and_then(|c| c.as_u64().or_else(|| c.as_str()?.parse().ok()))
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(0);
        let v = obj.get(key).and_then(|v| {
            v.as_f64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        });
        let v = match v.filter(|v| v.is_finite()) {
            Some(v) => v,
            None if !ok => f64::NAN,
            None => {
                let available = obj
                    .iter()
                    .filter(|(_, v)| v.is_number())
                    .map(|(k, _)| k.clone())
                    .collect();
                let kind = if i == 0 && !obj.contains_key(key) {
                    ErrorKind::UnknownMetric {
                        name: requested.to_owned(),
                        available,
                    }
                } else {
                    ErrorKind::MissingField {
                        name: format!("{key} (record {})", i + 1),
                    }
                };
                let e = Error::new(name, None, kind);
                sink.fail(e)?;
                continue;
            }
        };
        let value = if time { scale_f64(v, 3) } else { v };
        if v.is_finite() && value.is_infinite() {
            let kind = ErrorKind::Overflow {
                column: format!("{key} (record {})", i + 1),
                found: format!("{v:e}"),
            };
            sink.fail(Error::row_unplaced(name, kind))?;
            continue;
        }
        let values: &[f64] = if value.is_finite() { &[value] } else { &[] };
        let r = Request {
            latency: value,
            ok,
            status,
            message: msg.as_bytes(),
            ..Request::default()
        };
        sink.push_many(&r, values, b"", 0)?;
    }
    sink.finish(short.to_owned(), unit)
}
