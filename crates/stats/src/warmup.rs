//! Warm-up removal: how much of the start of a run to drop, given as a duration, a count, or detected
//! with MSER-5.
//!
//! - [`WarmupSpec`] parses `30s` (a duration in the grammar of [`crate::duration`]: ns, us, ms, s,
//!   min, h), `500` (a bare number: a count of requests) or `auto` ([`FromStr`]).
//! - [`mser`] / [`mser5`] find the end of the initial transient of a series (latencies in time order).
//!
//! # MSER-5
//!
//! The Marginal Standard Error Rule (White 1997; White, Cobb & Spratt 2000; Franklin & White 2008) on
//! batch means of 5: the series x₁…xₙ is cut into m = ⌊n/5⌋ batches of 5 consecutive values (a last
//! partial batch is left out) whose means are z₁…z_m. For each truncation d (batches dropped),
//!
//! MSER(d) = 1/(m − d)² · Σ_{j>d} (z_j − z̄_d)²,  z̄_d the mean of z_{d+1}…z_m,
//!
//! the squared standard error of the truncated mean, up to a constant. The truncation point is the d
//! minimising MSER(d) over d ∈ 0..=⌊m/2⌋ (searching only the first half: past it the few batches left make
//! the statistic unstable), and 5·d values are dropped. A minimum at the end of the search range means
//! the series may not have settled: [`Mser::at_limit`] says so. Each MSER(d) comes from a backward
//! Welford pass: O(n) time, O(m) memory.

use std::fmt;
use std::str::FromStr;

/// How much of the start of a run to drop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WarmupSpec {
    /// Drop the requests that started in the first `seconds` of the run.
    Duration {
        /// The duration, seconds.
        seconds: f64,
    },
    /// Drop the first `n` requests.
    Count(u64),
    /// Detect the end of the warm-up transient with [`mser5`].
    Auto,
}

impl WarmupSpec {
    /// The method's name in the output: `time`, `count` or `mser-5`.
    #[must_use]
    pub fn method(&self) -> &'static str {
        match self {
            Self::Duration { .. } => "time",
            Self::Count(_) => "count",
            Self::Auto => "mser-5",
        }
    }
}

impl fmt::Display for WarmupSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duration { seconds } => write!(f, "{seconds}s"),
            Self::Count(n) => write!(f, "{n}"),
            Self::Auto => f.write_str("auto"),
        }
    }
}

/// A malformed warm-up specification.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid warm-up {0:?}: expected a duration (30s, 2min, 500ms, 1h), a count of requests (500) or auto"
)]
pub struct WarmupParseError(pub String);

impl FromStr for WarmupSpec {
    type Err = WarmupParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || WarmupParseError(s.to_owned());
        if t.eq_ignore_ascii_case("auto")
            || t.eq_ignore_ascii_case("mser")
            || t.eq_ignore_ascii_case("mser-5")
        {
            return Ok(Self::Auto);
        }
        // A bare number is a count of requests; anything else is a duration with a unit.
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse().map(Self::Count).map_err(|_| err());
        }
        crate::duration::parse_duration(t, None)
            .map(|d| Self::Duration {
                seconds: d.seconds(),
            })
            .map_err(|_| err())
    }
}

/// The result of [`mser`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mser {
    /// Values to drop from the start (a multiple of the batch size).
    pub truncate: usize,
    /// Batches dropped (d).
    pub batches_dropped: usize,
    /// Batches in the series (m).
    pub batches: usize,
    /// MSER(d) at the minimum.
    pub statistic: f64,
    /// Whether the minimum is at the end of the searched range (the first half): the transient may
    /// last longer than the series can show.
    pub at_limit: bool,
}

/// Why MSER cannot be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MserError {
    /// Fewer values than four batches.
    #[error("MSER needs at least {need} values (4 batches of {batch}), got {got}")]
    TooFew {
        /// Values needed.
        need: usize,
        /// The batch size.
        batch: usize,
        /// Values given.
        got: usize,
    },
    /// A batch size of zero.
    #[error("the batch size must be at least 1")]
    ZeroBatch,
    /// A value is NaN or infinite.
    #[error("the series has a value that is not finite")]
    NonFinite,
}

/// MSER-5: [`mser`] with batches of 5.
///
/// # Errors
/// As [`mser`].
pub fn mser5(series: &[f64]) -> Result<Mser, MserError> {
    mser(series, 5)
}

