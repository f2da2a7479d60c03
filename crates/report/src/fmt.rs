//! Human number formatting: significant digits, units, p-values.
//!
//! Tables and Markdown show 3–4 significant digits; full precision stays in
//! the JSON.

/// Formats `x` with `digits` significant digits, without exponent for
/// magnitudes in [1e-4, 1e6), and with thousands kept plain (`12345`).
///
/// ```
/// use perfstat_report::fmt::sig;
/// assert_eq!(sig(52.3149, 3), "52.3");
/// assert_eq!(sig(0.0, 3), "0");
/// assert_eq!(sig(-0.00012345, 3), "-0.000123");
/// assert_eq!(sig(123456.0, 3), "123456");
/// assert_eq!(sig(1.0e-7, 3), "1.00e-7");
/// ```
#[must_use]
pub fn sig(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".to_owned()
        } else if x > 0.0 {
            "∞".to_owned()
        } else {
            "-∞".to_owned()
        };
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    let digits = digits.max(1);
    let magnitude = x.abs().log10().floor();
    if !(-4.0..6.0).contains(&magnitude) {
        return format!("{:.*e}", digits - 1, x);
    }
    // Decimals so that `digits` significant digits show; integers keep all their digits.
    let decimals = (digits as i64 - 1 - magnitude as i64).max(0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let decimals = decimals as usize;
    let s = format!("{x:.decimals$}");
    // Rounding can carry into a new digit (9.995 -> "10.00"): trim to `digits`.
    if decimals > 0 {
        let significant = s
            .chars()
            .filter(char::is_ascii_digit)
            .skip_while(|&c| c == '0')
            .count();
        if significant > digits {
            return format!("{x:.prec$}", prec = decimals - 1);
        }
    }
    s
}

/// Formats a value with 4 significant digits and its unit, if any.
///
/// ```
/// use perfstat_report::fmt::value;
/// assert_eq!(value(52.31492, Some("ms")), "52.31 ms");
/// assert_eq!(value(3.0, None), "3.000");
/// ```
#[must_use]
pub fn value(x: f64, unit: Option<&str>) -> String {
    match unit {
        Some(u) => format!("{} {u}", sig(x, 4)),
        None => sig(x, 4),
    }
}

/// Formats a p-value: 3 significant digits, or `< 0.001`.
///
/// ```
/// use perfstat_report::fmt::p_value;
/// assert_eq!(p_value(0.04321), "0.0432");
/// assert_eq!(p_value(1e-9), "< 0.001");
/// ```
#[must_use]
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_owned()
    } else {
        sig(p, 3)
    }
}

/// Guesses a display unit from a metric name's suffix (`latency_ms` → `ms`).
///
/// ```
/// use perfstat_report::fmt::unit_from_name;
/// assert_eq!(unit_from_name("latency_ms"), Some("ms"));
/// assert_eq!(unit_from_name("duration_seconds"), Some("s"));
/// assert_eq!(unit_from_name("value"), None);
/// ```
#[must_use]
pub fn unit_from_name(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let suffix = lower.rsplit(['_', '-', '.', ' ']).next().unwrap_or(&lower);
    let suffix = suffix.trim_matches(|c| c == '(' || c == ')' || c == '[' || c == ']');
    match suffix {
        "ms" | "millis" | "milliseconds" => Some("ms"),
        "s" | "sec" | "secs" | "seconds" => Some("s"),
        "us" | "µs" | "micros" | "microseconds" => Some("µs"),
        "ns" | "nanos" | "nanoseconds" => Some("ns"),
        "rps" => Some("req/s"),
        "bytes" => Some("B"),
        _ => None,
    }
}

/// How many entries of each section a table (or Markdown report) shows: the rule for every
/// output that grows with the input (`pareto` configs, `describe`/`ab` groups, `regress`
/// metrics). The JSON always holds everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowLimit {
    /// Every entry.
    All,
    /// At most this many entries per section.
    First(usize),
}

impl Default for RowLimit {
    fn default() -> Self {
        RowLimit::DEFAULT
    }
}

impl RowLimit {
    /// The default: the first 20 of each section.
    pub const DEFAULT: RowLimit = RowLimit::First(20);

    /// How many of `total` entries are shown.
    ///
    /// ```
    /// use perfstat_report::fmt::RowLimit;
    /// assert_eq!(RowLimit::First(20).shown(5), 5);
    /// assert_eq!(RowLimit::First(20).shown(500), 20);
    /// assert_eq!(RowLimit::All.shown(500), 500);
    /// ```
    #[must_use]
    pub fn shown(self, total: usize) -> usize {
        match self {
            RowLimit::All => total,
            RowLimit::First(n) => total.min(n),
        }
    }

    /// The line that says what was left out of a section of `total` `what` (`configs`),
    /// `None` when nothing was.
    ///
    /// ```
    /// use perfstat_report::fmt::RowLimit;
    /// assert_eq!(
    ///     RowLimit::First(20).omitted(500, "configs").as_deref(),
    ///     Some("… 480 more configs not shown (20 of 500)")
    /// );
    /// assert_eq!(RowLimit::First(20).omitted(20, "configs"), None);
    /// ```
    #[must_use]
    pub fn omitted(self, total: usize, what: &str) -> Option<String> {
        let shown = self.shown(total);
        (shown < total).then(|| {
            format!(
                "… {} more {what} not shown ({shown} of {total})",
                total - shown
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sig_rounds_and_carries() {
        assert_eq!(sig(9.9996, 4), "10.00");
        assert_eq!(sig(99.96, 3), "100");
        assert_eq!(sig(0.99996, 3), "1.00");
        assert_eq!(sig(1.0, 3), "1.00");
        assert_eq!(sig(1234.6, 3), "1235");
        assert_eq!(sig(f64::INFINITY, 3), "∞");
        assert_eq!(sig(2.5e12, 3), "2.50e12");
        assert_eq!(sig(14_369_036.0, 4), "1.437e7");
    }
}
