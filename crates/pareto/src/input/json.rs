//! Configs as JSON: a value tree with the byte offset of every value and key (parsed by
//! serde_json through a visitor), then the document or the flat records read from it.

use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::{
    Error, ErrorKind, Input, ReadOptions, Shape, needed, position_of, resolve_objectives, samples,
};
use crate::analysis::{Config, Metric, Metrics};
use crate::objective::{Direction, ObjectiveSpec};

/// A JSON value and the byte offset of its first character.
#[derive(Debug)]
struct Node {
    at: usize,
    value: Json,
}

#[derive(Debug)]
enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    /// Keys in file order, each with its offset.
    Object(Vec<(String, usize, Node)>),
}

impl Json {
    /// `a string ("x")`, `a number`, `an object`, …
    fn found(&self) -> String {
        match self {
            Json::Null => "null".to_owned(),
            Json::Bool(_) => "a boolean".to_owned(),
            Json::Number(_) => "a number".to_owned(),
            Json::String(s) => format!("a string ({s:?})"),
            Json::Array(_) => "an array".to_owned(),
            Json::Object(_) => "an object".to_owned(),
        }
    }
}

impl Node {
    fn into_value(self) -> serde_json::Value {
        match self.value {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(b),
            Json::Number(n) => serde_json::Value::Number(n),
            Json::String(s) => serde_json::Value::String(s),
            Json::Array(xs) => {
                serde_json::Value::Array(xs.into_iter().map(Node::into_value).collect())
            }
            Json::Object(kv) => serde_json::Value::Object(
                kv.into_iter()
                    .map(|(k, _, v)| (k, v.into_value()))
                    .collect(),
            ),
        }
    }