/// The MSER truncation point of `series` with batch means of `batch` values (see the
/// [module docs](self)). Ties go to the smallest truncation.
///
/// # Errors
/// [`MserError`] for fewer than 4 batches, a zero batch size, or a non-finite value.
///
/// ```
/// use perfstat_stats::warmup::mser5;
/// // 50 slow values, then 450 fast ones alternating around 10.
/// let series: Vec<f64> = (0..500).map(|i| if i < 50 { 100.0 } else { 10.0 + (i % 2) as f64 }).collect();
/// assert_eq!(mser5(&series)?.truncate, 50);
/// # Ok::<(), perfstat_stats::warmup::MserError>(())
/// ```
pub fn mser(series: &[f64], batch: usize) -> Result<Mser, MserError> {
    if batch == 0 {
        return Err(MserError::ZeroBatch);
    }
    let m = series.len() / batch;
    if m < 4 {
        return Err(MserError::TooFew {
            need: 4 * batch,
            batch,
            got: series.len(),
        });
    }
    if series.iter().any(|v| !v.is_finite()) {
        return Err(MserError::NonFinite);
    }
    let means: Vec<f64> = series
        .chunks_exact(batch)
        .map(|c| c.iter().sum::<f64>() / batch as f64)
        .collect();
    let limit = m / 2;
    // Backward Welford: after adding z_m … z_{d+1}, (mean, m2) describe the last m − d batch means.
    let mut stat = vec![f64::INFINITY; limit + 1];
    let (mut mean, mut m2) = (0.0_f64, 0.0_f64);
    for (k, &z) in means.iter().rev().enumerate() {
        let count = (k + 1) as f64;
        let delta = z - mean;
        mean += delta / count;
        m2 += delta * (z - mean);
        let d = m - (k + 1);
        if d <= limit {
            stat[d] = m2 / (count * count);
        }
    }
    let mut best = 0;
    for (d, &s) in stat.iter().enumerate() {
        if s < stat[best] {
            best = d;
        }
    }
    Ok(Mser {
        truncate: best * batch,
        batches_dropped: best,
        batches: m,
        statistic: stat[best],
        at_limit: best == limit && best > 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic pseudo-random uniform in [0, 1) (64-bit LCG, high bits).
    fn uniforms(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn parses_specs() {
        assert_eq!("30s".parse(), Ok(WarmupSpec::Duration { seconds: 30.0 }));
        assert_eq!("2min".parse(), Ok(WarmupSpec::Duration { seconds: 120.0 }));
        assert_eq!("1.5 s".parse(), Ok(WarmupSpec::Duration { seconds: 1.5 }));
        assert_eq!("500ms".parse(), Ok(WarmupSpec::Duration { seconds: 0.5 }));
        assert_eq!("500".parse(), Ok(WarmupSpec::Count(500)));
        assert_eq!("auto".parse(), Ok(WarmupSpec::Auto));
        assert_eq!("MSER-5".parse(), Ok(WarmupSpec::Auto));
        // One duration grammar (crate::duration): us, h and exponents too.
        assert_eq!("1h".parse(), Ok(WarmupSpec::Duration { seconds: 3600.0 }));
        assert_eq!(
            "250us".parse(),
            Ok(WarmupSpec::Duration { seconds: 250e-6 })
        );
        assert_eq!("1e3s".parse(), Ok(WarmupSpec::Duration { seconds: 1000.0 }));
        for bad in ["", "s", "-3s", "30 parsecs", "x", "3.5", "5d"] {
            assert!(bad.parse::<WarmupSpec>().is_err(), "{bad}");
        }
        assert_eq!(WarmupSpec::Auto.method(), "mser-5");
    }

    #[test]
    fn finds_a_step_transient() {
        let mut u = uniforms(1);
        // 300 values around 200 then 2700 around 100 (noise ±10).
        let series: Vec<f64> = (0..3000)
            .map(|i| if i < 300 { 200.0 } else { 100.0 } + 20.0 * (u() - 0.5))
            .collect();
        let r = mser5(&series).unwrap();
        assert_eq!(r.truncate, 300, "{r:?}");
        assert!(!r.at_limit);
        assert_eq!(r.batches, 600);
    }

    #[test]
    fn finds_an_exponential_warm_up() {
        let mut u = uniforms(7);
        // Latency decaying from +400 to the steady state (time constant 100 requests), exponential noise.
        let series: Vec<f64> = (0..5000)
            .map(|i| 50.0 + 400.0 * (-(i as f64) / 100.0).exp() - 20.0 * (1.0 - u()).ln())
            .collect();
        let r = mser5(&series).unwrap();
        // The excess is below the noise's standard error by ~ 5 time constants.
        assert!((250..=900).contains(&r.truncate), "{r:?}");
        assert!(!r.at_limit);
    }

    #[test]
    fn stationary_series_is_barely_cut() {
        let mut u = uniforms(3);
        let series: Vec<f64> = (0..2000).map(|_| 100.0 - 10.0 * (1.0 - u()).ln()).collect();
        let r = mser5(&series).unwrap();
        // No transient: the cut is arbitrary but small more often than not; it must stay in range.
        assert!(r.truncate <= 1000);
        assert_eq!(r.truncate % 5, 0);
    }

    #[test]
    fn a_trend_hits_the_limit() {
        // Still rising at the end: the minimum sits at the end of the first half.
        let series: Vec<f64> = (0..1000).map(|i| 1000.0 - i as f64).collect();
        let r = mser5(&series).unwrap();
        assert!(r.at_limit, "{r:?}");
        assert_eq!(r.truncate, 500);
    }

    #[test]
    fn small_or_bad_series_are_errors() {
        assert_eq!(
            mser5(&[1.0; 19]),
            Err(MserError::TooFew {
                need: 20,
                batch: 5,
                got: 19
            })
        );
        assert_eq!(mser(&[1.0; 19], 0), Err(MserError::ZeroBatch));
        let mut s = vec![1.0; 40];
        s[3] = f64::NAN;
        assert_eq!(mser5(&s), Err(MserError::NonFinite));
        // Constant: every statistic is 0, the tie goes to no truncation.
        assert_eq!(mser5(&[2.0; 40]).unwrap().truncate, 0);
    }
}
