//! The `pareto` JSON document written straight from the analysis ([`ParetoJson`]).
//!
//! [`ParetoDoc`](super::ParetoDoc) owns a copy of every id, name and number (what the table,
//! the Markdown and the plots read); for a million configs that copy was most of the time
//! and memory of `--format json`. [`ParetoJson`] borrows the input and the analysis and
//! serialises the same bytes as the `ParetoDoc` would (a unit test compares them), with
//! nothing allocated per config but the rare `reasons` and `violations`.

use serde::ser::{SerializeMap as _, SerializeSeq as _, SerializeStruct as _};
use serde::{Serialize, Serializer};
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use perfstat_pareto::input::Input;

use crate::json::Layout;
use perfstat_pareto::{Analysis, Config, ConfigResult, Options};

use super::{
    ObjectiveDoc, config_intervals, config_reasons, doc_reasons, finite_or_null, shown_metrics,
    shown_points,
};

/// The `pareto` JSON document of an analysis, borrowed: the bytes of
/// [`ParetoDoc::new`](super::ParetoDoc::new)`(input, options, analysis)` serialised, without
/// building it.
#[derive(Clone, Copy, Debug)]
pub struct ParetoJson<'a> {
    input: &'a Input,
    options: &'a Options,
    analysis: &'a Analysis,
    layout: Option<Layout>,
}

impl<'a> ParetoJson<'a> {
    /// The document of `analysis`, run with `options` on `input` (as `ParetoDoc::new`).
    #[must_use]
    pub fn new(input: &'a Input, options: &'a Options, analysis: &'a Analysis) -> Self {
        ParetoJson {
            input,
            options,
            analysis,
            layout: None,
        }
    }

    /// Says how the document will be written ([`crate::json::write`] in `layout`): then the
    /// configs are formatted in that layout on all cores, a chunk at a time, while the previous
    /// chunk is written. Only for `serde_json`'s writers as `json::write` uses them (compact, or
    /// pretty indented by two spaces): written any other way, the configs would keep the layout
    /// given here. Without it (the default) every value goes through the serializer in use.
    #[must_use]
    pub fn with_layout(mut self, layout: Layout) -> Self {
        self.layout = Some(layout);
        self
    }
}

impl Serialize for ParetoJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (a, options) = (self.analysis, self.options);
        let reasons = doc_reasons(a, options);
        let shown = shown_metrics(a, options);
        let objectives: Vec<ObjectiveDoc> = a
            .objectives
            .iter()
            .map(|o| ObjectiveDoc {
                name: o.name.clone(),
                direction: o.direction,
            })
            .collect();
        let constraints: Vec<String> = options
            .constraints
            .iter()
            .map(ToString::to_string)
            .collect();
        let fields = 12 + usize::from(!reasons.is_empty());
        let mut doc = s.serialize_struct("ParetoDoc", fields)?;
        doc.serialize_field("command", "pareto")?;
        doc.serialize_field("input", &self.input.source)?;
        doc.serialize_field("objectives", &objectives)?;
        doc.serialize_field("constraints", &constraints)?;
        doc.serialize_field("confidence", &options.confidence.level())?;
        doc.serialize_field("repeated_measurements", &a.has_samples)?;
        doc.serialize_field("dominated_by_limit", &options.dominated_by_limit)?;
        doc.serialize_field(
            "configs",
            &Configs {
                input: self.input,
                analysis: a,
                shown: &shown,
                layout: self.layout,
            },
        )?;
        let fronts = Fronts {
            analysis: a,
            layout: self.layout,
        };
        doc.serialize_field("fronts", &fronts)?;
        doc.serialize_field("hypervolume", &a.hypervolume)?;
        let reference = a.reference.as_ref().map(|r| Pairs {
            names: a.objectives.iter().map(|o| o.name.as_str()).collect(),
            values: r,
        });
        doc.serialize_field("reference", &reference)?;
        doc.serialize_field("knee", &a.knee.map(|k| a.configs[k].id.as_str()))?;
        if reasons.is_empty() {
            doc.skip_field("reasons")?;
        } else {
            doc.serialize_field("reasons", &reasons)?;
        }
        doc.end()
    }
}

/// Names and values as one JSON object.
struct Pairs<'a> {
    names: Vec<&'a str>,
    values: &'a [f64],
}

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.names.len()))?;
        for (k, v) in self.names.iter().zip(self.values) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The ids of the configs at `indexes`.
struct Ids<'a> {
    analysis: &'a Analysis,
    indexes: &'a [usize],
}

