//! Intervals for the mean (Student t) and for quantiles (order statistics).

use crate::{Confidence, Interval, Sample, Stat, Undefined};

/// Student-t interval for the mean. STUB.
///
/// # Undefined
/// For n < 2.
pub fn mean_interval(sample: &Sample, confidence: Confidence) -> Stat<Interval> {
    let _ = (sample, confidence);
    Err(Undefined::OutOfRange)
}

/// Distribution-free interval for the median. STUB.
///
/// # Undefined
/// When the sample is too small for the confidence.
pub fn median_interval(sample: &Sample, confidence: Confidence) -> Stat<Interval> {
    let _ = (sample, confidence);
    Err(Undefined::TooFewForConfidence)
}
