//! JMeter JTL results in XML (`jmeter.save.saveservice.output_format=xml`), streamed with quick-xml.
//!
//! `<testResults>` holds one `<httpSample>` (HTTP) or `<sample>` (any other sampler) element per sample,
//! its data in attributes: `t` elapsed ms, `lt` latency, `ct` connect, `it` idle, `ts` start (epoch ms),
//! `s` success, `rc` response code, `rm` response message, `lb` label, `tn` thread, `by` bytes.
//!
//! Which elements are requests:
//! - a sample directly inside `<testResults>` is one request;
//! - a sample nested inside another one is a *sub-result* (a redirect, an embedded resource): part of its
//!   parent's time, not counted again;
//! - except inside a Transaction Controller parent (`rm` = `Number of samples in transaction : N`): its
//!   children are the requests, and the parent itself is skipped unless
//!   [`ReadOptions::jmeter_transactions`] (as in the CSV reader).
//!
//! A failed sample's message is its first non-empty `<assertionResult><failureMessage>`, else `rm`.

use std::io::{BufReader, Read};

use quick_xml::events::{BytesStart, Event};

use super::{
    By, Request, Sink, not_format, ok_status, parse_epoch_ms, parse_status, resolve_by, value_at,
};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Position, Result},
};

/// The `rm` of a Transaction Controller parent sample.
const TRANSACTION: &[u8] = b"Number of samples in transaction : ";

/// Metric names (CSV column names and XML attribute names) → attribute, and whether it is a time (ms).
const METRICS: [(&str, &str, &[u8], bool); 6] = [
    ("elapsed", "t", b"t", true),
    ("Latency", "lt", b"lt", true),
    ("Connect", "ct", b"ct", true),
    ("IdleTime", "it", b"it", true),
    ("bytes", "by", b"by", false),
    ("sentBytes", "sby", b"sby", false),
];

/// Grouping keys besides `label` and `status`: CSV column names, then the same as XML attributes.
const CUSTOM: [&str; 8] = [
    "threadName",
    "dataType",
    "responseMessage",
    "hostname",
    "tn",
    "dt",
    "rm",
    "hn",
];

/// Whether the content (after an optional XML declaration, comments and white space) is a JTL XML file.
pub(crate) fn looks_like(text: &[u8]) -> bool {
    text.starts_with(b"<") && memchr::memmem::find(text, b"<testResults").is_some()
}

/// A counted sample whose end tag has not been read yet.
#[derive(Default)]
struct Pending {
    line: u64,
    value: Vec<u8>,
    start: Vec<u8>,
    success: Vec<u8>,
    code: Vec<u8>,
    message: Vec<u8>,
    label: Vec<u8>,
    bytes: Vec<u8>,
    custom: Vec<u8>,
    failure: Vec<u8>,
}

/// What an open element is.
enum Frame {
    /// `<testResults>`: its samples are requests.
    Root,
    /// A sample. `children` = its child samples are requests (a transaction parent); `pending` = it is one.
    Sample {
        children: bool,
        pending: Option<Box<Pending>>,
    },
    /// `<failureMessage>` inside an `<assertionResult>` of a counted sample.
    FailureMessage,
    /// Anything else.
    Other,
}