impl Serialize for Ids<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.indexes.len()))?;
        for &i in self.indexes {
            seq.serialize_element(self.analysis.configs[i].id.as_str())?;
        }
        seq.end()
    }
}

/// Every config's entry, in input order.
struct Configs<'a> {
    input: &'a Input,
    analysis: &'a Analysis,
    shown: &'a [&'a str],
    layout: Option<Layout>,
}

/// Configs formatted at a time with a known layout (bounded memory: one batch being written,
/// one being formatted), in pieces of [`PIECE`] configs, one text each.
const BATCH: usize = if cfg!(test) { 7 } else { 16 * 1024 };
/// Configs per formatted text (one allocation each).
const PIECE: usize = if cfg!(test) { 3 } else { 256 };

impl<'a> Configs<'a> {
    fn entry(&self, i: usize) -> Entry<'a> {
        Entry {
            r: &self.analysis.configs[i],
            c: &self.input.configs[i],
            analysis: self.analysis,
            shown: self.shown,
        }
    }

    /// Configs `range` formatted in `layout` on all cores: per piece, a text and the part of
    /// it the serializer would write for those elements of the `configs` array (the
    /// separators between them included, not the one before the first).
    fn format(&self, range: std::ops::Range<usize>, layout: Layout) -> Vec<Formatted> {
        use rayon::prelude::*;
        let starts: Vec<usize> = range.clone().step_by(PIECE).collect();
        starts
            .into_par_iter()
            .map(|start| {
                let piece = Piece {
                    configs: self,
                    range: start..(start + PIECE).min(range.end),
                };
                formatted(&piece, layout)
            })
            .collect()
    }
}

/// A formatted piece ([`formatted`]): the text of `[[elements]]` and the range of the
/// elements in it.
type Formatted = serde_json::Result<(String, std::ops::Range<usize>)>;

/// Configs `range`, as elements of the array they are serialized in.
struct Piece<'c, 'a> {
    configs: &'c Configs<'a>,
    range: std::ops::Range<usize>,
}

/// Elements of an array at depth 2 of the document, written by calling a `serde_json`
/// formatter ([`formatted`]).
trait Elements {
    /// How many.
    fn len(&self) -> usize;
    /// About how many bytes they take.
    fn capacity(&self) -> usize;
    /// Element `k`, as the serializer writes it with `f`.
    fn write<F: Formatter + Clone>(
        &self,
        k: usize,
        w: &mut Vec<u8>,
        f: &mut F,
    ) -> serde_json::Result<()>;
}

impl Elements for Piece<'_, '_> {
    fn len(&self) -> usize {
        self.range.len()
    }

    fn capacity(&self) -> usize {
        self.range.len() * 384
    }

    fn write<F: Formatter + Clone>(
        &self,
        k: usize,
        w: &mut Vec<u8>,
        f: &mut F,
    ) -> serde_json::Result<()> {
        self.configs.entry(self.range.start + k).write(w, f)
    }
}

/// `elements` as `serde_json` writes them in `layout` at depth 2 of a document: the text of
/// `[[elements]]` (the formatter's calls the serializer makes, made here) and the part of it
/// the serializer writes for the elements (the separators between them included, not the one
/// before the first).
fn formatted<E: Elements>(elements: &E, layout: Layout) -> Formatted {
    fn text<E: Elements, F: Formatter + Clone>(
        elements: &E,
        mut f: F,
    ) -> serde_json::Result<String> {
        let mut w = Vec::with_capacity(elements.capacity());
        let io = |e| serde_json::Error::io(e);
        f.begin_array(&mut w).map_err(io)?;
        f.begin_array_value(&mut w, true).map_err(io)?;
        f.begin_array(&mut w).map_err(io)?;
        for k in 0..elements.len() {
            f.begin_array_value(&mut w, k == 0).map_err(io)?;
            elements.write(k, &mut w, &mut f)?;
            f.end_array_value(&mut w).map_err(io)?;
        }
        f.end_array(&mut w).map_err(io)?;
        f.end_array_value(&mut w).map_err(io)?;
        f.end_array(&mut w).map_err(io)?;
        String::from_utf8(w).map_err(serde::ser::Error::custom)
    }
    let (text, open, close) = match layout {
        Layout::Compact => (text(elements, CompactFormatter)?, "[[", "]]"),
        Layout::Pretty => (
            text(elements, PrettyFormatter::new())?,
            "[\n  [\n    ",
            "\n  ]\n]",
        ),
    };
    if text.len() >= open.len() + close.len() && text.starts_with(open) && text.ends_with(close) {
        let inner = open.len()..text.len() - close.len();
        Ok((text, inner))
    } else {
        Err(serde::ser::Error::custom("unexpected layout of serde_json"))
    }
}

