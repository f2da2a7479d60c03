//! `perfstat pareto`: read configs (JSON or CSV), call `perfstat_pareto::analyze`,
//! render the table / JSON contract / Markdown, and write the report folder.
//!
//! Input shapes (docs/json-output.md, `pareto`):
//!
//! - a JSON object `{"objectives": [...], "configs": [{"id", "params", "metrics"}]}`;
//!   a metric is a number, an array of numbers (repeated measurements), or a
//!   string path to a per-request sample file (see [`file_metric`]);
//! - a bare JSON array of flat records, with `--objective NAME:min|max`;
//! - CSV/TSV with a header, with `--objective`.
//!
//! In flat records (JSON array, CSV) every numeric field is a metric the
//! objectives and constraints may name; the fields they do not name are shown
//! as parameters. `--objective` on the command line replaces the file's list.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use clap::Args;
use perfstat_pareto::{Analysis, Config, Constraint, Metric, Objective, Options, Status};
use perfstat_report::OutDir;
use perfstat_report::pareto::{
    ConfigDoc, Goal, IntervalDoc, Named, ObjectiveDoc, ParetoDoc, Verdict, plot,
};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::Outcome;
use crate::args::OutputArgs;
use crate::output;

/// `perfstat pareto`.
#[derive(Debug, Args)]
pub(crate) struct ParetoArgs {
    /// Configurations: JSON (`{"objectives": [...], "configs": [...]}` or an array of
    /// flat records) or CSV/TSV with a header; `-` is stdin.
    #[arg(value_name = "CONFIGS")]
    pub(crate) file: PathBuf,
    /// An objective and its direction, e.g. `p95_latency_ms:min` (repeatable;
    /// replaces the file's `objectives`).
    #[arg(long = "objective", short = 'o', value_name = "NAME:min|max")]
    pub(crate) objectives: Vec<Objective>,
    /// A feasibility constraint, e.g. `p95_latency_ms<=500` (`<=`, `>=`, `<`, `>`;
    /// repeatable). Infeasible configs get no rank; the report names what they break.
    #[arg(long = "constraint", short = 'c', value_name = "METRIC<=VALUE")]
    pub(crate) constraints: Vec<Constraint>,
    /// Hypervolume reference point, one value per objective in its own units:
    /// `NAME=VALUE,NAME=VALUE,...`.
    #[arg(long, value_name = "NAME=VALUE,...")]
    pub(crate) reference: Option<String>,
    /// The field holding each config's id; without it, the row number.
    #[arg(long, value_name = "FIELD", default_value = "id")]
    pub(crate) id: String,
    /// Confidence level of the t intervals of repeated measurements, strictly
    /// between 0 and 1.
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL", value_parser = parse_confidence)]
    pub(crate) confidence: f64,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// Parses a confidence level: `0.95` or `95%`.
fn parse_confidence(s: &str) -> Result<f64, String> {
    let v = match s.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
        None => s.trim().parse::<f64>(),
    }
    .map_err(|_| format!("expected a level such as 0.95 or 95%, found {s:?}"))?;
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(format!(
            "must be strictly between 0 and 1 (or 0% and 100%), found {s}"
        ))
    }
}

pub(crate) fn run(args: &ParetoArgs) -> anyhow::Result<Outcome> {
    let source = args.file.display().to_string();
    let input =
        read_input(&args.file, &args.id, args.confidence).with_context(|| source.clone())?;
    let doc = analyse(args, input).with_context(|| source.clone())?;
    let json = output::json_doc(&doc)?;
    if let Some(dir) = &args.output.out {
        let out = OutDir::create(dir)?;
        let plots = plot::scatter_plots(&doc, out.path())?;
        output::finish_report(out, "pareto", &doc.markdown(&plots), &json)?;
    }
    output::print_result(
        args.output.format,
        || doc.table(),
        &json,
        || doc.markdown(&[]),
    )?;
    Ok(Outcome::Success)
}

/// What the file gave: its objectives (if any), its configs, and for flat
/// records the fields that may be parameters.
struct Input {
    objectives: Vec<Objective>,
    configs: Vec<Config>,
    /// Flat records: every field but the id, in order (metrics are split off later).
    flat: Option<Vec<Vec<(String, Value)>>>,
}