/// Attribute names read for one sample.
struct Keys<'a> {
    metric: &'a [u8],
    custom: Option<&'a [u8]>,
}

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::JmeterXml;
    let metric_name = opts.metric.as_deref().unwrap_or("elapsed");
    let (metric_column, metric_key, unit) = METRICS
        .iter()
        .find(|(csv, xml, _, _)| {
            *csv == metric_name || *xml == metric_name || csv.eq_ignore_ascii_case(metric_name)
        })
        .map(|&(csv, _, key, time)| (csv.to_owned(), key.to_vec(), time.then_some("ms")))
        // Any other attribute (a `sample_variables` variable) by its own name.
        .unwrap_or_else(|| {
            (
                metric_name.to_owned(),
                metric_name.as_bytes().to_vec(),
                None,
            )
        });
    let (by, by_index) = resolve_by(opts, true, true, &CUSTOM)
        .map_err(|k| Error::new(name, Some(Position::line(1)), k))?;
    let custom_key: Option<Vec<u8>> = match (by, by_index) {
        (By::Custom, Some(i)) => {
            let key = CUSTOM[i % 4 + 4];
            Some(key.as_bytes().to_vec())
        }
        _ => None,
    };
    let keys = Keys {
        metric: &metric_key,
        custom: custom_key.as_deref(),
    };

    let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, reader));
    xml.config_mut().check_end_names = true;
    let mut sink = Sink::new(name, format, opts, by);
    let mut stack: Vec<Frame> = Vec::new();
    let mut seen_root = false;
    let mut buf = Vec::with_capacity(4096);
    // Lines before the current event: every byte of the document except markup delimiters is in some
    // event, so counting newlines in the events counts the lines.
    let mut line = 1u64;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(|e| {
            Error::new(
                name,
                Some(Position::line(line)),
                ErrorKind::Xml(e.to_string()),
            )
        })?;
        let event_line = line;
        line += memchr::memchr_iter(b'\n', &event).count() as u64;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let tag = e.name();
                let tag = tag.as_ref();
                let frame = if !seen_root {
                    if tag != b"testResults" {
                        return Err(not_format(
                            name,
                            Some(event_line),
                            format,
                            format!(
                                "the root element is <{}>, not <testResults>",
                                String::from_utf8_lossy(tag)
                            ),
                        ));
                    }
                    seen_root = true;
                    Frame::Root
                } else if tag == b"httpSample" || tag == b"sample" {
                    let counted_context = matches!(
                        stack.last(),
                        Some(Frame::Root | Frame::Sample { children: true, .. })
                    );
                    let mut pending = Box::new(Pending {
                        line: event_line,
                        ..Pending::default()
                    });
                    read_attributes(e, &keys, &mut pending);
                    let transaction = pending.message.starts_with(TRANSACTION);
                    let counted = counted_context && (!transaction || opts.jmeter_transactions);
                    Frame::Sample {
                        children: counted_context && transaction,
                        pending: counted.then_some(pending),
                    }
                } else if tag == b"failureMessage"
                    && stack.len() >= 2
                    && matches!(stack.last(), Some(Frame::Other))
                    && matches!(
                        stack.get(stack.len() - 2),
                        Some(Frame::Sample {
                            pending: Some(_),
                            ..
                        })
                    )
                {
                    Frame::FailureMessage
                } else {
                    Frame::Other
                };
                if empty {
                    if let Frame::Sample {
                        pending: Some(p), ..
                    } = frame
                    {
                        push(&mut sink, name, &metric_column, &p)?;
                    }
                } else {
                    stack.push(frame);
                }
            }
            Event::End(_) => match stack.pop() {
                Some(Frame::Sample {
                    pending: Some(p), ..
                }) => push(&mut sink, name, &metric_column, &p)?,
                Some(Frame::Root) => break,
                _ => {}
            },
            Event::Text(ref t) => {
                if matches!(stack.last(), Some(Frame::FailureMessage)) {
                    append_to_failure(&mut stack, t);
                }
            }
            Event::GeneralRef(ref r) => {
                if matches!(stack.last(), Some(Frame::FailureMessage)) {
                    let text: &[u8] = match r.as_ref() {
                        b"lt" => b"<",
                        b"gt" => b">",
                        b"amp" => b"&",
                        b"quot" => b"\"",
                        b"apos" => b"'",
                        _ => b"?",
                    };
                    append_to_failure(&mut stack, text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(not_format(
            name,
            None,
            format,
            "no <testResults> element".to_owned(),
        ));
    }
    // A run that was killed leaves <testResults> unclosed: the complete samples are kept.
    sink.finish(metric_column, unit)
}

/// Appends text to the failure message of the counted sample that holds the open `<failureMessage>`.
fn append_to_failure(stack: &mut [Frame], text: &[u8]) {
    let n = stack.len();
    if n >= 3
        && let Some(Frame::Sample {
            pending: Some(p), ..
        }) = stack.get_mut(n - 3)
        && p.failure.len() < 4096
    {
        p.failure.extend_from_slice(text);
    }
}

/// Copies the attributes a request needs (unescaped) into `p`.
fn read_attributes(e: &BytesStart<'_>, keys: &Keys<'_>, p: &mut Pending) {
    for attr in e.attributes().with_checks(false).flatten() {
        let key = attr.key.as_ref();
        let slot = if key == keys.metric {
            &mut p.value
        } else if Some(key) == keys.custom {
            &mut p.custom
        } else {
            match key {
                b"ts" => &mut p.start,
                b"s" => &mut p.success,
                b"rc" => &mut p.code,
                b"rm" => &mut p.message,
                b"lb" => &mut p.label,
                b"by" => &mut p.bytes,
                _ => continue,
            }
        };
        slot.clear();
        match attr.unescape_value() {
            Ok(text) => slot.extend_from_slice(text.as_bytes()),
            Err(_) => slot.extend_from_slice(&attr.value),
        }
        // The custom key may also be one of the fixed ones (e.g. `rm`).
        if Some(key) == keys.custom && key == b"rm" {
            p.message.clone_from(&p.custom);
        }
    }
}

/// Pushes a finished sample as a request (a bad value is a row error, skipped with `skip_invalid`).
fn push(sink: &mut Sink<'_>, name: &str, metric: &str, p: &Pending) -> Result<()> {
    // A sample without the attribute has an empty value: `expected a number ..., found ""`.
    let latency = match value_at(name, metric, &p.value, 0, p.line, None) {
        Ok(v) => v,
        Err(e) => return sink.fail(e),
    };
    let status = parse_status(&p.code);
    let ok = match p.success.trim_ascii() {
        b"true" | b"TRUE" | b"True" => true,
        b"false" | b"FALSE" | b"False" => false,
        _ => p.code.is_empty() || ok_status(status),
    };
    let failure = p.failure.trim_ascii();
    let request = Request {
        latency,
        start_ms: parse_epoch_ms(&p.start).unwrap_or(f64::NAN),
        ok,
        status,
        label: p.label.trim_ascii(),
        bytes: std::str::from_utf8(p.bytes.trim_ascii())
            .ok()
            .and_then(|b| b.parse().ok())
            .unwrap_or(0),
        message: if failure.is_empty() {
            &p.message
        } else {
            failure
        },
    };
    if let Err(e) = sink.push(&request, &p.custom, p.line) {
        sink.fail(e)?;
    }
    Ok(())
}