/// The fronts of an analysis, each the array of its configs' ids, from the text of each
/// front's elements ([`front_elements`]).
struct FrontTexts<'a> {
    elements: &'a [Vec<u8>],
}

impl Elements for FrontTexts<'_> {
    fn len(&self) -> usize {
        self.elements.len()
    }

    fn capacity(&self) -> usize {
        self.elements.iter().map(|e| e.len() + 16).sum()
    }

    fn write<F: Formatter + Clone>(
        &self,
        k: usize,
        w: &mut Vec<u8>,
        f: &mut F,
    ) -> serde_json::Result<()> {
        let io = |e| serde_json::Error::io(e);
        let elements = &self.elements[k];
        f.begin_array(w).map_err(io)?;
        w.extend_from_slice(elements);
        if !elements.is_empty() {
            f.end_array_value(w).map_err(io)?;
        }
        f.end_array(w).map_err(io)
    }
}

/// The text of the elements (ids) of each front, as `serde_json` writes them with `f` in the
/// document (at depth 3); `None` if some config's rank has no front. One pass over the
/// configs in input order: `fronts[r]` lists the configs of rank `r + 1` in that order, and
/// visiting the fronts instead reads the configs in no order (four times as long at a million).
fn front_elements<F: Formatter + Clone>(
    a: &Analysis,
    mut f: F,
) -> serde_json::Result<Option<Vec<Vec<u8>>>> {
    let io = |e| serde_json::Error::io(e);
    let mut scratch = Vec::new();
    for _ in 0..3 {
        f.begin_array(&mut scratch).map_err(io)?;
    }
    let mut elements: Vec<Vec<u8>> = a
        .fronts
        .iter()
        .map(|front| Vec::with_capacity(front.len() * 12))
        .collect();
    for r in &a.configs {
        let Some(rank) = r.rank else { continue };
        let Some(w) = (rank as usize)
            .checked_sub(1)
            .and_then(|k| elements.get_mut(k))
        else {
            return Ok(None);
        };
        let first = w.is_empty();
        f.begin_array_value(w, first).map_err(io)?;
        string(w, &mut f, &r.id)?;
    }
    Ok(Some(elements))
}

/// The `fronts` of an analysis: arrays of ids.
struct Fronts<'a> {
    analysis: &'a Analysis,
    layout: Option<Layout>,
}

impl Serialize for Fronts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.analysis;
        let by_serializer = |s: S| {
            s.collect_seq(a.fronts.iter().map(|f| Ids {
                analysis: a,
                indexes: f,
            }))
        };
        let Some(layout) = self.layout else {
            return by_serializer(s);
        };
        let elements = match layout {
            Layout::Compact => front_elements(a, CompactFormatter),
            Layout::Pretty => front_elements(a, PrettyFormatter::new()),
        };
        let Some(elements) = elements.map_err(serde::ser::Error::custom)? else {
            return by_serializer(s);
        };
        let (text, inner) = formatted(
            &FrontTexts {
                elements: &elements,
            },
            layout,
        )
        .map_err(serde::ser::Error::custom)?;
        let mut seq = s.serialize_seq(Some(a.fronts.len()))?;
        if !a.fronts.is_empty() {
            seq.serialize_element(&Verbatim(&text[inner]))?;
        }
        seq.end()
    }
}

/// Text written as it is: serde_json's raw-value protocol (the `Serialize` of its `RawValue`: a
/// struct and a field named by its token). Replicated because a `RawValue` made of text
/// without parsing it again needs `unsafe` (`RawValue::from_string_unchecked`), which this
/// workspace forbids; the text is serde_json's own output. A serde_json that changed the token
/// would write a map instead: `the_borrowed_json_is_the_documents` compares the bytes.
struct Verbatim<'t>(&'t str);

/// serde_json's `raw::TOKEN`.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

impl Serialize for Verbatim<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut raw = s.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, self.0)?;
        raw.end()
    }
}

