//! The result of reading an input: values, grouped.

use std::collections::HashMap;

use crate::{InputFormat, error::ErrorKind};

/// The values read from one input.
///
/// For a load-test tool's format ([`InputFormat::is_tool`]) the values are latencies in milliseconds
/// ([`Dataset::unit`]), of the successful requests only unless
/// [`ReadOptions::include_failures`](crate::ReadOptions::include_failures) is set, and
/// [`Dataset::requests`] counts the requests and failures.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Display name of the input: the path as given, or `<stdin>`.
    pub source: String,
    /// The metric column used; `"value"` for a bare list of numbers.
    pub metric: String,
    /// One group without [`ReadOptions::by`](crate::ReadOptions::by), else one per distinct label,
    /// in order of first appearance. No group is empty.
    pub groups: Vec<Group>,
    /// Data rows read (header excluded, skipped rows included).
    pub rows: u64,
    /// Invalid rows skipped (only with [`ReadOptions::skip_invalid`](crate::ReadOptions::skip_invalid)).
    pub skipped: u64,
    /// The format read (forced or detected).
    pub format: InputFormat,
    /// The unit of the values, when known: `"ms"` for the latencies of a tool's format and for generic
    /// inputs read with [`ReadOptions::unit`](crate::ReadOptions::unit); `None` otherwise.
    pub unit: Option<&'static str>,
    /// Requests, failures and time span, for a tool's per-request format; `None` for generic inputs.
    pub requests: Option<Requests>,
    /// Per-request columns, only with [`ReadOptions::keep_records`](crate::ReadOptions::keep_records).
    pub records: Option<Records>,
    /// Why the values' input order is not their time order (ab `-g` sorts its rows by total time), so
    /// that checks needing time order (lag-1 autocorrelation, a warm-up cut by position) must not run;
    /// `None` when input order is time order (or the best known).
    pub not_time_ordered: Option<String>,
    /// How the metric was chosen when [`ReadOptions::metric`](crate::ReadOptions::metric) was not given
    /// and several columns were numeric; `None` when it was named or the only candidate.
    pub metric_choice: Option<MetricChoice>,
}

/// How the metric was picked among several numeric columns (see [`Dataset::metric_choice`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricChoice {
    /// The numeric columns, in input order (the chosen one among them).
    pub candidates: Vec<String>,
    /// Why the chosen one won: `a latency-like name` (the others are timestamps, ids, codes or counts).
    pub reason: String,
}

impl Dataset {
    /// A dataset of a generic format, without request accounting.
    pub(crate) fn generic(
        source: &str,
        metric: String,
        groups: Vec<Group>,
        rows: u64,
        skipped: u64,
        format: InputFormat,
    ) -> Self {
        Self {
            source: source.to_owned(),
            metric,
            groups,
            rows,
            skipped,
            format,
            unit: None,
            requests: None,
            records: None,
            not_time_ordered: None,
            metric_choice: None,
        }
    }

    /// Number of values kept, over all groups (`rows - skipped`, less the failed requests that were
    /// excluded for a tool's format).
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.values.len()).sum()
    }

    /// Whether no value was kept (never true for a dataset returned by a reader).
    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(|g| g.values.is_empty())
    }

    /// All values, group after group.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.groups.iter().flat_map(|g| g.values.iter().copied())
    }
}

