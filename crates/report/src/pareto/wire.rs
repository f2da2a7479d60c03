//! The `pareto` JSON document written straight from the analysis ([`ParetoJson`]).
//!
//! [`ParetoDoc`](super::ParetoDoc) owns a copy of every id, name and number (what the table,
//! the Markdown and the plots read); for a million configs that copy was most of the time
//! and memory of `--format json`. [`ParetoJson`] borrows the input and the analysis and
//! serialises the same bytes as the `ParetoDoc` would (a unit test compares them), with
//! nothing allocated per config but the rare `reasons` and `violations`.

use serde::ser::{SerializeMap as _, SerializeSeq as _, SerializeStruct as _};
use serde::{Serialize, Serializer};

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
        let fronts: Vec<Ids<'_>> = a
            .fronts
            .iter()
            .map(|f| Ids {
                analysis: a,
                indexes: f,
            })
            .collect();
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
                // The configs' array is at depth 2 of the document (in its object, in
                // `configs`): so is the inner array of `[[piece]]`.
                let nested = [piece];
                let (text, open, close) = match layout {
                    Layout::Compact => (serde_json::to_string(&nested)?, "[[", "]]"),
                    Layout::Pretty => (
                        serde_json::to_string_pretty(&nested)?,
                        "[\n  [\n    ",
                        "\n  ]\n]",
                    ),
                };
                if text.len() >= open.len() + close.len()
                    && text.starts_with(open)
                    && text.ends_with(close)
                {
                    let inner = open.len()..text.len() - close.len();
                    Ok((text, inner))
                } else {
                    Err(serde::ser::Error::custom("unexpected layout of serde_json"))
                }
            })
            .collect()
    }
}

/// A formatted piece: the text of `[piece]` and the range of the piece's elements in it.
type Formatted = serde_json::Result<(String, std::ops::Range<usize>)>;

/// Configs `range`, as elements of the array they are serialized in.
struct Piece<'c, 'a> {
    configs: &'c Configs<'a>,
    range: std::ops::Range<usize>,
}

impl Serialize for Piece<'_, '_> {
    /// Only ever inside a one-element array (`Configs::format`): the elements are those of
    /// that array, whose brackets are cut off.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.range.clone().map(|i| self.configs.entry(i)))
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