fn analyse(args: &ParetoArgs, input: Input) -> anyhow::Result<ParetoDoc> {
    let objectives = if args.objectives.is_empty() {
        input.objectives
    } else {
        args.objectives.clone()
    };
    if objectives.is_empty() {
        bail!(
            "no objectives: give --objective NAME:min|max (repeatable) or an \"objectives\" \
             list in the file"
        );
    }
    let reference = match &args.reference {
        Some(text) => {
            let pairs = parse_reference(text)?;
            Some(perfstat_pareto::reference_from_pairs(&objectives, &pairs)?)
        }
        None => None,
    };
    let options = Options {
        constraints: args.constraints.clone(),
        reference,
        confidence: args.confidence,
        dominated_by_limit: None,
    };
    if let Some(flat) = &input.flat {
        check_numeric(&objectives, &options.constraints, &input.configs, flat)?;
    }
    let analysis = perfstat_pareto::analyze(&objectives, &input.configs, &options)?;
    Ok(to_doc(
        &args.file.display().to_string(),
        &analysis,
        &input.configs,
        input.flat.as_deref(),
        &options,
    ))
}

/// In flat records, a field an objective or constraint needs must be numeric.
fn check_numeric(
    objectives: &[Objective],
    constraints: &[Constraint],
    configs: &[Config],
    flat: &[Vec<(String, Value)>],
) -> anyhow::Result<()> {
    let needed = objectives
        .iter()
        .map(|o| o.name.as_str())
        .chain(constraints.iter().map(|k| k.metric.as_str()));
    for name in needed {
        for (c, fields) in configs.iter().zip(flat) {
            if c.metrics.contains_key(name) {
                continue;
            }
            if let Some((_, v)) = fields.iter().find(|(k, _)| k == name) {
                bail!(
                    "config `{}`: metric `{name}` is not a number ({v}); expected a number or an \
                     array of numbers",
                    c.id
                );
            }
        }
    }
    Ok(())
}

/// `NAME=VALUE,NAME=VALUE` → pairs.
fn parse_reference(text: &str) -> anyhow::Result<Vec<(String, f64)>> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').ok_or_else(|| {
                anyhow!("--reference: expected NAME=VALUE,NAME=VALUE,..., found {part:?}")
            })?;
            let v: f64 = value.trim().parse().map_err(|_| {
                anyhow!(
                    "--reference: {:?} is not a number (in {part:?})",
                    value.trim()
                )
            })?;
            Ok((name.trim().to_owned(), v))
        })
        .collect()
}

fn to_doc(
    source: &str,
    a: &Analysis,
    configs: &[Config],
    flat: Option<&[Vec<(String, Value)>]>,
    options: &Options,
) -> ParetoDoc {
    let goal = |d: perfstat_pareto::Direction| match d {
        perfstat_pareto::Direction::Min => Goal::Min,
        perfstat_pareto::Direction::Max => Goal::Max,
    };
    let ids: Vec<&str> = a.configs.iter().map(|c| c.id.as_str()).collect();
    // Metrics shown: the objectives, then the other metrics constraints use.
    let mut shown: Vec<&str> = a.objectives.iter().map(|o| o.name.as_str()).collect();
    for k in &options.constraints {
        if !shown.contains(&k.metric.as_str()) {
            shown.push(&k.metric);
        }
    }
    let docs = a
        .configs
        .iter()
        .zip(configs)
        .enumerate()
        .map(|(i, (r, c))| {
            let params = match flat {
                Some(rows) => rows[i]
                    .iter()
                    .filter(|(k, _)| !shown.contains(&k.as_str()))
                    .cloned()
                    .collect(),
                None => c.params.clone(),
            };
            let metrics = shown
                .iter()
                .filter_map(|&m| c.metrics.get(m).map(|v| (m.to_owned(), v.point())))
                .collect();
            let intervals = a
                .objectives
                .iter()
                .zip(&r.intervals)
                .filter_map(|(o, &(lower, upper))| match c.metrics.get(&o.name) {
                    Some(Metric::Samples(xs)) if xs.len() > 1 => Some((
                        o.name.clone(),
                        IntervalDoc {
                            lower,
                            upper,
                            n: xs.len(),
                        },
                    )),
                    Some(&Metric::Interval { n, .. }) if n > 1 => {
                        Some((o.name.clone(), IntervalDoc { lower, upper, n }))
                    }
                    _ => None,
                })
                .collect();
            ConfigDoc {
                id: r.id.clone(),
                feasible: r.feasible,
                rank: r.rank,
                crowding_distance: r.crowding_distance,
                dominated_by: r.dominated_by.iter().map(|&j| ids[j].to_owned()).collect(),
                violations: r.violated.iter().map(ToString::to_string).collect(),
                violated_metrics: r.violated.iter().map(|k| k.metric.clone()).collect(),
                status: r.status.map(|s| match s {
                    Status::Frontier => Verdict::Frontier,
                    Status::Ambiguous => Verdict::Ambiguous,
                    Status::Dominated => Verdict::Dominated,
                }),
                params: Named(params),
                metrics: Named(metrics),
                intervals: Named(intervals),
                values: r.values.clone(),
            }
        })
        .collect();
    ParetoDoc {
        command: "pareto",
        input: source.to_owned(),
        objectives: a
            .objectives
            .iter()
            .map(|o| ObjectiveDoc {
                name: o.name.clone(),
                direction: goal(o.direction),
            })
            .collect(),
        constraints: options
            .constraints
            .iter()
            .map(ToString::to_string)
            .collect(),
        confidence: options.confidence,
        repeated_measurements: a.has_samples,
        configs: docs,
        fronts: a
            .fronts
            .iter()
            .map(|f| f.iter().map(|&i| ids[i].to_owned()).collect())
            .collect(),
        hypervolume: a.hypervolume,
        reference: a.reference.as_ref().map(|r| {
            Named(
                a.objectives
                    .iter()
                    .zip(r)
                    .map(|(o, v)| (o.name.clone(), *v))
                    .collect(),
            )
        }),
        knee: a.knee.map(|k| ids[k].to_owned()),
    }
}