/// The request accounting of a load-test result: how many requests, how many failed and why, and the
/// time they span.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Requests {
    /// Requests read (valid rows of the metric), successful or not.
    pub total: u64,
    /// Requests that failed (an error, a non-2xx/3xx status, a failed assertion, as the tool says).
    pub failed: u64,
    /// Whether the failed requests' values are in the groups
    /// ([`ReadOptions::include_failures`](crate::ReadOptions::include_failures)).
    pub failures_included: bool,
    /// Failures by status (`HTTP 500`) or message (`request timeout`), most frequent first (ties by name).
    /// At most 50 kinds; the rest are counted under `other`.
    pub failures: Vec<(String, u64)>,
    /// The earliest request start, epoch milliseconds (or milliseconds on the tool's own clock, e.g. hey's
    /// offsets), when the format has timestamps.
    pub start_ms: Option<f64>,
    /// The latest request end, on the same clock as `start_ms`.
    pub end_ms: Option<f64>,
    /// Why the format cannot say which requests failed (ab `-g` has no status or error column): then
    /// `failed` is 0 only because nothing is known, [`Requests::failed_if_known`] and
    /// [`Requests::error_rate`] are `None`. `None` when the format records failures.
    pub failures_unknown: Option<String>,
    /// The resolution of the start times in milliseconds when it is coarser than the latencies' (ab
    /// `-g`: whole seconds, 1000): the span, and so the throughput, is only known to within it.
    pub start_resolution_ms: Option<f64>,
}

impl Requests {
    /// Failed requests over all requests; `None` without requests or when failures are unknown
    /// ([`Requests::failures_unknown`]).
    pub fn error_rate(&self) -> Option<f64> {
        (self.total > 0 && self.failures_unknown.is_none())
            .then(|| self.failed as f64 / self.total as f64)
    }

    /// The failed requests, `None` when the format cannot know them ([`Requests::failures_unknown`]).
    pub fn failed_if_known(&self) -> Option<u64> {
        self.failures_unknown.is_none().then_some(self.failed)
    }

    /// The throughput's range when the start times are coarse ([`Requests::start_resolution_ms`]): the
    /// true span lies within ± one resolution step of the measured one, so the rate lies in
    /// `(total / (span + step), total / (span − step))`; the upper end is `None` (unbounded) when the
    /// span is not longer than one step. `None` when the start times are exact or there is no span.
    pub fn throughput_range(&self) -> Option<(f64, Option<f64>)> {
        let step = self.start_resolution_ms? / 1000.0;
        let d = self.duration_s()?;
        let n = self.total as f64;
        Some((n / (d + step), (d > step).then(|| n / (d - step))))
    }

    /// The run's duration in seconds (latest end − earliest start), when known and positive.
    pub fn duration_s(&self) -> Option<f64> {
        match (self.start_ms, self.end_ms) {
            (Some(a), Some(b)) if b > a => Some((b - a) / 1000.0),
            _ => None,
        }
    }

    /// Requests per second over the run's duration (all requests, failed ones included).
    pub fn throughput_rps(&self) -> Option<f64> {
        self.duration_s().map(|d| self.total as f64 / d)
    }
}

/// Per-request columns (one entry per request, in input order), kept only when asked for with
/// [`ReadOptions::keep_records`](crate::ReadOptions::keep_records). No string is kept per row: labels are
/// ids into [`Records::labels`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Records {
    /// Latency (the metric), milliseconds.
    pub latency_ms: Vec<f64>,
    /// Request start, epoch milliseconds (the tool's clock); NaN when the format has none.
    pub timestamp_ms: Vec<f64>,
    /// Label id (index into `labels`).
    pub label: Vec<u32>,
    /// The distinct labels (endpoint, transaction, command), by id.
    pub labels: Vec<String>,
    /// Whether the request succeeded.
    pub success: Vec<bool>,
    /// HTTP status; 0 for a transport error or when the format has none.
    pub status: Vec<u16>,
    /// Bytes received; 0 when the format has none.
    pub bytes: Vec<u64>,
    /// JMeter's `allThreads` (active threads of all thread groups when the sample was taken), one per
    /// request, when the input is a JMeter JTL CSV with that column; 0 for an empty or non-numeric cell.
    /// `None` for other formats. Lets one file holding several load levels be split by concurrency.
    pub all_threads: Option<Vec<u32>>,
}

impl Records {
    /// Number of requests.
    pub fn len(&self) -> usize {
        self.latency_ms.len()
    }

    /// Whether there is no request.
    pub fn is_empty(&self) -> bool {
        self.latency_ms.is_empty()
    }
}

