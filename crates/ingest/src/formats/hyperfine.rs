//! hyperfine `--export-json`: one sample per command (`times`, seconds → ms); a run with a non-zero exit
//! code is a failure. `--metric memory_usage_byte` reads the per-run peak memory instead (bytes).

use std::io::Read;

use serde::Deserialize;

use super::{By, Request, Sink, json_error, read_all, scale_f64};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Result},
};

#[derive(Deserialize)]
struct Export {
    results: Vec<Run>,
}

#[derive(Deserialize)]
struct Run {
    command: String,
    times: Option<Vec<f64>>,
    memory_usage_byte: Option<Vec<f64>>,
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
    drop(bytes);
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
        for (i, &v) in values.iter().enumerate() {
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
                latency: if memory { v } else { scale_f64(v, 3) },
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
