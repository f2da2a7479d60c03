//! Parquet and Arrow IPC inputs: one file, standard input, or a directory of them (e.g. one file per load
//! generator, or a Hive-partitioned tree such as `generator=3/part-0.parquet`).
//!
//! With the `parquet` cargo feature they are scanned lazily with polars: only the needed columns (metric,
//! label or grouping column, timestamp, success, status, messages, bytes) are read, in slices of
//! [`CHUNK`] rows, so memory holds one slice plus the kept values (8 bytes each), never the whole table.
//! Without the feature every entry point fails with [`ErrorKind::FeatureDisabled`].
//!
//! The table's columns decide how it is read:
//! - with JMeter's `timeStamp` and `elapsed` columns (a JTL converted to Parquet), as requests: latency
//!   `elapsed` (or `--metric`), success from `success` (else `responseCode`), failures counted, Transaction
//!   Controller parent rows skipped, as the JTL CSV reader does;
//! - otherwise as a generic table, like CSV: the named metric, else the only numeric column, grouped by
//!   [`ReadOptions::by`](crate::ReadOptions::by).
//!
//! Row numbers in errors (`run.parquet:12: ...`) count data rows from 1 within each file.

use std::{
    io::{self, Read},
    path::{Path, PathBuf},
};

use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Result, io_kind},
};

/// Rows per slice read from a file.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
const CHUNK: usize = 1 << 20;

/// The columnar files under `dir` (recursively, hidden files and directories excluded), by path.
fn list_dir(dir: &Path) -> io::Result<Vec<(PathBuf, InputFormat)>> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let file_name = entry.file_name();
            let hidden = file_name
                .to_str()
                .is_none_or(|n| n.starts_with('.') || n.starts_with('_'));
            if hidden {
                continue;
            }
            if entry.file_type()?.is_dir() {
                todo.push(path);
            } else if let Some(format) = path
                .to_str()
                .and_then(InputFormat::from_name)
                .filter(|f| f.is_columnar())
            {
                out.push((path, format));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Reads every Parquet / Arrow IPC file under the directory `dir` as one dataset.
pub(crate) fn read_dir(dir: &Path, name: &str, opts: &ReadOptions) -> Result<Dataset> {
    let files = list_dir(dir).map_err(|e| Error::new(name, None, io_kind(e)))?;
    let Some(&(_, first)) = files.first() else {
        return Err(Error::new(
            name,
            None,
            ErrorKind::Io(io::Error::other(
                "a directory without .parquet or .arrow/.ipc/.feather files (perfstat reads a directory of Parquet or Arrow IPC files)",
            )),
        ));
    };
    imp::read(name, first, Sources::Files(files), opts)
}

/// Reads one Parquet / Arrow IPC file.
pub(crate) fn read_file(
    path: &Path,
    name: &str,
    format: InputFormat,
    opts: &ReadOptions,
) -> Result<Dataset> {
    imp::read(
        name,
        format,
        Sources::Files(vec![(path.to_path_buf(), format)]),
        opts,
    )
}

/// Reads a Parquet / Arrow IPC input from a reader (standard input): it is read into memory first,
/// as both formats keep their index at the end.
pub(crate) fn read_bytes<R: Read>(
    name: &str,
    mut reader: R,
    format: InputFormat,
    opts: &ReadOptions,
) -> Result<Dataset> {
    if !cfg!(feature = "parquet") {
        return imp::read(name, format, Sources::Bytes(Vec::new()), opts);
    }
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(name, None, io_kind(e)))?;
    imp::read(name, format, Sources::Bytes(bytes), opts)
}

/// Where the tables come from.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
enum Sources {
    /// Files, each with its format.
    Files(Vec<(PathBuf, InputFormat)>),
    /// One in-memory file.
    Bytes(Vec<u8>),
}

#[cfg(not(feature = "parquet"))]
mod imp {
    use super::Sources;
    use crate::{
        InputFormat, ReadOptions,
        dataset::Dataset,
        error::{Error, ErrorKind, Result},
    };

    pub(super) fn read(
        name: &str,
        format: InputFormat,
        _sources: Sources,
        _opts: &ReadOptions,
    ) -> Result<Dataset> {
        Err(Error::new(
            name,
            None,
            ErrorKind::FeatureDisabled {
                format,
                feature: "parquet",
            },
        ))
    }
}

