//! Normality tests: Shapiro–Wilk, Anderson–Darling, D'Agostino–Pearson, Jarque–Bera.

use crate::{Sample, Stat, Undefined};

/// A test statistic with its p-value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TestResult {
    /// The test statistic.
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
}

/// Shapiro–Wilk W and its p-value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShapiroWilk {
    /// W statistic.
    pub statistic: f64,
    /// p-value (Royston 1995).
    pub p_value: f64,
    /// `true` when n > 5000, where the p-value approximation is not validated.
    pub approximate: bool,
}

/// Anderson–Darling A² against a normal with estimated parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AndersonDarling {
    /// A² as `scipy.stats.anderson(x, "norm")`.
    pub statistic: f64,
    /// p-value, where the approximation is defined.
    pub p_value: Stat<f64>,
}

/// Shapiro–Wilk test. STUB.
///
/// # Undefined
/// For n < 3 or zero variance.
pub fn shapiro_wilk(sample: &Sample) -> Stat<ShapiroWilk> {
    Err(Undefined::TooFew {
        need: 3,
        got: sample.len(),
    })
}

/// Anderson–Darling test. STUB.
///
/// # Undefined
/// For n < 2 or zero variance.
pub fn anderson_darling(sample: &Sample) -> Stat<AndersonDarling> {
    Err(Undefined::TooFew {
        need: 3,
        got: sample.len(),
    })
}

/// D'Agostino–Pearson K². STUB.
///
/// # Undefined
/// For n < 8 or zero variance.
pub fn dagostino_pearson(sample: &Sample) -> Stat<TestResult> {
    Err(Undefined::TooFew {
        need: 8,
        got: sample.len(),
    })
}

/// Jarque–Bera test. STUB.
///
/// # Undefined
/// For n < 2 or zero variance.
pub fn jarque_bera(sample: &Sample) -> Stat<TestResult> {
    Err(Undefined::TooFew {
        need: 2,
        got: sample.len(),
    })
}
