//! The result of reading an input: values, grouped.

use std::collections::HashMap;

use crate::error::ErrorKind;

/// The values read from one input.
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
}

impl Dataset {
    /// Number of values kept, over all groups (`rows - skipped`).
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
}

/// Parses a value: ASCII white space around it is ignored; it must be a finite number.
#[inline]
pub(crate) fn parse_value(bytes: &[u8]) -> Result<f64, BadValue> {
    match fast_float2::parse::<f64, _>(bytes.trim_ascii()) {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(BadValue::NonFinite),
        Err(_) => Err(BadValue::NotANumber),
    }
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
            let found = shorten(text);
            match bad {
                BadValue::NotANumber => ErrorKind::InvalidNumber { column, found },
                BadValue::NonFinite => ErrorKind::NonFinite { column, found },
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
        several => Err(ErrorKind::SeveralNumeric {
            columns: several.iter().map(|&i| columns[i].clone()).collect(),
        }),
    }
}

/// The grouping column's index.
pub(crate) fn choose_by(columns: &[String], requested: &str) -> Result<usize, ErrorKind> {
    find_column(columns, requested).ok_or_else(|| ErrorKind::UnknownBy {
        name: requested.to_owned(),
        available: columns.to_vec(),
    })
}

/// Exact match first, then ASCII case-insensitive if that is unambiguous.
fn find_column(columns: &[String], name: &str) -> Option<usize> {
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
    fn metric_choice() {
        let cols: Vec<String> = ["t", "latency", "label"].map(String::from).to_vec();
        assert_eq!(
            choose_metric(&cols, &[false, true, false], None).unwrap(),
            1
        );
        assert!(matches!(
            choose_metric(&cols, &[true, true, false], None),
            Err(ErrorKind::SeveralNumeric { columns }) if columns == ["t", "latency"]
        ));
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