#[cfg(feature = "parquet")]
mod imp {
    use std::sync::Arc;

    use polars::prelude::*;

    use super::{CHUNK, Sources};
    use crate::{
        InputFormat, ReadOptions,
        dataset::{BadValue, Dataset, Groups, bad_value_kind, choose_by, choose_metric},
        error::{Error, ErrorKind, Position, Result},
        formats::{By, Request, Sink, ok_status, parse_epoch_ms, parse_status, resolve_by},
    };

    /// The `responseMessage` of a JMeter Transaction Controller parent row.
    const TRANSACTION: &str = "Number of samples in transaction : ";

    /// JMeter's time columns (milliseconds).
    const TIME_COLUMNS: [&str; 4] = ["elapsed", "Latency", "Connect", "IdleTime"];

    fn columnar(name: &str, format: InputFormat, e: impl std::fmt::Display) -> Error {
        Error::new(
            name,
            None,
            ErrorKind::Columnar {
                format,
                message: e.to_string(),
            },
        )
    }

    /// One source's lazy scan and its display name.
    fn scan(source: &Sources, i: usize) -> PolarsResult<(LazyFrame, InputFormat, Option<String>)> {
        let (sources, format, file) = match source {
            Sources::Files(files) => {
                let (path, format) = &files[i];
                let p = PlRefPath::try_from_path(path)?;
                (
                    ScanSources::Paths(vec![p].into()),
                    *format,
                    Some(path.display().to_string()),
                )
            }
            Sources::Bytes(bytes) => {
                let format = InputFormat::from_magic(bytes).unwrap_or(InputFormat::Parquet);
                let buffers: Arc<[_]> = Arc::from(vec![bytes.clone().into()]);
                (ScanSources::Buffers(buffers), format, None)
            }
        };
        // Files are listed and scanned one by one: no Hive partition columns (none for buffers either).
        let hive_options = HiveOptions {
            enabled: Some(false),
            ..HiveOptions::default()
        };
        let lf = match format {
            InputFormat::ArrowIpc => LazyFrame::scan_ipc_sources(
                sources,
                IpcScanOptions::default(),
                UnifiedScanArgs {
                    hive_options,
                    ..UnifiedScanArgs::default()
                },
            )?,
            _ => LazyFrame::scan_parquet_sources(
                sources,
                ScanArgsParquet {
                    hive_options,
                    ..ScanArgsParquet::default()
                },
            )?,
        };
        Ok((lf, format, file))
    }

    /// Exact name first, then ASCII case-insensitive.
    fn find(names: &[String], name: &str) -> Option<usize> {
        names
            .iter()
            .position(|c| c == name)
            .or_else(|| names.iter().position(|c| c.eq_ignore_ascii_case(name)))
    }

    /// What to read from each table.
    enum Plan {
        /// JMeter-shaped requests.
        Requests {
            metric: String,
            timestamp: Option<(String, TsKind)>,
            label: Option<String>,
            success: Option<String>,
            code: Option<String>,
            message: Option<String>,
            failure: Option<String>,
            bytes: Option<String>,
            by: Option<String>,
        },
        /// A generic table: the metric and an optional grouping column.
        Generic { metric: String, by: Option<String> },
    }

    pub(super) fn read(
        name: &str,
        format: InputFormat,
        sources: Sources,
        opts: &ReadOptions,
    ) -> Result<Dataset> {
        read_chunked(name, format, sources, opts, CHUNK)
    }