// ---------------------------------------------------------------- reading

fn read_input(path: &Path, id_field: &str, confidence: f64) -> anyhow::Result<Input> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
            .context("cannot read stdin")?;
        buf
    } else {
        std::fs::read(path).map_err(|e| anyhow!("cannot read the file: {e}"))?
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "not UTF-8 text (byte {}): expected JSON or CSV",
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.trim_start().chars().next();
    let files = SampleFiles {
        base: match path.parent() {
            Some(dir) if path.as_os_str() != "-" => dir.to_path_buf(),
            _ => PathBuf::new(),
        },
        confidence,
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match first {
        None => bail!("the file is empty: no configurations"),
        Some('{' | '[') if ext != "csv" && ext != "tsv" => read_json(text, id_field, &files),
        _ if ext == "json" => read_json(text, id_field, &files),
        _ => read_csv(text, id_field, ext == "tsv"),
    }
}

/// A JSON value that keeps the order of object keys (serde_json's `Value` sorts them).
enum Node {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Num(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Num(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
                serde_json::Number::from_f64(v)
                    .map(Node::Num)
                    .ok_or_else(|| E::custom(format!("number {v} is not finite")))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Str(v))
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element()? {
                    out.push(x);
                }
                Ok(Node::Arr(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    out.push((k, v));
                }
                Ok(Node::Obj(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Num(_) => "a number",
            Node::Str(_) => "a string",
            Node::Arr(_) => "an array",
            Node::Obj(_) => "an object",
        }
    }

    fn into_value(self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Num(n) => Value::Number(n),
            Node::Str(s) => Value::String(s),
            Node::Arr(xs) => Value::Array(xs.into_iter().map(Node::into_value).collect()),
            Node::Obj(kv) => {
                Value::Object(kv.into_iter().map(|(k, v)| (k, v.into_value())).collect())
            }
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Node::Num(n) => n.as_f64(),
            _ => None,
        }
    }

    /// A metric: a number or a non-empty... (any) array of numbers.
    fn as_metric(&self) -> Option<Metric> {
        match self {
            Node::Num(_) => self.as_f64().map(Metric::Value),
            Node::Arr(xs) => xs
                .iter()
                .map(Node::as_f64)
                .collect::<Option<Vec<f64>>>()
                .map(Metric::Samples),
            _ => None,
        }
    }

    fn id_text(&self) -> Option<String> {
        match self {
            Node::Str(s) => Some(s.clone()),
            Node::Num(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

fn json_error(e: &serde_json::Error) -> anyhow::Error {
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => &msg,
    };
    anyhow!(
        "line {}, column {}: malformed JSON: {msg}",
        e.line(),
        e.column()
    )
}

fn read_json(text: &str, id_field: &str, files: &SampleFiles) -> anyhow::Result<Input> {
    let root: Node = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    match root {
        Node::Arr(records) => flat_records(
            records
                .into_iter()
                .enumerate()
                .map(|(i, r)| match r {
                    Node::Obj(kv) => Ok(kv),
                    other => Err(anyhow!(
                        "record {} is {}, expected an object of fields",
                        i + 1,
                        other.kind()
                    )),
                })
                .collect::<anyhow::Result<Vec<_>>>()?,
            id_field,
        ),
        Node::Obj(kv) => object_document(kv, id_field, files),
        other => bail!(
            "the document is {}: expected an object with \"objectives\" and \"configs\", \
             or an array of records",
            other.kind()
        ),
    }
}

fn parse_objective(node: Node, index: usize) -> anyhow::Result<Objective> {
    let at = || format!("objectives[{index}]");
    match node {
        Node::Str(s) => s.parse().with_context(at),
        Node::Obj(kv) => {
            let mut name = None;
            let mut direction = None;
            for (k, v) in kv {
                match (k.as_str(), v) {
                    ("name", Node::Str(s)) => name = Some(s),
                    ("direction", Node::Str(s)) => direction = Some(s),
                    _ => {}
                }
            }
            let name = name.ok_or_else(|| anyhow!("{}: no \"name\" string", at()))?;
            let direction = direction
                .ok_or_else(|| anyhow!("{}: `{name}` has no \"direction\" (min or max)", at()))?;
            Ok(Objective {
                direction: direction
                    .parse()
                    .with_context(|| format!("{}: objective `{name}`", at()))?,
                name,
            })
        }
        other => bail!(
            "{}: is {}, expected {{\"name\": ..., \"direction\": \"min\"|\"max\"}}",
            at(),
            other.kind()
        ),
    }
}

fn object_document(
    kv: Vec<(String, Node)>,
    id_field: &str,
    files: &SampleFiles,
) -> anyhow::Result<Input> {
    let mut objectives = Vec::new();
    let mut configs = None;
    for (k, v) in kv {
        match k.as_str() {
            "objectives" => match v {
                Node::Arr(xs) => {
                    objectives = xs
                        .into_iter()
                        .enumerate()
                        .map(|(i, o)| parse_objective(o, i))
                        .collect::<anyhow::Result<_>>()?;
                }
                other => bail!("\"objectives\" is {}, expected an array", other.kind()),
            },
            "configs" => match v {
                Node::Arr(xs) => configs = Some(xs),
                other => bail!("\"configs\" is {}, expected an array", other.kind()),
            },
            _ => {}
        }
    }
    let configs = configs.ok_or_else(|| {
        anyhow!("no \"configs\" array: expected {{\"objectives\": [...], \"configs\": [...]}}")
    })?;
    let mut out = Vec::with_capacity(configs.len());
    for (i, c) in configs.into_iter().enumerate() {
        let row = i + 1;
        let Node::Obj(fields) = c else {
            bail!("configs[{i}] is {}, expected an object", c.kind());
        };
        let mut id = None;
        let mut params = Vec::new();
        let mut metrics = std::collections::BTreeMap::new();
        let mut metric_nodes = None;
        for (k, v) in fields {
            match k.as_str() {
                "params" => match v {
                    Node::Obj(p) => {
                        for (pk, pv) in p {
                            if pk == id_field && id.is_none() && id_field != "id" {
                                id = pv.id_text();
                            }
                            params.push((pk, pv.into_value()));
                        }
                    }
                    Node::Null => {}
                    other => bail!(
                        "configs[{i}]: \"params\" is {}, expected an object",
                        other.kind()
                    ),
                },
                "metrics" => metric_nodes = Some(v),
                _ if k == id_field || (k == "id" && id.is_none()) => {
                    id = Some(v.id_text().ok_or_else(|| {
                        anyhow!(
                            "configs[{i}]: the id \"{k}\" is {}, expected a string or number",
                            v.kind()
                        )
                    })?);
                }
                _ => {}
            }
        }
        let id = id.unwrap_or_else(|| row.to_string());
        match metric_nodes {
            Some(Node::Obj(ms)) => {
                for (mk, mv) in ms {
                    let m = match &mv {
                        Node::Str(rel) => file_metric(&id, &mk, rel, files)?,
                        _ => mv.as_metric().ok_or_else(|| {
                            anyhow!(
                                "config `{id}`: metric `{mk}` is {}, expected a number, an array \
                                 of numbers (repeated measurements) or a sample file path",
                                mv.kind()
                            )
                        })?,
                    };
                    metrics.insert(mk, m);
                }
            }
            Some(other) => bail!(
                "config `{id}`: \"metrics\" is {}, expected an object",
                other.kind()
            ),
            None => bail!("config `{id}` has no \"metrics\" object"),
        }
        out.push(Config {
            id,
            params,
            metrics,
        });
    }
    Ok(Input {
        objectives,
        configs: out,
        flat: None,
    })
}

/// Where sample files referenced by path are resolved, and the confidence of
/// their intervals.
struct SampleFiles {
    /// The configs file's folder (empty: the current directory, for stdin).
    base: PathBuf,
    /// `--confidence`.
    confidence: f64,
}

/// The statistic a sample-file metric stands for, from its name's prefix.
#[derive(Debug, Clone, Copy, PartialEq)]
enum FileStat {
    /// `mean_…`: the mean, with its t interval.
    Mean,
    /// `pNN_…` (0 < NN < 100) or `median_…`: the type-7 quantile, with the
    /// distribution-free order-statistic interval.
    Quantile(f64),
}

/// `p95_latency_ms` → the 0.95 quantile; `mean_…`, `median_…`; `None` otherwise.
fn file_stat(metric: &str) -> Option<FileStat> {
    let (head, _) = metric.split_once('_')?;
    let head = head.to_ascii_lowercase();
    match head.as_str() {
        "mean" => Some(FileStat::Mean),
        "median" => Some(FileStat::Quantile(0.5)),
        _ => {
            let pct: f64 = head.strip_prefix('p')?.parse().ok()?;
            (pct > 0.0 && pct < 100.0).then(|| FileStat::Quantile(pct / 100.0))
        }
    }
}

/// A metric given as a path to a per-request sample file (any input
/// `perfstat_ingest::read_path` reads with default options: JMeter, k6, Locust,
/// CSV, JSON…; all groups pooled; tools' latencies in ms, failures excluded).
///
/// The statistic comes from the metric name's prefix ([`file_stat`]); the
/// metric becomes [`Metric::Interval`]: the statistic, and its interval at
/// `--confidence` (order statistics for a percentile, Student t for the mean).
/// A relative path is resolved against the configs file's folder.
fn file_metric(id: &str, metric: &str, rel: &str, files: &SampleFiles) -> anyhow::Result<Metric> {
    let at = || format!("config `{id}`: metric `{metric}` (sample file {rel:?})");
    let stat = file_stat(metric).ok_or_else(|| {
        anyhow!(
            "{}: the metric name must start with the statistic to take from the file: \
             p50_, p90_, p95_, p99_ (any pNN_), mean_ or median_",
            at()
        )
    })?;
    let path = files.base.join(rel);
    let data = perfstat_ingest::read_path(&path, &perfstat_ingest::ReadOptions::default())
        .map_err(|e| anyhow!("{}: {e}", at()))?;
    let values: Vec<f64> = data.values().collect();
    let n = values.len();
    let sample = perfstat_stats::Sample::new(values.clone())
        .map_err(|e| anyhow!("{}: {}: {e}", at(), path.display()))?;
    let (value, lower, upper) = match stat {
        FileStat::Mean => perfstat_pareto::uncertainty::mean_interval(&values, files.confidence),
        FileStat::Quantile(q) => {
            let value = sample.quantile(q).map_err(|e| anyhow!("{}: {e}", at()))?;
            let confidence = perfstat_stats::Confidence::new(files.confidence)
                .map_err(|e| anyhow!("{}: {e}", at()))?;
            let iv = perfstat_stats::interval::quantile_interval(&sample, q, confidence).map_err(
                |e| {
                    anyhow!(
                        "{}: {}: no interval for p{} of {n} values at confidence \
                         {}: {e}",
                        at(),
                        path.display(),
                        q * 100.0,
                        files.confidence
                    )
                },
            )?;
            (value, iv.lower, iv.upper)
        }
    };
    Ok(Metric::Interval {
        value,
        lower,
        upper,
        n,
    })
}

/// Flat records (JSON array or CSV rows): numbers and arrays of numbers are
/// metrics, the rest parameters; the id field (or the row number) names each.
fn flat_records(records: Vec<Vec<(String, Node)>>, id_field: &str) -> anyhow::Result<Input> {
    let has_id = records.iter().any(|r| r.iter().any(|(k, _)| k == id_field));
    if !has_id && id_field != "id" && !records.is_empty() {
        let mut fields: Vec<&str> = Vec::new();
        for (k, _) in records.iter().flatten() {
            if !fields.contains(&k.as_str()) {
                fields.push(k);
            }
        }
        bail!(
            "--id {id_field}: no record has this field; fields found: {}",
            fields.join(", ")
        );
    }
    let mut configs = Vec::with_capacity(records.len());
    let mut flat = Vec::with_capacity(records.len());
    for (i, rec) in records.into_iter().enumerate() {
        let row = i + 1;
        let mut id = None;
        let mut metrics = std::collections::BTreeMap::new();
        let mut fields = Vec::new();
        for (k, v) in rec {
            if k == id_field {
                id = Some(v.id_text().ok_or_else(|| {
                    anyhow!(
                        "record {row}: the id field `{k}` is {}, expected a string or number",
                        v.kind()
                    )
                })?);
                continue;
            }
            if let Some(m) = v.as_metric() {
                metrics.insert(k.clone(), m);
            } else if let Node::Null = v {
                // A missing value: the metric is absent (named if an objective needs it).
                continue;
            }
            fields.push((k, v.into_value()));
        }
        let id = match id {
            Some(id) => id,
            None if has_id => bail!("record {row} has no `{id_field}` field"),
            None => row.to_string(),
        };
        configs.push(Config {
            id,
            params: Vec::new(),
            metrics,
        });
        flat.push(fields);
    }
    Ok(Input {
        objectives: Vec::new(),
        configs,
        flat: Some(flat),
    })
}

fn read_csv(text: &str, id_field: &str, tsv: bool) -> anyhow::Result<Input> {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if tsv || first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| match e.position() {
        Some(p) => anyhow!("line {}: {e}", p.line()),
        None => anyhow!("{e}"),
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut records = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(csv_error)?;
        let line = rec.position().map_or(0, csv::Position::line);
        let mut fields = Vec::with_capacity(header.len());
        for (k, cell) in header.iter().zip(rec.iter()) {
            if cell.is_empty() {
                continue;
            }
            let node = if k == id_field {
                Node::Str(cell.to_owned())
            } else {
                match cell.parse::<f64>() {
                    Ok(v) => match serde_json::Number::from_f64(v) {
                        Some(n) => Node::Num(n),
                        None => {
                            let id = header
                                .iter()
                                .zip(rec.iter())
                                .find(|(h, _)| *h == id_field)
                                .map_or_else(
                                    || format!("on line {line}"),
                                    |(_, v)| format!("`{v}`"),
                                );
                            bail!(
                                "line {line}: config {id}: metric `{k}` is not a finite number ({cell})"
                            );
                        }
                    },
                    Err(_) => Node::Str(cell.to_owned()),
                }
            };
            fields.push((k.clone(), node));
        }
        records.push(fields);
    }
    flat_records(records, id_field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_pairs() {
        let p = parse_reference("a=1, b=2.5").unwrap();
        assert_eq!(p, vec![("a".into(), 1.0), ("b".into(), 2.5)]);
        assert!(parse_reference("a:1").is_err());
        assert!(parse_reference("a=x").is_err());
    }

    #[test]
    fn statistic_from_the_metric_prefix() {
        assert_eq!(file_stat("p95_latency_ms"), Some(FileStat::Quantile(0.95)));
        assert!(
            matches!(file_stat("p99.9_ms"), Some(FileStat::Quantile(q)) if (q - 0.999).abs() < 1e-12)
        );
        assert_eq!(file_stat("median_ms"), Some(FileStat::Quantile(0.5)));
        assert_eq!(file_stat("mean_ms"), Some(FileStat::Mean));
        assert_eq!(file_stat("latency_ms"), None);
        assert_eq!(file_stat("p95"), None);
        assert_eq!(file_stat("p100_ms"), None);
        assert_eq!(file_stat("pfoo_ms"), None);
    }

    #[test]
    fn json_keeps_key_order() {
        let n: Node = serde_json::from_str(r#"{"b": 1, "a": [1, 2.5], "c": "x"}"#).unwrap();
        let Node::Obj(kv) = n else { panic!() };
        let keys: Vec<&str> = kv.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
    }
}
