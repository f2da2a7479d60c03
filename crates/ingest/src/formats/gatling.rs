//! Gatling `simulation.log`, text format (Gatling 3.0–3.12): tab-separated records; the REQUEST records
//! are the requests (response time = end − start, ms). Gatling ≥ 3.13 writes a binary log, which is
//! recognised and refused with a hint.

use std::io::Read;

use super::{By, Lines, Request, Sink, not_format, resolve_by, value_at};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Position, Result},
};

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::Gatling;
    if let Some(m) = opts.metric.as_deref()
        && !matches!(m, "response_time" | "responseTime" | "latency" | "elapsed")
    {
        return Err(Error::new(
            name,
            None,
            ErrorKind::UnknownMetric {
                name: m.to_owned(),
                available: vec!["response_time".to_owned()],
            },
        ));
    }
    let (by, _) =
        resolve_by(opts, true, false, &["group"]).map_err(|k| Error::new(name, None, k))?;
    let mut sink = Sink::new(name, format, opts, by);
    let mut lines = Lines::new(reader);
    let mut seen = false;
    while let Some((number, line)) = lines.next_line(name)? {
        if number == 1 && line.first() == Some(&0) {
            return Err(not_format(
                name,
                None,
                format,
                "this is the binary simulation.log of Gatling 3.13 or later, which is not text; \
                 use the HTML report's data or an older Gatling's text log"
                    .to_owned(),
            ));
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
        match fields[0] {
            b"REQUEST" => {
                seen = true;
                // 3.4+: REQUEST groups name start end status message; 3.0–3.3 add a user id after REQUEST.
                let f: &[&[u8]] = match fields.len() {
                    7 => &fields[1..],
                    8 => &fields[2..],
                    n => {
                        let e = Error::row(
                            name,
                            Position::line(number),
                            ErrorKind::FieldCount {
                                expected: 7,
                                found: n as u64,
                            },
                        );
                        sink.fail(e)?;
                        continue;
                    }
                };
                let times = value_at(name, "start", f[2], 0, number, Some(3)).and_then(|start| {
                    value_at(name, "end", f[3], 0, number, Some(4)).map(|end| (start, end))
                });
                let (start, end) = match times {
                    Ok(t) => t,
                    Err(e) => {
                        sink.fail(e)?;
                        continue;
                    }
                };
                let ok = f[4].trim_ascii() == b"OK";
                let r = Request {
                    latency: end - start,
                    start_ms: start,
                    ok,
                    status: 0,
                    label: f[1],
                    bytes: 0,
                    message: if ok { b"" } else { f[5] },
                };
                let custom = if by == By::Custom { f[0] } else { b"" };
                if let Err(e) = sink.push(&r, custom, number) {
                    sink.fail(e)?;
                }
            }
            b"RUN" | b"USER" | b"GROUP" | b"ERROR" | b"ASSERTION" => seen = true,
            _ if !seen => {
                return Err(not_format(
                    name,
                    Some(number),
                    format,
                    "expected a RUN, USER, REQUEST, GROUP, ERROR or ASSERTION record".to_owned(),
                ));
            }
            _ => {
                let e = Error::row(
                    name,
                    Position::line(number),
                    ErrorKind::NotFormat {
                        format,
                        reason: "unknown record type".to_owned(),
                    },
                );
                sink.fail(e)?;
            }
        }
    }
    sink.finish("response_time".to_owned(), Some("ms"))
}