    /// [`read`] in slices of `chunk` rows (tests use small slices on small tables).
    fn read_chunked(
        name: &str,
        format: InputFormat,
        sources: Sources,
        opts: &ReadOptions,
        chunk: usize,
    ) -> Result<Dataset> {
        let count = match &sources {
            Sources::Files(f) => f.len(),
            Sources::Bytes(_) => 1,
        };
        let (mut first, format, _) = scan(&sources, 0).map_err(|e| columnar(name, format, e))?;
        let schema = first
            .collect_schema()
            .map_err(|e| columnar(name, format, e))?;
        let names: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
        let numeric: Vec<bool> = schema
            .iter_values()
            .map(DataType::is_primitive_numeric)
            .collect();
        let jmeter = find(&names, "timeStamp").is_some() && find(&names, "elapsed").is_some();
        let mut sink = None;
        let plan = if jmeter {
            let col = |n: &str| find(&names, n).map(|i| names[i].clone());
            let metric_name = opts.metric.as_deref().unwrap_or("elapsed");
            let metric = col(metric_name).ok_or_else(|| {
                Error::new(
                    name,
                    None,
                    ErrorKind::UnknownMetric {
                        name: metric_name.to_owned(),
                        available: names.clone(),
                    },
                )
            })?;
            let custom: Vec<&str> = names.iter().map(String::as_str).collect();
            let code = col("responseCode");
            let label = col("label");
            let (by, by_col) = resolve_by(opts, label.is_some(), code.is_some(), &custom)
                .map_err(|k| Error::new(name, None, k))?;
            sink = Some(Sink::new(name, format, opts, by));
            Plan::Requests {
                metric,
                timestamp: col("timeStamp").map(|c| {
                    let kind = match schema.get(c.as_str()) {
                        Some(t) if t.is_temporal() => TsKind::Temporal,
                        Some(t) if t.is_primitive_numeric() => TsKind::Number,
                        _ => TsKind::Text,
                    };
                    (c, kind)
                }),
                label,
                success: col("success"),
                code,
                message: col("responseMessage"),
                failure: col("failureMessage"),
                bytes: col("bytes"),
                by: (by == By::Custom)
                    .then(|| by_col.map(|i| names[i].clone()))
                    .flatten(),
            }
        } else {
            let metric = choose_metric(&names, &numeric, opts.metric.as_deref())
                .map_err(|k| Error::new(name, None, k))?;
            let by = match opts.by.as_deref() {
                Some(b) => Some(choose_by(&names, b).map_err(|k| Error::new(name, None, k))?),
                None => None,
            };
            Plan::Generic {
                metric: names[metric].clone(),
                by: by.map(|i| names[i].clone()),
            }
        };

        let mut groups = Groups::default();
        let (mut rows, mut skipped) = (0u64, 0u64);
        for i in 0..count {
            let (lf, file_format, file) = if i == 0 {
                (first.clone(), format, None)
            } else {
                scan(&sources, i).map_err(|e| columnar(name, format, e))?
            };
            let file_name = match (&sources, file) {
                (Sources::Files(files), _) => files[i].0.display().to_string(),
                (_, Some(f)) => f,
                _ => name.to_owned(),
            };
            let err = |e: PolarsError| columnar(&file_name, file_format, e);
            let mut offset = 0usize;
            loop {
                let exprs = match &plan {
                    Plan::Requests {
                        metric,
                        timestamp,
                        label,
                        success,
                        code,
                        message,
                        failure,
                        bytes,
                        by,
                    } => {
                        let mut e = vec![col(metric.as_str()).cast(DataType::Float64).alias("m")];
                        e.push(match timestamp {
                            Some((c, TsKind::Temporal)) => col(c.as_str())
                                .cast(DataType::Datetime(TimeUnit::Milliseconds, None))
                                .cast(DataType::Int64)
                                .cast(DataType::Float64)
                                .alias("ts"),
                            Some((c, TsKind::Number)) => {
                                col(c.as_str()).cast(DataType::Float64).alias("ts")
                            }
                            Some((c, TsKind::Text)) => {
                                col(c.as_str()).cast(DataType::String).alias("ts")
                            }
                            None => lit(NULL).cast(DataType::Float64).alias("ts"),
                        });
                        let text = |c: &Option<String>, alias: &str| match c {
                            Some(c) => col(c.as_str()).cast(DataType::String).alias(alias),
                            None => lit(NULL).cast(DataType::String).alias(alias),
                        };
                        e.push(text(label, "lb"));
                        e.push(text(success, "s"));
                        e.push(text(code, "rc"));
                        e.push(text(message, "rm"));
                        e.push(text(failure, "fm"));
                        e.push(match bytes {
                            Some(c) => col(c.as_str()).cast(DataType::Float64).alias("by"),
                            None => lit(NULL).cast(DataType::Float64).alias("by"),
                        });
                        e.push(text(by, "key"));
                        e
                    }
                    Plan::Generic { metric, by } => {
                        let mut e = vec![col(metric.as_str()).cast(DataType::Float64).alias("m")];
                        if let Some(b) = by {
                            e.push(col(b.as_str()).cast(DataType::String).alias("key"));
                        }
                        e
                    }
                };
                let df = lf
                    .clone()
                    .select(exprs)
                    .slice(offset as i64, chunk as IdxSize)
                    .collect()
                    .map_err(err)?;
                let height = df.height();
                let m = df.column("m").and_then(|c| c.f64()).map_err(err)?;
                match (&plan, &mut sink) {
                    (
                        Plan::Requests {
                            metric, timestamp, ..
                        },
                        Some(sink),
                    ) => {
                        let s = |n: &str| df.column(n).and_then(|c| c.str()).map_err(err);
                        let (lb, su, rc, rm, fm, key) =
                            (s("lb")?, s("s")?, s("rc")?, s("rm")?, s("fm")?, s("key")?);
                        let ts_col = df.column("ts").map_err(err)?;
                        let start_ms = |r: usize| -> f64 {
                            match timestamp {
                                Some((_, TsKind::Text)) => ts_col
                                    .str()
                                    .ok()
                                    .and_then(|t| t.get(r))
                                    .and_then(|t| parse_epoch_ms(t.as_bytes())),
                                Some((_, TsKind::Number)) => ts_col
                                    .f64()
                                    .ok()
                                    .and_then(|t| t.get(r))
                                    .and_then(epoch_from_number),
                                _ => ts_col.f64().ok().and_then(|t| t.get(r)),
                            }
                            .unwrap_or(f64::NAN)
                        };
                        let by = df.column("by").and_then(|c| c.f64()).map_err(err)?;
                        for r in 0..height {
                            let line = (offset + r + 1) as u64;
                            let message = rm.get(r).unwrap_or("");
                            if !opts.jmeter_transactions && message.starts_with(TRANSACTION) {
                                continue;
                            }
                            let latency = match value(m.get(r)) {
                                Ok(v) => v,
                                Err((text, bad)) => {
                                    sink.fail(Error::row(
                                        &file_name,
                                        Position::line(line),
                                        bad_value_kind(metric, text.as_bytes(), bad),
                                    ))?;
                                    continue;
                                }
                            };
                            let status = parse_status(rc.get(r).unwrap_or("").as_bytes());
                            let ok = match su.get(r).map(str::trim) {
                                Some("true" | "TRUE" | "True") => true,
                                Some("false" | "FALSE" | "False") => false,
                                _ => rc.get(r).is_none() || ok_status(status),
                            };
                            let failure = fm.get(r).unwrap_or("");
                            let request = Request {
                                latency,
                                start_ms: start_ms(r),
                                ok,
                                status,
                                label: lb.get(r).unwrap_or("").trim().as_bytes(),
                                bytes: by
                                    .get(r)
                                    .filter(|b| b.is_finite() && *b >= 0.0)
                                    .map_or(0, |b| b as u64),
                                message: if failure.trim().is_empty() {
                                    message.as_bytes()
                                } else {
                                    failure.as_bytes()
                                },
                            };
                            let k = key.get(r).unwrap_or("").as_bytes();
                            if let Err(e) = sink.push(&request, k, line) {
                                sink.fail(e)?;
                            }
                        }
                    }
                    (Plan::Generic { metric, by }, _) => {
                        let key = match by {
                            Some(_) => Some(df.column("key").and_then(|c| c.str()).map_err(err)?),
                            None => None,
                        };
                        for r in 0..height {
                            rows += 1;
                            let v = match value(m.get(r)) {
                                Ok(v) => v,
                                Err((text, bad)) => {
                                    let e = Error::row(
                                        &file_name,
                                        Position::line((offset + r + 1) as u64),
                                        bad_value_kind(metric, text.as_bytes(), bad),
                                    );
                                    if opts.skip_invalid {
                                        skipped += 1;
                                        continue;
                                    }
                                    return Err(e);
                                }
                            };
                            match &key {
                                Some(k) => {
                                    let label = k.get(r).unwrap_or("");
                                    // Labels from polars are UTF-8: `id` cannot fail.
                                    if let Ok(id) = groups.id(label.trim().as_bytes()) {
                                        groups.push_to(id, v);
                                    }
                                }
                                None => groups.push(v),
                            }
                        }
                    }
                    _ => {}
                }
                if height < chunk {
                    break;
                }
                offset += height;
            }
        }

        match (plan, sink) {
            (Plan::Requests { metric, .. }, Some(sink)) => {
                if sink.is_empty() {
                    return Err(Error::new(name, None, ErrorKind::NoDataRows));
                }
                let unit = TIME_COLUMNS
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(&metric))
                    .then_some("ms");
                sink.finish(metric, unit)
            }
            (Plan::Generic { metric, .. }, _) => {
                if rows == 0 {
                    return Err(Error::new(name, None, ErrorKind::NoDataRows));
                }
                if rows == skipped {
                    return Err(Error::new(name, None, ErrorKind::NoValidRows { skipped }));
                }
                Ok(Dataset::generic(
                    name,
                    metric,
                    groups.finish(),
                    rows,
                    skipped,
                    format,
                ))
            }
            _ => Err(Error::new(name, None, ErrorKind::NoDataRows)),
        }
    }

    /// How the timestamp column is stored.
    #[derive(Clone, Copy)]
    enum TsKind {
        /// A date-time type.
        Temporal,
        /// A number: seconds, ms, µs or ns since the epoch, told apart by magnitude.
        Number,
        /// Text: a number or an RFC 3339 date-time.
        Text,
    }

    /// A metric value: finite, or the text and reason for the error.
    fn value(v: Option<f64>) -> std::result::Result<f64, (String, BadValue)> {
        match v {
            Some(v) if v.is_finite() => Ok(v),
            Some(v) => Err((v.to_string(), BadValue::NonFinite)),
            None => Err(("null".to_owned(), BadValue::NotANumber)),
        }
    }

    /// An epoch timestamp number as milliseconds: seconds, ms, µs or ns told apart by magnitude.
    fn epoch_from_number(v: f64) -> Option<f64> {
        if !v.is_finite() || v < 0.0 {
            None
        } else if v < 1e11 {
            Some(v * 1e3)
        } else if v < 1e14 {
            Some(v)
        } else if v < 1e17 {
            Some(v / 1e3)
        } else {
            Some(v / 1e6)
        }
    }
    #[cfg(test)]
    mod tests {
        use super::*;

        fn parquet_bytes(mut df: DataFrame) -> Vec<u8> {
            let mut bytes = Vec::new();
            ParquetWriter::new(&mut bytes)
                .with_row_group_size(Some(64))
                .finish(&mut df)
                .unwrap();
            bytes
        }

        /// Read in slices of `chunk` rows and in one slice: the same dataset, or the same error.
        fn both(df: DataFrame, opts: &ReadOptions, chunk: usize) -> Result<Dataset> {
            let bytes = parquet_bytes(df);
            let read = |c| {
                let sources = Sources::Bytes(bytes.clone());
                read_chunked("t.parquet", InputFormat::Parquet, sources, opts, c)
            };
            let (sliced, whole) = (read(chunk), read(CHUNK));
            match (&sliced, &whole) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                _ => panic!("sliced {sliced:?} but whole {whole:?}"),
            }
            sliced
        }

        #[test]
        fn a_table_is_read_in_slices() {
            // A partial last slice, and an exact multiple (the last slice read is empty).
            for n in [2 * 100 + 17, 3 * 100] {
                let v: Vec<f64> = (0..n).map(|i| f64::from(i) * 0.5).collect();
                let d = both(
                    df!("latency_ms" => v).unwrap(),
                    &ReadOptions::default(),
                    100,
                );
                let d = d.unwrap();
                assert_eq!(d.rows, u64::from(n as u32));
                assert_eq!(d.groups[0].values.len(), n as usize);
                assert_eq!(d.groups[0].values[n as usize - 1], f64::from(n - 1) * 0.5);
            }
        }

        #[test]
        fn groups_skips_and_error_positions_cross_slices() {
            let n = 250_i32;
            let v: Vec<Option<f64>> = (0..n).map(|i| (i != 130).then(|| f64::from(i))).collect();
            let key: Vec<&str> = (0..n).map(|i| if i % 3 == 0 { "a" } else { "b" }).collect();
            let df = df!("latency_ms" => v, "endpoint" => key).unwrap();
            // The missing value in the second slice is an error with its row, the same as unsliced.
            let e = both(df.clone(), &ReadOptions::default(), 100).unwrap_err();
            assert!(e.to_string().starts_with("t.parquet:131:"), "{e}");
            let opts = ReadOptions {
                by: Some("endpoint".into()),
                skip_invalid: true,
                ..ReadOptions::default()
            };
            let d = both(df, &opts, 100).unwrap();
            assert_eq!((d.rows, d.skipped), (250, 1));
            assert_eq!(d.groups.len(), 2);
        }
    }
}
