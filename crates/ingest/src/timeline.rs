//! Requests per second over a run: [`Dataset::throughput_timeline`].

use crate::Dataset;

/// Requests started per time bucket, from the run's first request start.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// Width of a bucket, seconds.
    pub bucket_s: f64,
    /// Start of the first bucket: the first request's start, epoch ms (the tool's clock).
    pub start_ms: f64,
    /// Requests started in each bucket (failed ones included).
    pub requests: Vec<u64>,
    /// Failed requests started in each bucket.
    pub failures: Vec<u64>,
    /// Requests per second in each bucket; the last bucket's rate is over its part inside the run.
    pub rps: Vec<f64>,
}

/// The width of a timeline's buckets as the command line writes it: `10s`, `500ms`, `1min`, or
/// `auto` (see [`Dataset::throughput_timeline`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bucket {
    /// A round width giving about 50 buckets.
    Auto,
    /// This many seconds.
    Seconds(f64),
}

impl Bucket {
    /// The width in seconds, `None` for [`Bucket::Auto`] (the argument of `throughput_timeline`).
    #[must_use]
    pub fn seconds(self) -> Option<f64> {
        match self {
            Self::Auto => None,
            Self::Seconds(s) => Some(s),
        }
    }
}

/// A bucket width that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected a positive duration such as 10s, 500ms or 1min, or auto, found {0:?}")]
pub struct BucketError(String);

impl std::str::FromStr for Bucket {
    type Err = BucketError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use perfstat_stats::warmup::WarmupSpec;
        if s.trim().eq_ignore_ascii_case("auto") {
            return Ok(Self::Auto);
        }
        match s.parse::<WarmupSpec>() {
            Ok(WarmupSpec::Duration { seconds }) if seconds > 0.0 => Ok(Self::Seconds(seconds)),
            _ => Err(BucketError(s.to_owned())),
        }
    }
}

/// At most this many buckets.
const MAX_BUCKETS: usize = 1_000_000;

impl Dataset {
    /// Requests per second in buckets of `bucket_s` seconds (default: the smallest of 1, 2, 5 × 10^k
    /// seconds, at least 1 ms, giving at most about 50 buckets), by request start, from the run's first
    /// start to its last end ([`Requests::end_ms`](crate::Requests::end_ms)); at most a million buckets.
    ///
    /// `None` without [`Dataset::records`], request accounting or timestamps.
    pub fn throughput_timeline(&self, bucket_s: Option<f64>) -> Option<Timeline> {
        let records = self.records.as_ref()?;
        let requests = self.requests.as_ref()?;
        let start = records
            .timestamp_ms
            .iter()
            .copied()
            .filter(|t| t.is_finite())
            .reduce(f64::min)?;
        let end = requests.end_ms.filter(|e| e.is_finite())?.max(start);
        let span_s = (end - start) / 1000.0;
        let bucket = bucket_s.unwrap_or_else(|| nice_width(span_s / 50.0));
        let count = ((span_s / bucket).ceil() as usize).clamp(1, MAX_BUCKETS);
        let mut reqs = vec![0u64; count];
        let mut fails = vec![0u64; count];
        for (t, ok) in records.timestamp_ms.iter().zip(&records.success) {
            if !t.is_finite() {
                continue;
            }
            let k = (((t - start) / 1000.0 / bucket) as usize).min(count - 1);
            reqs[k] += 1;
            if !ok {
                fails[k] += 1;
            }
        }
        let rps = reqs
            .iter()
            .enumerate()
            .map(|(k, &n)| {
                let lo = k as f64 * bucket;
                let width = if k + 1 == count {
                    (span_s - lo).min(bucket)
                } else {
                    bucket
                };
                n as f64 / if width > 0.0 { width } else { bucket }
            })
            .collect();
        Some(Timeline {
            bucket_s: bucket,
            start_ms: start,
            requests: reqs,
            failures: fails,
            rps,
        })
    }
}

/// The smallest of 1, 2, 5 × 10^k seconds (at least 1 ms) that is at least `raw`.
fn nice_width(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.001 {
        return 0.001;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|w| *w >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Records, Requests};

    #[test]
    fn nice_widths() {
        assert_eq!(nice_width(0.0), 0.001);
        assert_eq!(nice_width(f64::NAN), 0.001);
        assert_eq!(nice_width(1.2), 2.0);
        assert_eq!(nice_width(2.0), 2.0);
        assert_eq!(nice_width(3.0), 5.0);
        assert_eq!(nice_width(7.0), 10.0);
        assert!((nice_width(0.013) - 0.02).abs() < 1e-15);
    }

    fn dataset(timestamps: Vec<f64>, success: Vec<bool>, end_ms: Option<f64>) -> Dataset {
        let n = timestamps.len();
        Dataset {
            source: "run".into(),
            metric: "latency".into(),
            groups: Vec::new(),
            rows: n as u64,
            skipped: 0,
            format: crate::InputFormat::K6Csv,
            unit: Some("ms"),
            requests: Some(Requests {
                total: n as u64,
                start_ms: Some(0.0),
                end_ms,
                ..Requests::default()
            }),
            records: Some(Records {
                latency_ms: vec![10.0; n],
                timestamp_ms: timestamps,
                success,
                ..Records::default()
            }),
        }
    }

    #[test]
    fn timeline_buckets() {
        let ds = dataset(
            vec![0.0, 500.0, 1500.0, 2500.0, 2600.0],
            vec![true, true, false, true, true],
            Some(3000.0),
        );
        let t = ds.throughput_timeline(Some(1.0)).unwrap();
        assert_eq!(t.start_ms, 0.0);
        assert_eq!(t.requests, [2, 1, 2]);
        assert_eq!(t.failures, [0, 1, 0]);
        assert_eq!(t.rps, [2.0, 1.0, 2.0]);
        let t = ds.throughput_timeline(Some(2.0)).unwrap();
        assert_eq!(t.requests, [3, 2]);
        assert_eq!(t.rps, [1.5, 2.0]); // the last bucket is 1 s wide
        // Default width: 3 s / 50 = 0.06 s → 0.1 s buckets, 30 of them.
        let t = ds.throughput_timeline(None).unwrap();
        assert!((t.bucket_s - 0.1).abs() < 1e-15);
        assert_eq!(t.requests.len(), 30);
        assert_eq!(t.requests.iter().sum::<u64>(), 5);
        assert_eq!(t.requests[0], 1);
        assert_eq!(t.requests[5], 1);
    }

    #[test]
    fn no_timeline_without_timestamps_or_records() {
        let ds = dataset(vec![f64::NAN; 3], vec![true; 3], Some(3000.0));
        assert_eq!(ds.throughput_timeline(Some(1.0)), None);
        let ds = dataset(vec![0.0, 1.0], vec![true; 2], None);
        assert_eq!(ds.throughput_timeline(Some(1.0)), None);
        let mut ds = dataset(vec![0.0, 1.0], vec![true; 2], Some(10.0));
        ds.records = None;
        assert_eq!(ds.throughput_timeline(Some(1.0)), None);
    }
}