    fn number(&self) -> Option<f64> {
        match &self.value {
            Json::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// A number or an array of numbers.
    fn metric(&self) -> Option<Metric> {
        match &self.value {
            Json::Number(_) => self.number().map(Metric::Value),
            Json::Array(xs) => xs
                .iter()
                .map(Node::number)
                .collect::<Option<Vec<f64>>>()
                .map(Metric::Samples),
            _ => None,
        }
    }

    /// An id: a string, or a number as written.
    fn id(&self) -> Option<String> {
        match &self.value {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// Counts the bytes serde_json has pulled (it reads one at a time and peeks at most one),
/// so a visitor knows where the value it is given lies.
struct Counting<'a> {
    text: &'a [u8],
    pulled: Rc<Cell<usize>>,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let at = self.pulled.get();
        let n = buf.len().min(self.text.len() - at);
        buf[..n].copy_from_slice(&self.text[at..at + n]);
        self.pulled.set(at + n);
        Ok(n)
    }
}

/// Builds [`Node`]s, locating each value from the bytes pulled so far.
#[derive(Clone)]
struct Tree<'a> {
    text: &'a [u8],
    pulled: Rc<Cell<usize>>,
}

impl Tree<'_> {
    /// The offset of the string (value or key) that ends just before the bytes pulled.
    fn string_start(&self) -> usize {
        // The closing quote is the last byte pulled; the opening one is the first
        // quote before it that no backslash escapes.
        let end = self.pulled.get().saturating_sub(1);
        let mut i = end;
        while i > 0 {
            i -= 1;
            if self.text[i] == b'"' {
                let slashes = self.text[..i]
                    .iter()
                    .rev()
                    .take_while(|&&b| b == b'\\')
                    .count();
                if slashes % 2 == 0 {
                    return i;
                }
            }
        }
        0
    }

    /// The offset of the number that ends at or one byte (the peeked one) before the
    /// bytes pulled.
    fn number_start(&self) -> usize {
        let numeric = |b: u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E');
        let mut end = self.pulled.get().min(self.text.len());
        if end > 0 && !numeric(self.text[end - 1]) {
            end -= 1;
        }
        let mut i = end;
        while i > 0 && numeric(self.text[i - 1]) {
            i -= 1;
        }
        i
    }

    fn node(&self, at: usize, value: Json) -> Node {
        Node { at, value }
    }
}

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Node;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        let len = if v { 4 } else { 5 };
        Ok(self.node(self.pulled.get().saturating_sub(len), Json::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(self.node(self.number_start(), Json::Number(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(self.node(self.number_start(), Json::Number(v.into())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        let n = serde_json::Number::from_f64(v)
            .ok_or_else(|| E::custom(format!("number {v} is not finite")))?;
        Ok(self.node(self.number_start(), Json::Number(n)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(self.node(self.string_start(), Json::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(self.node(self.string_start(), Json::String(v)))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(self.node(self.pulled.get().saturating_sub(4), Json::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let at = self.pulled.get().saturating_sub(1);
        let mut out = Vec::new();
        while let Some(x) = seq.next_element_seed(self.clone())? {
            out.push(x);
        }
        Ok(self.node(at, Json::Array(out)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let at = self.pulled.get().saturating_sub(1);
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let key_at = self.string_start();
            let value = map.next_value_seed(self.clone())?;
            out.push((key, key_at, value));
        }
        Ok(self.node(at, Json::Object(out)))
    }
}

/// Reads a configs document or a JSON array of flat records.
pub(super) fn read(
    name: &str,
    text: &[u8],
    base: &Path,
    opts: &ReadOptions,
) -> Result<Input, Error> {
    let at = |offset: usize, kind: ErrorKind| Error::Configs {
        file: name.to_owned(),
        position: Some(position_of(text, offset)),
        kind: Box::new(kind),
    };
    if let Err(e) = std::str::from_utf8(text) {
        return Err(at(e.valid_up_to(), ErrorKind::InvalidUtf8));
    }
    let root = parse(name, text)?;
    let r = Reader {
        text,
        base,
        opts,
        needed: needed(opts),
    };
    r.read(name, root)
        .map_err(|(offset, kind)| at(offset, kind))
}

fn parse(name: &str, text: &[u8]) -> Result<Node, Error> {
    let pulled = Rc::new(Cell::new(0));
    let reader = Counting {
        text,
        pulled: Rc::clone(&pulled),
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let tree = Tree { text, pulled };
    tree.deserialize(&mut de)
        .and_then(|node| de.end().map(|()| node))
        .map_err(|e| {
            let msg = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let msg = msg.strip_suffix(&suffix).unwrap_or(&msg).to_owned();
            let mut position =
                perfstat_ingest::Position::new(e.line() as u64, e.column().max(1) as u64);
            if msg == "number out of range" {
                // serde_json reports the character after the number: point at its start.
                let tree = Tree {
                    text,
                    pulled: Rc::new(Cell::new(offset_of(text, e.line(), e.column()))),
                };
                position = position_of(text, tree.number_start());
            }
            Error::Configs {
                file: name.to_owned(),
                position: Some(position),
                kind: Box::new(ErrorKind::Json(msg)),
            }
        })
}

/// The byte offset just after the `column`-th character of 1-based `line`.
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let rest = std::str::from_utf8(&text[start..]).unwrap_or_default();
    start
        + rest
            .char_indices()
            .nth(column)
            .map_or(rest.len(), |(i, _)| i)
}

/// An error at a byte offset.
type At = (usize, ErrorKind);

struct Reader<'a> {
    text: &'a [u8],
    base: &'a Path,
    opts: &'a ReadOptions,
    needed: Vec<String>,
}

fn shape(node: &Node, at: impl Into<String>, expected: &'static str) -> At {
    (
        node.at,
        ErrorKind::Shape {
            at: at.into(),
            expected,
            found: node.value.found(),
        },
    )
}

/// What a metric of the document may be.
const METRIC: &str = "a number, an array of numbers (repeated measurements) or a sample file path";

impl Reader<'_> {
    fn read(&self, name: &str, root: Node) -> Result<Input, At> {
        let (shape_, file_objectives, configs) = match root.value {
            Json::Array(_) => (Shape::Records, Vec::new(), self.records(root)?),
            Json::Object(_) => {
                let (objectives, configs) = self.document(root)?;
                (Shape::Document, objectives, configs)
            }
            _ => {
                return Err(shape(
                    &root,
                    "the file",
                    "an object with \"objectives\" and \"configs\", or an array of records",
                ));
            }
        };
        let (objectives, inferred) = resolve_objectives(&self.opts.objectives, file_objectives);
        Ok(Input {
            source: name.to_owned(),
            shape: shape_,
            objectives,
            inferred,
            configs,
        })
    }

    /// The entries of an object (in file order), refusing a key that appears twice.
    fn entries(&self, node: Node) -> Result<Vec<(String, usize, Node)>, At> {
        let Json::Object(kv) = node.value else {
            return Ok(Vec::new());
        };
        for (j, (key, key_at, _)) in kv.iter().enumerate() {
            if let Some((_, first, _)) = kv[..j].iter().find(|(k, _, _)| k == key) {
                return Err((
                    *key_at,
                    ErrorKind::DuplicateKey {
                        key: key.clone(),
                        first: position_of(self.text, *first),
                    },
                ));
            }
        }
        Ok(kv)
    }

    /// Checks every object inside `node` for duplicate keys.
    fn unique(&self, node: Node) -> Result<Node, At> {
        let at = node.at;
        let value = match node.value {
            Json::Object(_) => Json::Object(
                self.entries(node)?
                    .into_iter()
                    .map(|(k, a, v)| Ok((k, a, self.unique(v)?)))
                    .collect::<Result<_, At>>()?,
            ),
            Json::Array(xs) => Json::Array(
                xs.into_iter()
                    .map(|x| self.unique(x))
                    .collect::<Result<_, At>>()?,
            ),
            other => other,
        };
        Ok(Node { at, value })
    }

    fn document(&self, root: Node) -> Result<(Vec<ObjectiveSpec>, Vec<Config>), At> {
        let end = root.at;
        let mut objectives = Vec::new();
        let mut configs = None;
        for (key, _, value) in self.entries(root)? {
            match key.as_str() {
                "objectives" => {
                    let Json::Array(xs) = value.value else {
                        return Err(shape(&value, "\"objectives\"", "an array"));
                    };
                    objectives = xs
                        .into_iter()
                        .enumerate()
                        .map(|(i, o)| self.objective(o, i))
                        .collect::<Result<_, At>>()?;
                }
                "configs" => {
                    let Json::Array(xs) = value.value else {
                        return Err(shape(&value, "\"configs\"", "an array"));
                    };
                    configs = Some(
                        xs.into_iter()
                            .enumerate()
                            .map(|(i, c)| self.config(c, i))
                            .collect::<Result<Vec<_>, At>>()?,
                    );
                }
                _ => {
                    self.unique(value)?;
                }
            }
        }
        let configs = configs.ok_or((end, ErrorKind::NoConfigs))?;
        Ok((objectives, configs))
    }

    fn objective(&self, node: Node, index: usize) -> Result<ObjectiveSpec, At> {
        let at = format!("objectives[{index}]");
        let start = node.at;
        match node.value {
            Json::String(s) => s
                .parse()
                .map_err(|error| (start, ErrorKind::Objective { at, error })),
            Json::Object(_) => {
                let mut name = None;
                let mut direction = None;
                for (key, _, value) in self.entries(node)? {
                    match (key.as_str(), value.value) {
                        ("name", Json::String(s)) => name = Some(s),
                        ("direction", Json::String(s)) => {
                            direction = Some(s.parse::<Direction>().map_err(|error| {
                                (
                                    value.at,
                                    ErrorKind::Objective {
                                        at: at.clone(),
                                        error,
                                    },
                                )
                            })?);
                        }
                        ("name" | "direction", v) => {
                            let v = Node {
                                at: value.at,
                                value: v,
                            };
                            return Err(shape(&v, format!("{at}.{key}"), "a string"));
                        }
                        (_, v) => {
                            self.unique(Node {
                                at: value.at,
                                value: v,
                            })?;
                        }
                    }
                }
                let name = name.ok_or((
                    start,
                    ErrorKind::Shape {
                        at,
                        expected: "a \"name\" string",
                        found: "an object without one".to_owned(),
                    },
                ))?;
                Ok(ObjectiveSpec { name, direction })
            }
            value => Err(shape(
                &Node { at: start, value },
                at,
                "\"NAME:min|max\" or {\"name\": ..., \"direction\": \"min\"|\"max\"}",
            )),
        }
    }

    fn config(&self, node: Node, index: usize) -> Result<Config, At> {
        let here = format!("configs[{index}]");
        if !matches!(node.value, Json::Object(_)) {
            return Err(shape(&node, here, "an object"));
        }
        let start = node.at;
        let id_field = self.opts.id_field.as_str();
        let (mut own_id, mut param_id, mut plain_id) = (None, None, None);
        let mut params = Vec::new();
        let mut metrics = None;
        for (key, _, value) in self.entries(node)? {
            let is_id = key == id_field || key == "id";
            match key.as_str() {
                "params" => match value.value {
                    Json::Object(_) => {
                        for (k, _, v) in self.entries(value)? {
                            if k == id_field {
                                param_id = v.id();
                            }
                            params.push((k, self.unique(v)?.into_value()));
                        }
                    }
                    Json::Null => {}
                    _ => return Err(shape(&value, format!("{here}.params"), "an object")),
                },
                "metrics" => metrics = Some(value),
                _ if is_id => {
                    let id = value.id().ok_or_else(|| {
                        shape(
                            &value,
                            format!("{here}.{key}"),
                            "a string or a number (the id)",
                        )
                    })?;
                    if key == id_field {
                        own_id = Some(id);
                    } else {
                        plain_id = Some(id);
                    }
                }
                _ => {
                    self.unique(value)?;
                }
            }
        }
        let id = own_id
            .or(param_id)
            .or(plain_id)
            .unwrap_or_else(|| (index + 1).to_string());
        let label = format!("config `{id}`");
        let metrics = match metrics {
            Some(m) if matches!(m.value, Json::Object(_)) => self.metrics(m, &label)?,
            Some(m) => return Err(shape(&m, format!("{label}: \"metrics\""), "an object")),
            None => {
                return Err((
                    start,
                    ErrorKind::Shape {
                        at: label,
                        expected: "a \"metrics\" object",
                        found: "none".to_owned(),
                    },
                ));
            }
        };
        Ok(Config {
            id,
            params,
            metrics,
        })
    }

    fn metrics(&self, node: Node, label: &str) -> Result<Metrics, At> {
        let mut out = Metrics::new();
        for (name, _, value) in self.entries(node)? {
            let at = format!("{label}: metric `{name}`");
            let metric = match &value.value {
                Json::Number(_) => value.metric(),
                Json::Array(xs) => {
                    if let Some((i, x)) = xs.iter().enumerate().find(|(_, x)| x.number().is_none())
                    {
                        let quoted_number = matches!(&x.value, Json::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite));
                        return Err((
                            x.at,
                            ErrorKind::BadElement {
                                at,
                                index: i + 1,
                                found: x.value.found(),
                                quoted_number,
                            },
                        ));
                    }
                    value.metric()
                }
                Json::String(text) => Some(
                    samples::metric(&at, &name, text, self.base, self.opts)
                        .map_err(|kind| (value.at, kind))?,
                ),
                _ => None,
            };
            let metric = metric.ok_or_else(|| shape(&value, at.clone(), METRIC))?;
            out.insert(name, metric);
        }
        Ok(out)
    }

    /// A JSON array of flat records.
    fn records(&self, root: Node) -> Result<Vec<Config>, At> {
        let Json::Array(records) = root.value else {
            return Ok(Vec::new());
        };
        let id_field = self.opts.id_field.as_str();
        let mut rows = Vec::with_capacity(records.len());
        for (i, r) in records.into_iter().enumerate() {
            if !matches!(r.value, Json::Object(_)) {
                return Err(shape(
                    &r,
                    format!("record {}", i + 1),
                    "an object of fields",
                ));
            }
            let at = r.at;
            rows.push((at, self.entries(r)?));
        }
        let has_id = rows
            .iter()
            .any(|(_, r)| r.iter().any(|(k, _, _)| k == id_field));
        if !has_id && id_field != "id" && !rows.is_empty() {
            let mut found: Vec<String> = Vec::new();
            for (k, _, _) in rows.iter().flat_map(|(_, r)| r) {
                if !found.contains(k) {
                    found.push(k.clone());
                }
            }
            return Err((
                root.at,
                ErrorKind::NoIdField {
                    field: id_field.to_owned(),
                    found,
                },
            ));
        }
        let mut configs = Vec::with_capacity(rows.len());
        for (i, (start, fields)) in rows.into_iter().enumerate() {
            let row = i + 1;
            let mut id = None;
            let mut metrics = Metrics::new();
            let mut params = Vec::new();
            for (k, _, v) in fields {
                if k == id_field {
                    id = Some(v.id().ok_or_else(|| {
                        shape(
                            &v,
                            format!("record {row}: the id field `{k}`"),
                            "a string or a number",
                        )
                    })?);
                    continue;
                }
                let needed = self.needed.contains(&k);
                match v.metric() {
                    Some(m) => {
                        metrics.insert(k.as_str(), m);
                    }
                    None if needed => {
                        return Err((
                            v.at,
                            ErrorKind::NotNumeric {
                                at: format!("record {row}: field `{k}`"),
                                found: v.value.found(),
                            },
                        ));
                    }
                    // A missing value: the metric is absent.
                    None if matches!(v.value, Json::Null) => continue,
                    None => {}
                }
                if !needed {
                    params.push((k, self.unique(v)?.into_value()));
                }
            }
            let id = match id {
                Some(id) => id,
                None if has_id => {
                    return Err((
                        start,
                        ErrorKind::MissingId {
                            at: format!("record {row}"),
                            field: id_field.to_owned(),
                        },
                    ));
                }
                None => row.to_string(),
            };
            configs.push(Config {
                id,
                params,
                metrics,
            });
        }
        Ok(configs)
    }
}