/// The values of one group.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The grouping column's value; `None` when not grouping.
    pub label: Option<String>,
    /// The metric's values, in input order.
    pub values: Vec<f64>,
}

/// Collects values into groups, mapping labels to group ids without keeping a string per row.
///
/// Few labels (the usual case: endpoints, scenarios) are found by a linear scan, which is faster than
/// hashing; past [`Groups::SCAN`] labels a hash map takes over.
#[derive(Default)]
pub(crate) struct Groups {
    groups: Vec<Group>,
    /// The label of each group, by id.
    keys: Vec<Box<[u8]>>,
    /// Label → id, filled once there are more than [`Groups::SCAN`] labels.
    ids: HashMap<Box<[u8]>, usize>,
}

impl Groups {
    /// Adds a value to the single unlabelled group.
    #[inline]
    pub(crate) fn push(&mut self, value: f64) {
        match self.groups.first_mut() {
            Some(group) => group.values.push(value),
            None => self.groups.push(Group {
                label: None,
                values: vec![value],
            }),
        }
    }

    /// The group id of `label`, creating the group if needed. Fails if a new label is not UTF-8.
    #[inline]
    pub(crate) fn id(&mut self, label: &[u8]) -> Result<usize, ()> {
        if self.keys.len() <= Self::SCAN {
            if let Some(id) = self.keys.iter().position(|k| **k == *label) {
                return Ok(id);
            }
        } else if let Some(&id) = self.ids.get(label) {
            return Ok(id);
        }
        let text = std::str::from_utf8(label).map_err(|_| ())?;
        let id = self.groups.len();
        self.groups.push(Group {
            label: Some(text.to_owned()),
            values: Vec::new(),
        });
        self.keys.push(label.into());
        if self.keys.len() > Self::SCAN {
            if self.ids.is_empty() {
                self.ids = self.keys.iter().cloned().zip(0..).collect();
            } else {
                self.ids.insert(label.into(), id);
            }
        }
        Ok(id)
    }

    /// Up to this many labels, lookups scan.
    const SCAN: usize = 16;

    /// Adds a value to group `id` (from [`Groups::id`]).
    #[inline]
    pub(crate) fn push_to(&mut self, id: usize, value: f64) {
        if let Some(group) = self.groups.get_mut(id) {
            group.values.push(value);
        }
    }

    /// Appends `other`'s values after this one's, group by group (labels matched, new ones added in
    /// `other`'s order of first appearance): the merge of the parts of an input read in parallel.
    pub(crate) fn append(&mut self, other: Groups) {
        let mut keys = other.keys.into_iter();
        for group in other.groups {
            let id = match &group.label {
                None => {
                    if self.groups.is_empty() {
                        self.groups.push(Group {
                            label: None,
                            values: Vec::new(),
                        });
                    }
                    Some(0)
                }
                // `other` accepted the label, so it is UTF-8 and `id` succeeds.
                Some(_) => keys.next().and_then(|key| self.id(&key).ok()),
            };
            if let Some(target) = id.and_then(|id| self.groups.get_mut(id)) {
                if target.values.is_empty() {
                    target.values = group.values;
                } else {
                    target.values.extend_from_slice(&group.values);
                }
            }
        }
    }

    /// The finished groups, dropping any left empty.
    pub(crate) fn finish(self) -> Vec<Group> {
        self.groups
            .into_iter()
            .filter(|g| !g.values.is_empty())
            .collect()
    }
}

/// Why a text is not an acceptable value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BadValue {
    NotANumber,
    NonFinite,
    /// Finite, but infinite once converted to milliseconds.
    Overflow,
}

/// Converts a finite value to milliseconds by moving its decimal point `exp10` places (see
/// [`scale_f64`](crate::formats::scale_f64)); a result too large for an `f64` is an error.
#[inline]
pub(crate) fn to_ms(v: f64, exp10: i32) -> Result<f64, BadValue> {
    let ms = crate::formats::scale_f64(v, exp10);
    if ms.is_finite() {
        Ok(ms)
    } else {
        Err(BadValue::Overflow)
    }
}

