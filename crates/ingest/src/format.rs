//! Input formats and how they are recognised.

use std::{fmt, str::FromStr};

/// The format of an input: a generic one (CSV, JSON, NDJSON) or a load-test or benchmark tool's output.
/// More may follow; match with a wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputFormat {
    /// Delimited text with a header row (or a bare list of numbers, one per line). The delimiter (comma,
    /// tab, semicolon or pipe) is sniffed from the first line, so TSV is this format too.
    Csv,
    /// One JSON document: an array of numbers, or an array of records (objects).
    Json,
    /// Newline-delimited JSON (JSON Lines): one record or one number per line.
    Ndjson,
    /// k6 `--out json`: NDJSON Metric and Point lines (`k6-json`).
    K6Json,
    /// k6 `--out csv`: one row per sample, `metric_name,timestamp,metric_value,...` (`k6-csv`).
    K6Csv,
    /// JMeter JTL results in CSV, any column set (`jmeter-csv`).
    JmeterCsv,
    /// JMeter JTL results in XML: `<testResults>` of `<httpSample>`/`<sample>` elements (`jmeter-xml`).
    JmeterXml,
    /// Gatling `simulation.log`, text format of Gatling 3.0–3.12 (`gatling`).
    Gatling,
    /// vegeta `encode --to csv`: no header, 6 to 12 columns, nanoseconds (`vegeta-csv`).
    VegetaCsv,
    /// vegeta `encode --to json`: NDJSON, nanoseconds (`vegeta-json`).
    VegetaJson,
    /// hey `-o csv`: seconds (`hey`).
    Hey,
    /// ApacheBench `-g` TSV (`ab`).
    ApacheBench,
    /// Locust `_stats_history.csv`: aggregates per second, not per request (`locust-history`).
    LocustHistory,
    /// Locust `_stats.csv`: one row of aggregates per endpoint, not per request (`locust-stats`).
    LocustStats,
    /// hyperfine `--export-json`: one sample per command, seconds (`hyperfine`).
    Hyperfine,
    /// oha `--output-format csv`: one row per response, seconds (`oha-csv`).
    OhaCsv,
    /// oha `--output-format json`: the run's summary, aggregates only (`oha-json`).
    OhaJson,
    /// goose `--request-log FILE --request-format csv`: one row per request, ms (`goose-csv`).
    GooseCsv,
    /// goose `--request-log FILE --request-format json`: JSON Lines, one request per line, ms
    /// (`goose-json`).
    GooseJson,
    /// wrk's text report (`wrk --latency`): aggregates only (`wrk`).
    WrkReport,
    /// HdrHistogram interval log (`.hlog`; wrk2, HdrHistogram's log writers): histograms, microseconds
    /// (`hdr-log`).
    HdrLog,
    /// vLLM benchmark result JSON (`benchmark_serving.py` / `vllm bench serve --save-result`) (`vllm`).
    Vllm,
    /// llmperf `*_individual_responses.json` (`llmperf`).
    Llmperf,
    /// Apache Parquet: one file, or a directory of them (`parquet`). Needs the `parquet` cargo feature.
    Parquet,
    /// Apache Arrow IPC file (Feather v2) (`arrow-ipc`). Needs the `parquet` cargo feature.
    ArrowIpc,
}

impl InputFormat {
    /// Every format, in the order they are documented.
    pub const ALL: [InputFormat; 25] = [
        InputFormat::Csv,
        InputFormat::Json,
        InputFormat::Ndjson,
        InputFormat::K6Json,
        InputFormat::K6Csv,
        InputFormat::JmeterCsv,
        InputFormat::JmeterXml,
        InputFormat::Gatling,
        InputFormat::VegetaCsv,
        InputFormat::VegetaJson,
        InputFormat::Hey,
        InputFormat::ApacheBench,
        InputFormat::LocustHistory,
        InputFormat::LocustStats,
        InputFormat::Hyperfine,
        InputFormat::OhaCsv,
        InputFormat::OhaJson,
        InputFormat::GooseCsv,
        InputFormat::GooseJson,
        InputFormat::WrkReport,
        InputFormat::HdrLog,
        InputFormat::Vllm,
        InputFormat::Llmperf,
        InputFormat::Parquet,
        InputFormat::ArrowIpc,
    ];

