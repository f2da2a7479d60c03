//! hyperfine `--export-json`: one sample per command (`times`, seconds → ms); a run with a non-zero exit
//! code is a failure. `--metric memory_usage_byte` reads the per-run peak memory instead (bytes).

use std::io::Read;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{By, Request, Sink, json_error, parse_scaled, read_all};
use crate::{
    InputFormat, ReadOptions,
    dataset::{Dataset, bad_value_kind, parse_value},
    error::{Error, ErrorKind, Result},
};

#[derive(Deserialize)]
struct Export<'a> {
    #[serde(borrow)]
    results: Vec<Run<'a>>,
}

/// One command's runs. The values are kept as their text in the document, so that a bad one (or one
/// that overflows when converted to milliseconds) is reported at its line and column.
#[derive(Deserialize)]
struct Run<'a> {
    command: String,
    #[serde(borrow)]
    times: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    memory_usage_byte: Option<Vec<&'a RawValue>>,
    exit_codes: Option<Vec<Option<i64>>>,
}

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::Hyperfine;
    let memory = match opts.metric.as_deref() {
        None | Some("time" | "times") => false,
        Some("memory_usage_byte" | "memory") => true,
        Some(m) => {
            return Err(Error::new(
                name,
                None,
                ErrorKind::UnknownMetric {
                    name: m.to_owned(),
                    available: vec!["time".to_owned(), "memory_usage_byte".to_owned()],
                },
            ));
        }
    };
    // One sample per command, always.
    match opts.by.as_deref() {
        None | Some("label" | "command") => {}
        Some(b) => {
            return Err(Error::new(
                name,
                None,
                ErrorKind::UnknownBy {
                    name: b.to_owned(),
                    available: vec!["command".to_owned()],
                },
            ));
        }
    }
    let bytes = read_all(name, reader)?;
    let export: Export = serde_json::from_slice(&bytes).map_err(|e| {
        if e.is_data() && e.to_string().starts_with("missing field `results`") {
            super::not_format(name, None, format, "no \"results\" array".to_owned())
        } else {
            json_error(name, e, &bytes)
        }
    })?;
    let mut sink = Sink::new(name, format, opts, By::Label);
    for run in &export.results {
        let values = if memory {
            run.memory_usage_byte.as_deref()
        } else {
            run.times.as_deref()
        };
        let Some(values) = values else {
            return Err(Error::new(
                name,
                None,
                ErrorKind::MissingField {
                    name: if memory { "memory_usage_byte" } else { "times" }.to_owned(),
                },
            ));
        };
        let column = if memory { "memory_usage_byte" } else { "times" };
        for (i, raw) in values.iter().enumerate() {
            let text = raw.get().as_bytes();
            let parsed = if memory {
                parse_value(text)
            } else {
                parse_scaled(text, 3)
            };
            let v = match parsed {
                Ok(v) => v,
                Err(bad) => {
                    let offset = text.as_ptr() as usize - bytes.as_ptr() as usize;
                    let position = crate::json::position_of(&bytes, offset);
                    let kind = bad_value_kind(column, text, bad);
                    sink.fail(Error::row(name, position, kind))?;
                    continue;
                }
            };
            let code = run
                .exit_codes
                .as_ref()
                .map_or(Some(0), |c| c.get(i).copied().flatten());
            let message = match code {
                Some(0) => String::new(),
                Some(c) => format!("exit code {c}"),
                None => "killed by a signal".to_owned(),
            };
            let r = Request {
                latency: v,
                ok: code == Some(0),
                label: run.command.as_bytes(),
                message: message.as_bytes(),
                ..Request::default()
            };
            sink.push(&r, b"", 0)?;
        }
    }
    let (metric, unit) = if memory {
        ("memory_usage_byte", None)
    } else {
        ("time", Some("ms"))
    };
    sink.finish(metric.to_owned(), unit)
}