/// Parses a value: ASCII white space around it is ignored; it must be a finite number.
#[inline]
pub(crate) fn parse_value(bytes: &[u8]) -> Result<f64, BadValue> {
    let text = bytes.trim_ascii();
    if let Some(v) = plain_decimal(text) {
        return Ok(v);
    }
    match fast_float2::parse::<f64, _>(text) {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(BadValue::NonFinite),
        Err(_) => Err(BadValue::NotANumber),
    }
}

/// Powers of ten that are exact in an `f64`.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The value of a short plain decimal (`-?digits(.digits)?`, at most 19 digits, the digits as an
/// integer at most 2^53, at most 22 after the point), else `None`.
///
/// Hand-written because most values of load-test output are such decimals (`50.123`), and this is
/// about a third of fast-float2's instructions for them. It is exact, so bit-identical to fast-float2
/// (and `str::parse`): the digits and the power of ten are exact `f64`s, and one IEEE division of
/// exact operands is correctly rounded (Clinger's fast path, which fast-float2 takes too). Anything
/// else is fast-float2's.
#[inline]
fn plain_decimal(text: &[u8]) -> Option<f64> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    // Digits from `i` on, accumulated into `mantissa` (wrapping only past 19 digits, refused below).
    let run = |mut i: usize, mut mantissa: u64| {
        while let Some(d) = digits
            .get(i)
            .map(|b| b.wrapping_sub(b'0'))
            .filter(|&d| d < 10)
        {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
        (i, mantissa)
    };
    let (whole, mantissa) = run(0, 0);
    if whole == 0 {
        return None;
    }
    let (end, mantissa, fraction) = match digits.get(whole) {
        None => (whole, mantissa, 0),
        Some(b'.') => {
            let (end, mantissa) = run(whole + 1, mantissa);
            (end, mantissa, end - whole - 1)
        }
        Some(_) => return None,
    };
    if end != digits.len() || (end > whole && fraction == 0) {
        return None;
    }
    if whole + fraction > 19 || mantissa > 1 << 53 {
        return None;
    }
    let scale = *EXACT_POW10.get(fraction)?;
    // Both exact (mantissa <= 2^53, 10^fraction exact up to 10^22): the quotient is correctly rounded.
    let v = mantissa as f64 / scale;
    Some(if negative { -v } else { v })
}

/// Whether a text parses as a number (finite or not): used to decide which columns are numeric.
pub(crate) fn looks_numeric(bytes: &[u8]) -> bool {
    let t = bytes.trim_ascii();
    !t.is_empty() && fast_float2::parse::<f64, _>(t).is_ok()
}

/// The error for a bad value in `column`; `bytes` is the text found.
pub(crate) fn bad_value_kind(column: &str, bytes: &[u8], bad: BadValue) -> ErrorKind {
    let column = column.to_owned();
    match std::str::from_utf8(bytes) {
        Err(_) => ErrorKind::InvalidUtf8 {
            column: Some(column),
        },
        Ok(text) => {
            // A CR of a CRLF line end stays in the last field: not part of the value.
            let found = shorten(text.trim_ascii());
            match bad {
                BadValue::NotANumber => ErrorKind::InvalidNumber { column, found },
                BadValue::NonFinite => ErrorKind::NonFinite { column, found },
                BadValue::Overflow => ErrorKind::Overflow { column, found },
            }
        }
    }
}