impl Serialize for Configs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.analysis.configs.len().min(self.input.configs.len());
        let mut seq = s.serialize_seq(Some(n))?;
        let Some(layout) = self.layout else {
            for i in 0..n {
                seq.serialize_element(&self.entry(i))?;
            }
            return seq.end();
        };
        // Batch k is written on this thread while batch k + 1 is formatted on the others;
        // each piece is one element of the array here, so the serializer writes the
        // separator between two pieces.
        let mut done = self.format(0..BATCH.min(n), layout);
        let mut start = BATCH.min(n);
        loop {
            let next_range = start..(start + BATCH).min(n);
            let mut next = Vec::new();
            let mut written = Ok(());
            rayon::in_place_scope(|scope| {
                if !next_range.is_empty() {
                    scope.spawn(|_| next = self.format(next_range.clone(), layout));
                }
                written = done.drain(..).try_for_each(|piece| {
                    let (text, inner) = piece.map_err(serde::ser::Error::custom)?;
                    seq.serialize_element(&Verbatim(&text[inner]))
                });
            });
            written?;
            if next.is_empty() {
                break;
            }
            start = next_range.end;
            done = next;
        }
        seq.end()
    }
}

/// One config's entry (the fields of `ConfigDoc`, in its order).
struct Entry<'a> {
    r: &'a ConfigResult,
    c: &'a Config,
    analysis: &'a Analysis,
    shown: &'a [&'a str],
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, c) = (self.r, self.c);
        let intervals = config_intervals(r, c, self.analysis);
        let reasons = config_reasons(r);
        let fields = 10 + usize::from(!intervals.is_empty()) + usize::from(!reasons.is_empty());
        let mut e = s.serialize_struct("ConfigDoc", fields)?;
        e.serialize_field("id", &r.id)?;
        e.serialize_field("feasible", &r.feasible)?;
        e.serialize_field("rank", &r.rank)?;
        e.serialize_field("crowding_distance", &FiniteOrNull(r.crowding_distance))?;
        e.serialize_field("dominated_by_count", &r.dominated_by_count)?;
        e.serialize_field(
            "dominated_by",
            &Ids {
                analysis: self.analysis,
                indexes: &r.dominated_by,
            },
        )?;
        let violations: Vec<String> = r.violated.iter().map(ToString::to_string).collect();
        e.serialize_field("violations", &violations)?;
        e.serialize_field("status", &r.status)?;
        e.serialize_field("params", &Params(&c.params))?;
        e.serialize_field(
            "metrics",
            &Points {
                shown: self.shown,
                c,
            },
        )?;
        if intervals.is_empty() {
            e.skip_field("intervals")?;
        } else {
            e.serialize_field("intervals", &intervals)?;
        }
        if reasons.is_empty() {
            e.skip_field("reasons")?;
        } else {
            e.serialize_field("reasons", &reasons)?;
        }
        e.end()
    }
}

