//! Readers for the outputs of load-test and benchmark tools, and what they share: detection, the
//! per-request [`Sink`], units, timestamps.
//!
//! Every tool reader turns its input into [`Request`]s (latency in milliseconds, start time, success,
//! status, label, bytes) and pushes them into a [`Sink`], which keeps only what the result needs: the
//! latencies of the kept requests, grouped; counts of requests and failures (by kind); the time span; and,
//! when asked for, per-request columns ([`Records`](crate::Records)).

mod apache_bench;
mod detect;
mod gatling;
mod goose;
mod hdr;
mod hey;
mod hyperfine;
mod jmeter;
mod jmeter_xml;
mod k6;
mod llmperf;
mod locust;
mod oha;
mod parse;
mod rows;
mod simple;
mod sink;
pub(crate) mod text;
mod unit;
mod vegeta;
mod vllm;
mod wrk;

use std::io::Read;

pub use self::unit::{Unit, UnknownUnit};
pub(crate) use self::{
    detect::detect,
    parse::*,
    sink::*,
    text::*,
    unit::{parse_scaled, scale_f64},
};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Position, Result},
};

/// Reads a tool's format. `reader` starts at the content (any byte-order mark removed).
pub(crate) fn read<R: Read>(
    format: InputFormat,
    name: &str,
    reader: R,
    opts: &ReadOptions,
) -> Result<Dataset> {
    match format {
        InputFormat::K6Json => k6::read_json(name, reader, opts),
        InputFormat::K6Csv => k6::read_csv(name, reader, opts),
        InputFormat::JmeterCsv => jmeter::read(name, reader, opts),
        InputFormat::JmeterXml => jmeter_xml::read(name, reader, opts),
        InputFormat::Gatling => gatling::read(name, reader, opts),
        InputFormat::VegetaCsv => vegeta::read_csv(name, reader, opts),
        InputFormat::VegetaJson => vegeta::read_json(name, reader, opts),
        InputFormat::Hey => hey::read(name, reader, opts),
        InputFormat::ApacheBench => apache_bench::read(name, reader, opts),
        InputFormat::LocustHistory => locust::read(name, reader, opts),
        InputFormat::LocustStats => locust::read_stats(name, reader, opts),
        InputFormat::Hyperfine => hyperfine::read(name, reader, opts),
        InputFormat::OhaCsv => oha::read_csv(name, reader, opts),
        InputFormat::OhaJson => oha::read_json(name, reader, opts),
        InputFormat::GooseCsv => goose::read_csv(name, reader, opts),
        InputFormat::GooseJson => goose::read_json(name, reader, opts),
        InputFormat::HdrLog => hdr::read(name, reader, opts),
        InputFormat::WrkReport => wrk::read(name, reader, opts),
        InputFormat::Vllm => vllm::read(name, reader, opts),
        InputFormat::Llmperf => llmperf::read(name, reader, opts),
        _ => Err(Error::new(
            name,
            None,
            ErrorKind::NotFormat {
                format,
                reason: "not a tool format".to_owned(),
            },
        )),
    }
}

/// The error for an input that is not in `format`.
pub(crate) fn not_format(
    name: &str,
    line: Option<u64>,
    format: InputFormat,
    reason: String,
) -> Error {
    Error::new(
        name,
        line.map(Position::line),
        ErrorKind::NotFormat { format, reason },
    )
}

/// A list of names for a message: at most 12, then `...`.
pub(crate) fn shorten_list(names: &[String]) -> String {
    let mut text = names
        .iter()
        .take(12)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 12 {
        text.push_str(", ...");
    }
    text
}