    /// The format's name as accepted by [`FromStr`]: `csv`, `json`, `ndjson`, `k6-json`, `k6-csv`,
    /// `jmeter-csv`, `jmeter-xml`, `gatling`, `vegeta-csv`, `vegeta-json`, `hey`, `ab`, `locust-history`,
    /// `locust-stats`, `hyperfine`, `oha-csv`, `oha-json`, `goose-csv`, `goose-json`, `wrk`, `hdr-log`,
    /// `vllm`, `llmperf`, `parquet`, `arrow-ipc`.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::Json => "json",
            InputFormat::Ndjson => "ndjson",
            InputFormat::K6Json => "k6-json",
            InputFormat::K6Csv => "k6-csv",
            InputFormat::JmeterCsv => "jmeter-csv",
            InputFormat::JmeterXml => "jmeter-xml",
            InputFormat::Gatling => "gatling",
            InputFormat::VegetaCsv => "vegeta-csv",
            InputFormat::VegetaJson => "vegeta-json",
            InputFormat::Hey => "hey",
            InputFormat::ApacheBench => "ab",
            InputFormat::LocustHistory => "locust-history",
            InputFormat::LocustStats => "locust-stats",
            InputFormat::Hyperfine => "hyperfine",
            InputFormat::OhaCsv => "oha-csv",
            InputFormat::OhaJson => "oha-json",
            InputFormat::GooseCsv => "goose-csv",
            InputFormat::GooseJson => "goose-json",
            InputFormat::WrkReport => "wrk",
            InputFormat::HdrLog => "hdr-log",
            InputFormat::Vllm => "vllm",
            InputFormat::Llmperf => "llmperf",
            InputFormat::Parquet => "parquet",
            InputFormat::ArrowIpc => "arrow-ipc",
        }
    }

    /// A human description, for messages: `JMeter JTL CSV`, `k6 JSON output`, ...
    pub fn description(self) -> &'static str {
        match self {
            InputFormat::Csv => "CSV",
            InputFormat::Json => "JSON",
            InputFormat::Ndjson => "NDJSON",
            InputFormat::K6Json => "k6 JSON output",
            InputFormat::K6Csv => "k6 CSV output",
            InputFormat::JmeterCsv => "JMeter JTL CSV",
            InputFormat::JmeterXml => "JMeter JTL XML",
            InputFormat::Gatling => "Gatling simulation.log",
            InputFormat::VegetaCsv => "vegeta CSV",
            InputFormat::VegetaJson => "vegeta JSON",
            InputFormat::Hey => "hey CSV",
            InputFormat::ApacheBench => "ApacheBench gnuplot TSV",
            InputFormat::LocustHistory => "Locust stats history CSV",
            InputFormat::LocustStats => "Locust stats CSV",
            InputFormat::Hyperfine => "hyperfine JSON export",
            InputFormat::OhaCsv => "oha CSV",
            InputFormat::OhaJson => "oha JSON summary",
            InputFormat::GooseCsv => "goose request log CSV",
            InputFormat::GooseJson => "goose request log JSON",
            InputFormat::WrkReport => "wrk report",
            InputFormat::HdrLog => "HdrHistogram interval log",
            InputFormat::Vllm => "vLLM benchmark result JSON",
            InputFormat::Llmperf => "llmperf individual responses JSON",
            InputFormat::Parquet => "Parquet",
            InputFormat::ArrowIpc => "Arrow IPC",
        }
    }

    /// Whether this is a load-test or benchmark tool's format (not generic CSV/JSON/NDJSON, nor a columnar
    /// table format): its latencies are in milliseconds and its requests carry success and failure.
    pub fn is_tool(self) -> bool {
        !matches!(
            self,
            InputFormat::Csv
                | InputFormat::Json
                | InputFormat::Ndjson
                | InputFormat::Parquet
                | InputFormat::ArrowIpc
        )
    }

    /// Whether this is a columnar binary format (Parquet, Arrow IPC), read with polars when perfstat is
    /// built with the `parquet` feature.
    pub fn is_columnar(self) -> bool {
        matches!(self, InputFormat::Parquet | InputFormat::ArrowIpc)
    }

    /// The format implied by a file name's extension, after removing a `.gz` suffix; ASCII case is ignored.
    ///
    /// `.csv`, `.tsv`, `.txt` → CSV; `.json` → JSON; `.ndjson`, `.jsonl` → NDJSON; `.jtl.xml`, `.xml` →
    /// JMeter XML; `.parquet`, `.pq` → Parquet; `.arrow`, `.ipc`, `.feather` → Arrow IPC.
    ///
    /// ```
    /// use perfstat_ingest::InputFormat;
    /// assert_eq!(InputFormat::from_name("runs/a.JSONL.gz"), Some(InputFormat::Ndjson));
    /// assert_eq!(InputFormat::from_name("-"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<InputFormat> {
        let name = name.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let (_, ext) = name.rsplit_once('.')?;
        match ext {
            "csv" | "tsv" | "txt" => Some(InputFormat::Csv),
            "json" => Some(InputFormat::Json),
            "ndjson" | "jsonl" => Some(InputFormat::Ndjson),
            "xml" => Some(InputFormat::JmeterXml),
            "parquet" | "pq" => Some(InputFormat::Parquet),
            "arrow" | "ipc" | "feather" => Some(InputFormat::ArrowIpc),
            _ => None,
        }
    }

    /// The format implied by the first bytes of the (decompressed) content: after white space (and a
    /// byte-order mark), `[` means JSON, `{` means NDJSON, anything else CSV. The magic bytes `PAR1` and
    /// `ARROW1` mean Parquet and Arrow IPC.
    pub fn from_content(head: &[u8]) -> InputFormat {
        if let Some(format) = Self::from_magic(head) {
            return format;
        }
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => InputFormat::Json,
            Some(b'{') => InputFormat::Ndjson,
            _ => InputFormat::Csv,
        }
    }
}