/// At most 60 characters of `text`, with an ellipsis when cut.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Chooses the metric column: the one named, else the only numeric one.
///
/// `numeric[i]` says whether column `i` looked numeric in the first rows.
pub(crate) fn choose_metric(
    columns: &[String],
    numeric: &[bool],
    requested: Option<&str>,
) -> Result<usize, ErrorKind> {
    if let Some(name) = requested {
        return find_column(columns, name).ok_or_else(|| ErrorKind::UnknownMetric {
            name: name.to_owned(),
            available: columns.to_vec(),
        });
    }
    if columns.len() == 1 {
        return Ok(0);
    }
    let candidates: Vec<usize> = (0..columns.len())
        .filter(|&i| numeric.get(i) == Some(&true))
        .collect();
    match candidates.as_slice() {
        [one] => Ok(*one),
        [] => Err(ErrorKind::NoNumeric {
            columns: columns.to_vec(),
        }),
        several => obvious_metric(columns, several).ok_or_else(|| ErrorKind::SeveralNumeric {
            columns: several.iter().map(|&i| columns[i].clone()).collect(),
        }),
    }
}

/// How [`choose_metric`] chose `chosen` when it was not named: `Some` when several columns were numeric
/// (the choice was by name), `None` when it was named or the only candidate.
pub(crate) fn metric_choice(
    columns: &[String],
    numeric: &[bool],
    requested: Option<&str>,
) -> Option<MetricChoice> {
    if requested.is_some() || columns.len() == 1 {
        return None;
    }
    let candidates: Vec<usize> = (0..columns.len())
        .filter(|&i| numeric.get(i) == Some(&true))
        .collect();
    if candidates.len() < 2 {
        return None;
    }
    obvious_metric(columns, &candidates)?;
    Some(MetricChoice {
        candidates: candidates.iter().map(|&i| columns[i].clone()).collect(),
        reason: "a latency-like name; the others name timestamps, ids, status codes or counts"
            .to_owned(),
    })
}

/// What a column's name says it holds (see [`obvious_metric`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameKind {
    /// A latency or duration: `latency_ms`, `elapsed`, `response-time`, `ttft_ms`, `duration`.
    Latency,
    /// Not a measurement to describe: a timestamp, an id, a status code, a count, a size.
    NotMetric,
    /// Anything else (`value`, `time`, `x`).
    Neutral,
}

/// Words (after splitting a name at non-alphanumerics and camelCase humps, lowercased) that make a name
/// latency-like.
const LATENCY_WORDS: &[&str] = &[
    "latency",
    "latencies",
    "duration",
    "elapsed",
    "rt",
    "ttft",
    "ttfb",
    "itl",
    "tpot",
    "e2el",
    "e2e",
    "runtime",
    "wall",
    "response",
    "responsetime",
    "took",
    "rtt",
];

/// Words that mark timestamps, ids, codes, counts and sizes; they win over [`LATENCY_WORDS`]
/// (`response_code`, `start_time`).
const NOT_METRIC_WORDS: &[&str] = &[
    "timestamp",
    "stamp",
    "ts",
    "epoch",
    "date",
    "datetime",
    "start",
    "started",
    "end",
    "ended",
    "id",
    "uuid",
    "seq",
    "sequence",
    "status",
    "code",
    "count",
    "bytes",
    "size",
    "threads",
    "users",
    "vus",
    "iteration",
    "iter",
    "index",
    "idx",
    "line",
    "port",
    "pid",
    "offset",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "num",
    "number",
    "tokens",
    "errors",
    "error",
];

/// The words of a column name: split at non-alphanumerics and at lower→upper case humps, lowercased
/// (`timeStamp` → `time`, `stamp`; `latency_ms` → `latency`, `ms`).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// What a column's name says it holds.
pub(crate) fn name_kind(name: &str) -> NameKind {
    let words = words(name);
    if words.iter().any(|w| NOT_METRIC_WORDS.contains(&w.as_str())) {
        NameKind::NotMetric
    } else if words.iter().any(|w| LATENCY_WORDS.contains(&w.as_str())) {
        NameKind::Latency
    } else {
        NameKind::Neutral
    }
}

