//! vLLM benchmark result JSON (`benchmarks/benchmark_serving.py --save-result`, `vllm bench serve
//! --save-result [--save-detailed]`); several objects one after another (`--append-result`) are read in
//! turn.
//!
//! Per-request arrays (seconds → ms) give the metrics: `e2el` (default: `latencies`, or `ttft + sum(itl)`
//! in the legacy script, which has no latency array), `ttft`, `itl` (every inter-chunk gap) and `tpot`
//! (`(latency − ttft) / (output_len − 1)`), all in ms (`ttft_ms`, `itl_ms`, `tpot_ms`, `e2el_ms` are the
//! same metrics), and `output_tokens_per_s` (`output_len / latency` of each request, tokens/s; also
//! `tokens_per_s`). A request failed when its `errors` entry is not empty. Without
//! the arrays only aggregates (`mean_ttft_ms`, ...) remain, and the error says so.

use std::io::Read;

use serde_json::Value;

use super::{By, Request, Sink, json_error, read_all, resolve_by, scale_f64};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Result},
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Metric {
    E2el,
    Ttft,
    Itl,
    Tpot,
    /// Output tokens per second of each request.
    Tokens,
}

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::Vllm;
    let metric = match opts
        .metric
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("e2el" | "e2el_ms" | "latency" | "latencies" | "e2e") => Metric::E2el,
        Some("ttft" | "ttft_ms" | "ttfts") => Metric::Ttft,
        Some("itl" | "itl_ms" | "itls") => Metric::Itl,
        Some("tpot" | "tpot_ms") => Metric::Tpot,
        Some("output_tokens_per_s" | "tokens_per_s" | "tokens/s") => Metric::Tokens,
        Some(_) => {
            return Err(Error::new(
                name,
                None,
                ErrorKind::UnknownMetric {
                    name: opts.metric.clone().unwrap_or_default(),
                    available: ["e2el", "ttft", "itl", "tpot", "output_tokens_per_s"]
                        .map(str::to_owned)
                        .to_vec(),
                },
            ));
        }
    };
    let (by, _) = resolve_by(opts, true, false, &[]).map_err(|k| Error::new(name, None, k))?;
    let bytes = read_all(name, reader)?;
    let mut sink = Sink::new(name, format, opts, by);
    let mut objects = 0;
    let mut span_end = 0.0f64;
    let mut stream = serde_json::Deserializer::from_slice(&bytes).into_iter::<Value>();
    for value in stream.by_ref() {
        let value = value.map_err(|e| json_error(name, e, &bytes))?;
        let Value::Object(obj) = value else {
            return Err(super::not_format(
                name,
                None,
                format,
                "expected a JSON object".to_owned(),
            ));
        };
        objects += 1;
        let floats = |key: &str| -> Option<Vec<f64>> {
            obj.get(key)?
                .as_array()?
                .iter()
                .map(|v| v.as_f64().or_else(|| v.is_null().then_some(f64::NAN)))
                .collect()
        };
        let ttfts = floats("ttfts");
        let latencies = floats("latencies");
        let itls: Option<Vec<Vec<f64>>> = obj.get("itls").and_then(Value::as_array).map(|a| {
            a.iter()
                .map(|r| {
                    r.as_array()
                        .map(|g| g.iter().filter_map(Value::as_f64).collect())
                        .unwrap_or_default()
                })
                .collect()
        });
        let output_lens = floats("output_lens");
        let starts = floats("start_times");
        let errors: Vec<String> = obj
            .get("errors")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|e| e.as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        let label = obj
            .get("model_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        // e2e latency per request, in seconds.
        let e2el: Option<Vec<f64>> = latencies.clone().or_else(|| {
            let (t, i) = (ttfts.as_ref()?, itls.as_ref()?);
            Some(
                t.iter()
                    .zip(i)
                    .map(|(t, gaps)| t + gaps.iter().sum::<f64>())
                    .collect(),
            )
        });
        let n = match metric {
            Metric::E2el => e2el.as_ref().map(Vec::len),
            Metric::Ttft => ttfts.as_ref().map(Vec::len),
            Metric::Itl => itls.as_ref().map(Vec::len),
            Metric::Tpot => e2el
                .as_ref()
                .zip(ttfts.as_ref())
                .zip(output_lens.as_ref())
                .map(|((a, b), c)| a.len().min(b.len()).min(c.len())),
            Metric::Tokens => e2el
                .as_ref()
                .zip(output_lens.as_ref())
                .map(|(a, c)| a.len().min(c.len())),
        };
        let Some(n) = n else {
            let mut keys: Vec<&str> = obj
                .keys()
                .filter(|k| k.ends_with("_ms"))
                .map(String::as_str)
                .collect();
            keys.truncate(8);
            return Err(Error::new(
                name,
                None,
                ErrorKind::AggregateOnly {
                    format,
                    hint: format!(
                        "the per-request arrays (ttfts, itls, latencies) are missing, so only the \
                         aggregate keys ({}) remain; rerun `vllm bench serve` with --save-detailed to \
                         get per-request values",
                        keys.join(", ")
                    ),
                },
            ));
        };
        for i in 0..n {
            let error = errors.get(i).map_or("", String::as_str);
            let at = |v: &Option<Vec<f64>>| v.as_ref().and_then(|v| v.get(i).copied());
            let seconds: Vec<f64> = match metric {
                Metric::Itl => itls
                    .as_ref()
                    .and_then(|v| v.get(i))
                    .cloned()
                    .unwrap_or_default(),
                Metric::E2el => at(&e2el).into_iter().collect(),
                Metric::Ttft => at(&ttfts).into_iter().collect(),
                Metric::Tpot => match (at(&e2el), at(&ttfts), at(&output_lens)) {
                    (Some(l), Some(t), Some(o)) if o > 1.0 => vec![(l - t) / (o - 1.0)],
                    _ => Vec::new(),
                },
                Metric::Tokens => match (at(&e2el), at(&output_lens)) {
                    (Some(l), Some(o)) if l > 0.0 => vec![o / l],
                    _ => Vec::new(),
                },
            };
            let gaps: Vec<f64> = match metric {
                Metric::Tpot => seconds.iter().map(|x| x * 1000.0).collect(),
                // Not a time: tokens/s as computed.
                Metric::Tokens => seconds.clone(),
                _ => seconds.iter().map(|&x| scale_f64(x, 3)).collect(),
            };
            if let Some(e) = overflow(name, metric, i, &seconds, &gaps) {
                sink.fail(e)?;
                continue;
            }
            let gaps: Vec<f64> = gaps.into_iter().filter(|v| v.is_finite()).collect();
            let latency_s = at(&e2el).unwrap_or(f64::NAN);
            let start_ms = at(&starts).map_or(f64::NAN, |s| s * 1000.0);
            let r = Request {
                latency: gaps.first().copied().unwrap_or(f64::NAN),
                start_ms,
                ok: error.is_empty(),
                label: label.as_bytes(),
                message: error.as_bytes(),
                ..Request::default()
            };
            if start_ms.is_finite() && latency_s.is_finite() {
                span_end = span_end.max(start_ms + latency_s * 1000.0);
            }
            sink.push_many(&r, &gaps, b"", 0)?;
        }
        if let Some(d) = obj.get("duration").and_then(Value::as_f64) {
            sink.set_span_if_unknown(0.0, d * 1000.0);
        }
    }
    if objects == 0 {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    if by == By::None && span_end > 0.0 {
        sink.extend_end(span_end);
    }
    let (metric_name, unit) = match metric {
        Metric::E2el => ("e2el", "ms"),
        Metric::Ttft => ("ttft", "ms"),
        Metric::Itl => ("itl", "ms"),
        Metric::Tpot => ("tpot", "ms"),
        Metric::Tokens => ("output_tokens_per_s", "tokens/s"),
    };
    sink.finish(metric_name.to_owned(), Some(unit))
}

/// A finite number of seconds that overflows in milliseconds is an error (of request `i`), not a lost
/// value.
fn overflow(
    name: &str,
    metric: Metric,
    i: usize,
    seconds: &[f64],
    values_ms: &[f64],
) -> Option<Error> {
    let j = values_ms
        .iter()
        .zip(seconds)
        .position(|(ms, s)| ms.is_infinite() && s.is_finite())?;
    let field = match metric {
        Metric::Itl => "itls",
        Metric::Ttft => "ttfts",
        Metric::E2el | Metric::Tpot | Metric::Tokens => "latencies",
    };
    let kind = ErrorKind::Overflow {
        column: format!("{field} (request {})", i + 1),
        found: format!("{:e}", seconds[j]),
    };
    Some(Error::row_unplaced(name, kind))
}