impl Entry<'_> {
    /// The entry's bytes as [`Serialize`] has `serde_json` write them with `f`, written by
    /// calling the formatter as the serializer does: the keys, which need no escaping, go
    /// out as they are (escaping them was a third of the time of a million entries); the
    /// rare nested values (params, intervals, reasons, violations) go through `serde_json`
    /// with a copy of the formatter (its state at the end of a value is the state at its
    /// start). `Configs::format` is tested against the serializer by
    /// `the_borrowed_json_is_the_documents`.
    fn write<F: Formatter + Clone>(&self, w: &mut Vec<u8>, f: &mut F) -> serde_json::Result<()> {
        let (r, c) = (self.r, self.c);
        let io = |e| serde_json::Error::io(e);
        f.begin_object(w).map_err(io)?;
        let mut first = true;
        let mut key = |w: &mut Vec<u8>, f: &mut F, name: &str| -> std::io::Result<()> {
            f.begin_object_key(w, first)?;
            first = false;
            f.begin_string(w)?;
            f.write_string_fragment(w, name)?;
            f.end_string(w)?;
            f.end_object_key(w)?;
            f.begin_object_value(w)
        };
        key(w, f, "id").map_err(io)?;
        string(w, f, &r.id)?;
        f.end_object_value(w).map_err(io)?;
        key(w, f, "feasible").map_err(io)?;
        f.write_bool(w, r.feasible).map_err(io)?;
        f.end_object_value(w).map_err(io)?;
        key(w, f, "rank").map_err(io)?;
        match r.rank {
            Some(x) => f.write_u32(w, x),
            None => f.write_null(w),
        }
        .map_err(io)?;
        f.end_object_value(w).map_err(io)?;
        key(w, f, "crowding_distance").map_err(io)?;
        number(w, f, r.crowding_distance)?;
        f.end_object_value(w).map_err(io)?;
        key(w, f, "dominated_by_count").map_err(io)?;
        f.write_u64(w, r.dominated_by_count as u64).map_err(io)?;
        f.end_object_value(w).map_err(io)?;
        key(w, f, "dominated_by").map_err(io)?;
        f.begin_array(w).map_err(io)?;
        for (k, &i) in r.dominated_by.iter().enumerate() {
            f.begin_array_value(w, k == 0).map_err(io)?;
            string(w, f, &self.analysis.configs[i].id)?;
            f.end_array_value(w).map_err(io)?;
        }
        f.end_array(w).map_err(io)?;
        f.end_object_value(w).map_err(io)?;
        key(w, f, "violations").map_err(io)?;
        if r.violated.is_empty() {
            f.begin_array(w).map_err(io)?;
            f.end_array(w).map_err(io)?;
        } else {
            let violations: Vec<String> = r.violated.iter().map(ToString::to_string).collect();
            nested(w, f, &violations)?;
        }
        f.end_object_value(w).map_err(io)?;
        key(w, f, "status").map_err(io)?;
        match r.status {
            Some(x) => string(w, f, x.as_str())?,
            None => f.write_null(w).map_err(io)?,
        }
        f.end_object_value(w).map_err(io)?;
        key(w, f, "params").map_err(io)?;
        if c.params.is_empty() {
            f.begin_object(w).map_err(io)?;
            f.end_object(w).map_err(io)?;
        } else {
            nested(w, f, &Params(&c.params))?;
        }
        f.end_object_value(w).map_err(io)?;
        key(w, f, "metrics").map_err(io)?;
        f.begin_object(w).map_err(io)?;
        for (k, (name, v)) in shown_points(self.shown, c).enumerate() {
            f.begin_object_key(w, k == 0).map_err(io)?;
            string(w, f, name)?;
            f.end_object_key(w).map_err(io)?;
            f.begin_object_value(w).map_err(io)?;
            number(w, f, Some(v))?;
            f.end_object_value(w).map_err(io)?;
        }
        f.end_object(w).map_err(io)?;
        f.end_object_value(w).map_err(io)?;
        let intervals = config_intervals(r, c, self.analysis);
        if !intervals.is_empty() {
            key(w, f, "intervals").map_err(io)?;
            nested(w, f, &intervals)?;
            f.end_object_value(w).map_err(io)?;
        }
        let reasons = config_reasons(r);
        if !reasons.is_empty() {
            key(w, f, "reasons").map_err(io)?;
            nested(w, f, &reasons)?;
            f.end_object_value(w).map_err(io)?;
        }
        f.end_object(w).map_err(io)
    }
}

/// A JSON string as `serde_json` writes it: as it is when nothing in it needs escaping
/// (a control character, `"` or `\\`), otherwise through its serializer.
fn string<F: Formatter + Clone>(w: &mut Vec<u8>, f: &mut F, s: &str) -> serde_json::Result<()> {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return nested(w, f, s);
    }
    let io = |e| serde_json::Error::io(e);
    f.begin_string(w).map_err(io)?;
    f.write_string_fragment(w, s).map_err(io)?;
    f.end_string(w).map_err(io)
}

/// A number as `serde_json` writes an `Option<f64>`: `null` when missing or not finite.
fn number<F: Formatter>(w: &mut Vec<u8>, f: &mut F, x: Option<f64>) -> serde_json::Result<()> {
    match x {
        Some(x) if x.is_finite() => f.write_f64(w, x),
        _ => f.write_null(w),
    }
    .map_err(serde_json::Error::io)
}

/// A value written by `serde_json`'s serializer with a copy of `f`.
fn nested<F: Formatter + Clone, T: Serialize + ?Sized>(
    w: &mut Vec<u8>,
    f: &F,
    value: &T,
) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(w, f.clone()))
}

/// A crowding distance: infinite (boundary) and missing are `null`.
struct FiniteOrNull(Option<f64>);

impl Serialize for FiniteOrNull {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        finite_or_null(&self.0, s)
    }
}

/// A config's parameters, as given.
struct Params<'a>(&'a [(String, serde_json::Value)]);

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The point estimates of the shown metrics.
struct Points<'a> {
    shown: &'a [&'a str],
    c: &'a Config,
}

impl Serialize for Points<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (k, v) in shown_points(self.shown, self.c) {
            map.serialize_entry(k, &v)?;
        }
        map.end()
    }
}