impl InputFormat {
    /// The columnar format whose magic bytes start `head`: `PAR1` (Parquet), `ARROW1` (Arrow IPC file).
    pub fn from_magic(head: &[u8]) -> Option<InputFormat> {
        if head.starts_with(b"PAR1") {
            Some(InputFormat::Parquet)
        } else if head.starts_with(b"ARROW1") {
            Some(InputFormat::ArrowIpc)
        } else {
            None
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an [`InputFormat`] name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown input format \"{0}\"; expected one of: csv, tsv, json, ndjson, jsonl, k6-json, k6-csv, \
     jmeter-csv, jmeter-xml, gatling, vegeta-csv, vegeta-json, hey, ab, locust-history, locust-stats, \
     hyperfine, oha-csv, oha-json, goose-csv, goose-json, wrk, hdr-log, vllm, llmperf, parquet, arrow-ipc"
)]
pub struct UnknownFormat(pub String);

impl FromStr for InputFormat {
    type Err = UnknownFormat;

    /// Accepts every [`InputFormat::name`], and `tsv` (CSV), `jsonl` (NDJSON), `jmeter`/`jtl` (JMeter CSV),
    /// `k6` (k6 JSON), `vegeta` (vegeta CSV), `apache-bench`, `locust`, `jtl-xml` (JMeter XML), `ipc`/`arrow`/
    /// `feather` (Arrow IPC), `oha` (oha CSV), `goose` (goose CSV); ASCII case ignored, `_` as `-`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim().to_ascii_lowercase().replace('_', "-");
        if let Some(f) = InputFormat::ALL.into_iter().find(|f| f.name() == name) {
            return Ok(f);
        }
        match name.as_str() {
            "tsv" => Ok(InputFormat::Csv),
            "jsonl" => Ok(InputFormat::Ndjson),
            "k6" => Ok(InputFormat::K6Json),
            "jmeter" | "jtl" => Ok(InputFormat::JmeterCsv),
            "vegeta" => Ok(InputFormat::VegetaCsv),
            "apache-bench" | "apachebench" => Ok(InputFormat::ApacheBench),
            "locust" => Ok(InputFormat::LocustHistory),
            "oha" => Ok(InputFormat::OhaCsv),
            "goose" => Ok(InputFormat::GooseCsv),
            "hlog" | "hdr" | "hdrhistogram" => Ok(InputFormat::HdrLog),
            "jtl-xml" => Ok(InputFormat::JmeterXml),
            "ipc" | "arrow" | "feather" => Ok(InputFormat::ArrowIpc),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// The delimiter of a CSV file, sniffed from its first line: whichever of comma, tab, semicolon and pipe
/// occurs most often outside double quotes (ties in that order); `fallback` if none occurs.
pub(crate) fn sniff_delimiter(head: &[u8], fallback: u8) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
    let line = match memchr::memchr(b'\n', head) {
        Some(end) => &head[..end],
        None => head,
    };
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
            counts[i] += 1;
        }
    }
    let mut best = None;
    for (i, &n) in counts.iter().enumerate() {
        if n > 0 && best.is_none_or(|(_, m)| n > m) {
            best = Some((i, n));
        }
    }
    best.map_or(fallback, |(i, _)| CANDIDATES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3", b','), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n", b','), b'\t');
        assert_eq!(sniff_delimiter(b"a;b;\"c,d,e\"\n", b','), b';');
        assert_eq!(sniff_delimiter(b"a|b", b','), b'|');
        assert_eq!(sniff_delimiter(b"latency", b'\t'), b'\t');
    }

    #[test]
    fn detects_by_name_and_content() {
        assert_eq!(InputFormat::from_name("a.tsv"), Some(InputFormat::Csv));
        assert_eq!(InputFormat::from_name("a.json.gz"), Some(InputFormat::Json));
        assert_eq!(InputFormat::from_name("a.gz"), None);
        assert_eq!(InputFormat::from_name("data"), None);
        assert_eq!(InputFormat::from_content(b"  \n[1,2]"), InputFormat::Json);
        assert_eq!(
            InputFormat::from_content(b"\xEF\xBB\xBF{\"a\":1}"),
            InputFormat::Ndjson
        );
        assert_eq!(InputFormat::from_content(b"a,b"), InputFormat::Csv);
        assert_eq!("JSONL".parse::<InputFormat>(), Ok(InputFormat::Ndjson));
        assert!("xml".parse::<InputFormat>().is_err());
    }
}