/// The obvious metric among several numeric columns: the only latency-like name, else the only name that
/// is not a timestamp, id, code or count; `None` when that does not single one out.
fn obvious_metric(columns: &[String], candidates: &[usize]) -> Option<usize> {
    let of = |kind: NameKind| -> Vec<usize> {
        candidates
            .iter()
            .copied()
            .filter(|&i| name_kind(&columns[i]) == kind)
            .collect()
    };
    match of(NameKind::Latency).as_slice() {
        [one] => Some(*one),
        [] => match candidates
            .iter()
            .copied()
            .filter(|&i| name_kind(&columns[i]) != NameKind::NotMetric)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [one] => Some(*one),
            _ => None,
        },
        _ => None,
    }
}

/// Fails when two non-empty column names are equal (a column named by it would be ambiguous): the
/// error names both 1-based indices and is placed at the second.
pub(crate) fn no_duplicate_columns(columns: &[String]) -> Result<(), (u64, ErrorKind)> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(columns.len());
    for (j, name) in columns.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if let Some(&i) = seen.get(name.as_str()) {
            let kind = ErrorKind::DuplicateColumn {
                name: name.clone(),
                first: i as u64 + 1,
                second: j as u64 + 1,
            };
            return Err((j as u64 + 1, kind));
        }
        seen.insert(name, j);
    }
    Ok(())
}

/// The grouping column's index.
pub(crate) fn choose_by(columns: &[String], requested: &str) -> Result<usize, ErrorKind> {
    find_column(columns, requested).ok_or_else(|| ErrorKind::UnknownBy {
        name: requested.to_owned(),
        available: columns.to_vec(),
    })
}

