//! Fractions and levels as people write them: `0.02` or `2%` (the parsers of the command line's
//! `--min-effect`, `--min-success`, thresholds, `--alpha` and [`Confidence`](crate::Confidence)).

/// A fraction that could not be read, or lies outside its range; the message quotes the text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FractionError(String);

/// `0.02` or `2%` as a number (`2%` → 0.02), before any range check.
fn number(s: &str) -> Option<f64> {
    match s.trim().strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().ok().map(|v| v / 100.0),
        None => s.trim().parse::<f64>().ok(),
    }
}

/// A finite, non-negative fraction written as `0.02` or `2%`.
///
/// ```
/// use perfstat_stats::fraction::parse_fraction;
/// assert_eq!(parse_fraction("2%"), Ok(0.02));
/// assert_eq!(parse_fraction("0.5"), Ok(0.5));
/// assert!(parse_fraction("-1").is_err());
/// ```
///
/// # Errors
/// Not a number, or negative or infinite.
pub fn parse_fraction(s: &str) -> Result<f64, FractionError> {
    let v = number(s).ok_or_else(|| {
        FractionError(format!("expected a number such as 0.02 or 2%, found {s:?}"))
    })?;
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(FractionError(format!(
            "must be a finite, non-negative number, found {s}"
        )))
    }
}

/// A significance level: `0.05` or `5%`, in (0, 0.5).
///
/// # Errors
/// Not a number, or outside (0, 0.5).
pub fn parse_alpha(s: &str) -> Result<f64, FractionError> {
    let v = parse_fraction(s)?;
    if v > 0.0 && v < 0.5 {
        Ok(v)
    } else {
        Err(FractionError(format!("must be in (0, 0.5), found {s}")))
    }
}

/// A confidence level: `0.95` or `95%`, strictly between 0 and 1.
///
/// # Errors
/// Not a number, or outside (0, 1).
pub fn parse_level(s: &str) -> Result<f64, FractionError> {
    let v = number(s).ok_or_else(|| {
        FractionError(format!("expected a level such as 0.95 or 95%, found {s:?}"))
    })?;
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(FractionError(format!(
            "must be strictly between 0 and 1 (or 0% and 100%), found {s}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_ranges() {
        assert_eq!(parse_level("0.9"), Ok(0.9));
        assert_eq!(parse_level("99%"), Ok(0.99));
        assert!(parse_level("1").is_err());
        assert!(parse_level("abc").is_err());
        assert_eq!(parse_alpha("5%"), Ok(0.05));
        assert!(parse_alpha("0.5").is_err());
        assert!(parse_alpha("0").is_err());
        assert_eq!(parse_fraction(" 0 "), Ok(0.0));
        assert!(parse_fraction("inf").is_err());
        assert_eq!(
            parse_fraction("x").unwrap_err().to_string(),
            "expected a number such as 0.02 or 2%, found \"x\""
        );
    }
}