/// Exact match first, then ASCII case-insensitive if that is unambiguous (the one column lookup of
/// every reader and of [`Table::column`](crate::table::Table::column)).
pub(crate) fn find_column(columns: &[String], name: &str) -> Option<usize> {
    if let Some(i) = columns.iter().position(|c| c == name) {
        return Some(i);
    }
    let mut matches = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.eq_ignore_ascii_case(name));
    match (matches.next(), matches.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_are_fast_float2s_values() {
        for text in [
            "0",
            "-0",
            "0.0",
            "-0.0",
            "50.123",
            "1.5",
            "123456789012345678",
            "9007199254740993",
            "9007199254740992",
            "0.1",
            "0.30000000000000004",
            "1.0000000000000000000001",
            "00012.50",
            "1234567890.1234567",
            "9999999999999999999",
            "18446744073709551615",
        ] {
            let want = fast_float2::parse::<f64, _>(text).ok().map(f64::to_bits);
            let got = plain_decimal(text.as_bytes()).map(f64::to_bits);
            assert!(got.is_none() || got == want, "{text}: {got:?} vs {want:?}");
            assert_eq!(
                parse_value(text.as_bytes()).ok().map(f64::to_bits),
                want,
                "{text}"
            );
        }
        for text in [
            "", "-", ".", "1.", ".5", "1..2", "1.2.3", "+1", "1e3", "--1", "1-", "0x1",
        ] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_decimals_match_fast_float2(
            negative in proptest::bool::ANY,
            int in "[0-9]{1,20}",
            frac in proptest::option::of("[0-9]{1,24}"),
        ) {
            let text = format!("{}{int}{}", if negative { "-" } else { "" }, frac.map(|f| format!(".{f}")).unwrap_or_default());
            let want = fast_float2::parse::<f64, _>(text.as_bytes()).ok().map(f64::to_bits);
            proptest::prop_assert_eq!(parse_value(text.as_bytes()).ok().map(f64::to_bits), want);
        }
    }

    #[test]
    fn parse_value_accepts_trimmed_finite_numbers() {
        assert_eq!(parse_value(b" 1.5 "), Ok(1.5));
        assert_eq!(parse_value(b"-2e3"), Ok(-2000.0));
        assert_eq!(parse_value(b"NaN"), Err(BadValue::NonFinite));
        assert_eq!(parse_value(b"inf"), Err(BadValue::NonFinite));
        assert_eq!(parse_value(b""), Err(BadValue::NotANumber));
        assert_eq!(parse_value(b"n/a"), Err(BadValue::NotANumber));
        assert_eq!(parse_value(b"1.5ms"), Err(BadValue::NotANumber));
    }

    #[test]
    fn groups_keep_first_appearance_order() {
        let mut g = Groups::default();
        for (label, v) in [("b", 1.0), ("a", 2.0), ("b", 3.0)] {
            let id = g.id(label.as_bytes()).unwrap();
            g.push_to(id, v);
        }
        assert!(g.id(b"\xff").is_err());
        // Past the scan limit, the map finds the same ids.
        for i in 0..40 {
            let id = g.id(format!("l{i}").as_bytes()).unwrap();
            assert_eq!(id, i + 2);
        }
        assert_eq!(g.id(b"b"), Ok(0));
        assert_eq!(g.id(b"l39"), Ok(41));
        let groups = g.finish();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].label.as_deref(), Some("b"));
        assert_eq!(groups[0].values, [1.0, 3.0]);
        assert_eq!(groups[1].values, [2.0]);
    }

    #[test]
    fn metric_choice_by_name() {
        let cols: Vec<String> = ["t", "latency", "label"].map(String::from).to_vec();
        assert_eq!(
            choose_metric(&cols, &[false, true, false], None).unwrap(),
            1
        );
        // A latency-like name beats the rest.
        assert_eq!(choose_metric(&cols, &[true, true, false], None).unwrap(), 1);
        let two: Vec<String> = ["a", "b"].map(String::from).to_vec();
        assert!(matches!(
            choose_metric(&two, &[true, true], None),
            Err(ErrorKind::SeveralNumeric { columns }) if columns == ["a", "b"]
        ));
        let run: Vec<String> = ["timestamp_ms", "latency_ms", "status", "label"]
            .map(String::from)
            .to_vec();
        let numeric = [true, true, true, false];
        assert_eq!(choose_metric(&run, &numeric, None).unwrap(), 1);
        let choice = metric_choice(&run, &numeric, None).unwrap();
        assert_eq!(choice.candidates, ["timestamp_ms", "latency_ms", "status"]);
        assert_eq!(metric_choice(&run, &numeric, Some("status")), None);
        // JMeter's columns: elapsed wins over timeStamp, responseCode, bytes, allThreads...; but
        // elapsed and Latency are both latency-like: no obvious choice.
        let jtl: Vec<String> = [
            "timeStamp",
            "elapsed",
            "responseCode",
            "bytes",
            "allThreads",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(choose_metric(&jtl, &[true; 5], None).unwrap(), 1);
        let both: Vec<String> = ["elapsed", "Latency"].map(String::from).to_vec();
        assert!(choose_metric(&both, &[true; 2], None).is_err());
        // Only one column that is not a timestamp/id/count: chosen though its name is neutral.
        let neutral: Vec<String> = ["id", "value", "ts"].map(String::from).to_vec();
        assert_eq!(choose_metric(&neutral, &[true; 3], None).unwrap(), 1);
        for (name, kind) in [
            ("response-time", NameKind::Latency),
            ("responseCode", NameKind::NotMetric),
            ("ttft_ms", NameKind::Latency),
            ("start_time", NameKind::NotMetric),
            ("timeStamp", NameKind::NotMetric),
            ("time", NameKind::Neutral),
            ("request_id", NameKind::NotMetric),
        ] {
            assert_eq!(name_kind(name), kind, "{name}");
        }
        assert!(matches!(
            choose_metric(&cols, &[false; 3], None),
            Err(ErrorKind::NoNumeric { .. })
        ));
        assert_eq!(choose_metric(&cols, &[false; 3], Some("LABEL")).unwrap(), 2);
        assert!(matches!(
            choose_metric(&cols, &[false; 3], Some("x")),
            Err(ErrorKind::UnknownMetric { .. })
        ));
    }

    #[test]
    fn shorten_cuts_long_text() {
        assert_eq!(shorten("abc"), "abc");
        assert_eq!(shorten(&"x".repeat(100)).chars().count(), 61);
    }
}
