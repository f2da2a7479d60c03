//! Gunther's Universal Scalability Law fitted by non-linear least squares.
//!
//! X(N) = λN / (1 + σ(N − 1) + κN(N − 1)): λ is the throughput of one user
//! (N = 1), σ the contention (serialised share of the work, Amdahl), κ the
//! coherency cost (pairwise crosstalk). With κ > 0 and σ < 1 the throughput
//! peaks at N* = √((1 − σ)/κ) and falls beyond it.
//!
//! # Method
//!
//! [`fit`]: unweighted least squares on the throughputs, as
//! `scipy.optimize.curve_fit(usl, N, X)` (no `sigma`, no bounds).
//! [`fit_with`]: optionally weighted (1/sd², relative as curve_fit's `sigma`)
//! and bounded (σ, κ ∈ [0, 1], λ ≥ 0, R `usl`'s bounds; see [`bounded`]).
//! Both by a
//! hand-written Levenberg–Marquardt iteration with Marquardt's scaling
//! (damping μ·diag(JᵀJ)) and the analytic Jacobian. No crate is used: the
//! problem has 3 parameters and a closed-form Jacobian, so the whole method is
//! ~100 lines; the Rust LM crates (`levenberg-marquardt`, `argmin`) pull in
//! nalgebra or ndarray, which this workspace avoids for build time (see
//! `docs/architecture.md`), and none of them returns curve_fit's covariance.
//!
//! Starting values come from a linearisation: N/X = a + b(N − 1) + cN(N − 1)
//! with a = 1/λ, b = σ/λ, c = κ/λ, solved by linear least squares (exact for
//! noise-free data). When that gives a ≤ 0, λ starts at X/N of the lowest
//! level and σ, κ from the same regression with λ fixed.
//!
//! The iteration stops when a step changes no parameter by more than 1e-13 of
//! its size, or when no step lowers the residual sum of squares (μ > 1e30),
//! i.e. at the optimum to machine precision, well inside scipy's defaults
//! (`xtol = ftol = 1.49e-8`).
//!
//! # Uncertainty
//!
//! As curve_fit's `pcov` (`absolute_sigma=False`): cov = s²·(JᵀJ)⁻¹ at the
//! optimum with s² = SSR/(m − 3). The inverse is taken of the
//! column-equilibrated JᵀJ (unit diagonal) by Gauss–Jordan elimination with
//! pivoting, so wildly different parameter scales (λ ~ 100, κ ~ 1e-5) cost no
//! accuracy. Intervals are estimate ± t₍₁₋α/2, m−3₎·se. Derived quantities (the
//! peak, a prediction) get delta-method intervals with the same t quantile.
//!
//! With exactly 3 levels the curve passes through every point (m − 3 = 0
//! degrees of freedom): the parameters are reported, but no standard error,
//! interval or R² exists, and no peak is claimed.

// 3×3 matrix algebra reads best with indices.
#![allow(clippy::needless_range_loop)]

use perfstat_stats::dist::t_isf;
use perfstat_stats::{Confidence, Interval};

use crate::error::{Error, Result};

pub mod bounded;
pub use bounded::AmdahlComparison;

/// Distinct load levels needed for a fit (one per parameter).
pub const MIN_LEVELS: usize = 3;

/// Most Levenberg–Marquardt iterations before giving up.
const MAX_ITERATIONS: usize = 2000;

/// The USL parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UslParams {
    /// λ: the throughput at N = 1 (requests per second per user).
    pub lambda: f64,
    /// σ: contention (0 for linear scaling).
    pub sigma: f64,
    /// κ: coherency (0 for no retrograde scaling).
    pub kappa: f64,
}

impl UslParams {
    /// The model's throughput at load `n`.
    #[must_use]
    pub fn throughput(&self, n: f64) -> f64 {
        self.lambda * n / self.denominator(n)
    }

    /// 1 + σ(N − 1) + κN(N − 1).
    fn denominator(&self, n: f64) -> f64 {
        1.0 + self.sigma * (n - 1.0) + self.kappa * n * (n - 1.0)
    }

    /// ∂X/∂(λ, σ, κ) at load `n`.
    fn gradient(&self, n: f64) -> [f64; 3] {
        let d = self.denominator(n);
        let x_over_d = self.lambda * n / (d * d);
        [n / d, -x_over_d * (n - 1.0), -x_over_d * n * (n - 1.0)]
    }

    fn as_array(self) -> [f64; 3] {
        [self.lambda, self.sigma, self.kappa]
    }

    /// [λ, σ, κ].
    #[must_use]
    pub fn to_array(self) -> [f64; 3] {
        self.as_array()
    }

    fn from_array(p: [f64; 3]) -> Self {
        Self {
            lambda: p[0],
            sigma: p[1],
            kappa: p[2],
        }
    }

    /// The load N* = √((1 − σ)/κ) where the model's throughput peaks, when
    /// κ > 0 and σ < 1.
    #[must_use]
    pub fn peak_load(&self) -> Option<f64> {
        (self.kappa > 0.0 && self.sigma < 1.0).then(|| ((1.0 - self.sigma) / self.kappa).sqrt())
    }
}

/// A parameter estimate with its standard error and t interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamEstimate {
    /// The least-squares estimate.
    pub estimate: f64,
    /// Its standard error (√ of the covariance diagonal); `None` with no
    /// residual degrees of freedom or a singular Jacobian.
    pub std_error: Option<f64>,
    /// estimate ± t·se; `None` when the standard error is.
    pub interval: Option<Interval>,
}

/// An estimate with an optional interval (derived quantities).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Predicted {
    /// The point estimate.
    pub estimate: f64,
    /// The delta-method t interval, when the covariance exists.
    pub interval: Option<Interval>,
}

/// The fitted USL.
#[derive(Clone, Debug, PartialEq)]
pub struct UslFit {
    /// The fitted parameters.
    pub params: UslParams,
    /// λ with standard error and interval.
    pub lambda: ParamEstimate,
    /// σ with standard error and interval.
    pub sigma: ParamEstimate,
    /// κ with standard error and interval.
    pub kappa: ParamEstimate,
    /// curve_fit's `pcov`, row-major; `None` with no residual degrees of
    /// freedom or a singular Jacobian.
    pub covariance: Option<[[f64; 3]; 3]>,
    /// Points fitted.
    pub points: usize,
    /// Residual degrees of freedom, points − 3.
    pub dof: usize,
    /// Residual sum of squares.
    pub ssr: f64,
    /// 1 − SSR/SST; `None` with no residual degrees of freedom or equal throughputs.
    pub r_squared: Option<f64>,
    /// Levenberg–Marquardt iterations used.
    pub iterations: usize,
    /// The confidence level of the intervals.
    pub confidence: f64,
    /// The highest load fitted.
    pub max_load: f64,
    /// The t quantile t₍₁₋α/2, dof₎ of the intervals; `None` when dof = 0.
    t: Option<f64>,
    /// Whether σ, κ ∈ [0, 1] and λ ≥ 0 were imposed.
    pub bounded: bool,
    /// Whether the points were weighted (1/stddev²).
    pub weighted: bool,
    /// The bound each of λ, σ, κ is held at, when that bound is active.
    pub at_bound: [Option<f64>; 3],
    /// The points fitted (load, throughput, √weight).
    data: Vec<Pt>,
}

/// One fitted point: load, throughput and the square root of its weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Pt {
    pub(crate) n: f64,
    pub(crate) x: f64,
    pub(crate) sw: f64,
}

/// Every parameter free.
const ALL_FREE: [bool; 3] = [true; 3];

/// How to fit: bounds, weights, confidence.
#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    /// Impose σ, κ ∈ [0, 1] and λ ≥ 0 (R `usl`'s bounds).
    pub bounded: bool,
    /// A weight per point (1/stddev²), relative as curve_fit's `sigma` with
    /// `absolute_sigma=False`; `None` for an unweighted fit.
    pub weights: Option<Vec<f64>>,
    /// The confidence level of the intervals.
    pub confidence: Confidence,
}

impl FitOptions {
    /// Unweighted, unbounded.
    #[must_use]
    pub fn unbounded(confidence: Confidence) -> Self {
        Self {
            bounded: false,
            weights: None,
            confidence,
        }
    }

    /// Unweighted, bounded.
    #[must_use]
    pub fn bounded(confidence: Confidence) -> Self {
        Self {
            bounded: true,
            weights: None,
            confidence,
        }
    }
}

impl UslFit {
    /// The model's throughput at load `n`, with a delta-method interval
    /// (the uncertainty of the curve, not of a new measurement).
    #[must_use]
    pub fn predict(&self, n: f64) -> Predicted {
        let g = self.params.gradient(n);
        Predicted {
            estimate: self.params.throughput(n),
            interval: self.delta_interval(self.params.throughput(n), g),
        }
    }

    /// The prediction interval of a new measurement at load `n`:
    /// X̂(N) ± t·√(gᵀ·cov·g + s²) with s² = SSR/(m − 3). `None` for a weighted
    /// fit (the spread of a new measurement at `n` is not known) or without a
    /// covariance.
    #[must_use]
    pub fn prediction_interval(&self, n: f64) -> Option<Interval> {
        if self.weighted || self.dof == 0 {
            return None;
        }
        let s2 = self.ssr / self.dof as f64;
        let var = self.curve_variance(self.params.gradient(n))? + s2;
        let (x, t) = (self.params.throughput(n), self.t?);
        (var.is_finite() && var >= 0.0).then(|| {
            let half = t * var.sqrt();
            Interval {
                lower: x - half,
                upper: x + half,
            }
        })
    }

    /// The fitted points: (load, throughput, weight).
    pub fn points_fitted(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        self.data.iter().map(|q| (q.n, q.x, q.sw * q.sw))
    }

    /// The smallest load at which the model reaches (1 − `tolerance`) of
    /// its peak X(N*), with a delta-method interval (implicit
    /// differentiation of X(Nₛ) = (1 − tol)·X(N*)), when a peak is claimed.
    ///
    /// # Errors
    /// [`NoPeak`] when no peak is claimed ([`UslFit::peak`]).
    pub fn saturation(&self, tolerance: f64) -> Result<Predicted, NoPeak> {
        self.peak()?;
        self.model_saturation(tolerance)
            .ok_or(NoPeak::KappaNotPositive)
    }

    /// [`UslFit::saturation`] without the rules for claiming a peak: `None`
    /// only when the model has no interior peak (κ ≤ 0 or σ ≥ 1).
    #[must_use]
    pub fn model_saturation(&self, tolerance: f64) -> Option<Predicted> {
        let p = self.params;
        let peak_load = p.peak_load()?;
        let target = (1.0 - tolerance) * p.throughput(peak_load);
        // λN = t·(1 + σ(N − 1) + κN(N − 1)) ⇔ tκN² + (t(σ − κ) − λ)N + t(1 − σ) = 0; smaller root.
        let (a, b, c) = (
            target * p.kappa,
            target * (p.sigma - p.kappa) - p.lambda,
            target * (1.0 - p.sigma),
        );
        let disc = (b * b - 4.0 * a * c).max(0.0);
        // Stable form of the smaller root: 2c / (−b + √disc) (b < 0 here).
        let n = if -b + disc.sqrt() > 0.0 {
            2.0 * c / (-b + disc.sqrt())
        } else {
            peak_load
        };
        // G(N, p) = X(N, p) − (1 − tol)·X*(p) = 0: ∂N/∂p = −(∂X/∂p(N) − (1 − tol)·∂X/∂p(N*)) / ∂X/∂N,
        // ∂X/∂N = λ(1 − σ − κN²)/D².
        let d = p.denominator(n);
        let dx_dn = p.lambda * (1.0 - p.sigma - p.kappa * n * n) / (d * d);
        let interval = if dx_dn > 0.0 {
            let gx = p.gradient(n);
            let gs = p.gradient(peak_load);
            let g = [0, 1, 2].map(|i| -(gx[i] - (1.0 - tolerance) * gs[i]) / dx_dn);
            self.delta_interval(n, g)
        } else {
            None
        };
        Some(Predicted {
            estimate: n,
            interval,
        })
    }

    fn curve_variance(&self, g: [f64; 3]) -> Option<f64> {
        let cov = self.covariance.as_ref()?;
        let mut var = 0.0;
        for i in 0..3 {
            for j in 0..3 {
                var += g[i] * cov[i][j] * g[j];
            }
        }
        Some(var)
    }

    fn delta_interval(&self, estimate: f64, g: [f64; 3]) -> Option<Interval> {
        let (cov, t) = (self.covariance.as_ref()?, self.t?);
        let mut var = 0.0;
        for i in 0..3 {
            for j in 0..3 {
                var += g[i] * cov[i][j] * g[j];
            }
        }
        (var.is_finite() && var >= 0.0).then(|| {
            let half = t * var.sqrt();
            Interval {
                lower: estimate - half,
                upper: estimate + half,
            }
        })
    }

    /// The predicted peak: N* and X(N*) with delta-method intervals.
    ///
    /// `Err` with the reason when no peak is claimed: κ ≤ 0 (no retrograde
    /// scaling: throughput grows towards λ/σ or without bound), σ ≥ 1, κ's
    /// interval includes 0 (or does not exist), so the data does not show
    /// that throughput ever falls, or N* lies beyond [`MAX_PEAK_EXTRAPOLATION`]
    /// times the highest load measured: there a tiny κ (within the noise of
    /// a linear service, whose unweighted intervals are too narrow when the
    /// noise grows with throughput) decides alone, and the data is no
    /// evidence of a peak.
    ///
    /// # Errors
    /// [`NoPeak`] as above.
    pub fn peak(&self) -> Result<Peak, NoPeak> {
        let p = self.params;
        if p.kappa <= 0.0 {
            return Err(NoPeak::KappaNotPositive);
        }
        if p.sigma >= 1.0 {
            return Err(NoPeak::SigmaAtLeastOne);
        }
        match self.kappa.interval {
            None => return Err(NoPeak::NoInterval),
            Some(iv) if iv.lower <= 0.0 => return Err(NoPeak::KappaIntervalIncludesZero),
            Some(_) => {}
        }
        let n = ((1.0 - p.sigma) / p.kappa).sqrt();
        if n > MAX_PEAK_EXTRAPOLATION * self.max_load {
            return Err(NoPeak::BeyondRange { load: n });
        }
        // ∂N*/∂σ = −1/(2κN*), ∂N*/∂κ = −N*/(2κ).
        let g_n = [0.0, -1.0 / (2.0 * p.kappa * n), -n / (2.0 * p.kappa)];
        // X* = X(N*(p), p) and ∂X/∂N = 0 at N*: ∇X* = ∂X/∂p at N*.
        let x = p.throughput(n);
        Ok(Peak {
            load: Predicted {
                estimate: n,
                interval: self.delta_interval(n, g_n),
            },
            throughput: Predicted {
                estimate: x,
                interval: self.delta_interval(x, p.gradient(n)),
            },
        })
    }
}

/// The model's throughput peak.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Peak {
    /// N* = √((1 − σ)/κ).
    pub load: Predicted,
    /// X(N*).
    pub throughput: Predicted,
}

/// A peak is claimed only up to this multiple of the highest load measured.
pub const MAX_PEAK_EXTRAPOLATION: f64 = 2.0;

/// Why a fit claims no peak.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NoPeak {
    /// κ ≤ 0: no retrograde scaling in the data.
    #[error("κ ≤ 0: no coherency cost, throughput does not fall with load in this model")]
    KappaNotPositive,
    /// σ ≥ 1: the model's throughput falls from N = 1 on.
    #[error("σ ≥ 1: the model has no interior peak")]
    SigmaAtLeastOne,
    /// κ's interval includes 0.
    #[error("κ's interval includes 0: the data does not show throughput falling")]
    KappaIntervalIncludesZero,
    /// N* is beyond [`MAX_PEAK_EXTRAPOLATION`] times the highest load measured.
    #[error(
        "the model's peak N* = {load:.1} is more than twice the highest level measured: \
         an extrapolation, not a peak the data shows"
    )]
    BeyondRange {
        /// The model's N*.
        load: f64,
    },
    /// κ has no interval (3 levels: no residual degrees of freedom).
    #[error("κ has no interval (no residual degrees of freedom): a peak cannot be confirmed")]
    NoInterval,
}

/// Fits the USL to `(load, throughput)` points by Levenberg–Marquardt,
/// unweighted and unbounded (scipy's `curve_fit`).
///
/// # Errors
/// [`Error::TooFewLevels`] with fewer than 3 distinct loads;
/// [`Error::InvalidLevel`] / [`Error::InvalidAggregate`] for a non-finite or
/// non-positive load or a non-finite or negative throughput;
/// [`Error::NoConvergence`] when the iteration does not converge.
pub fn fit(points: &[(f64, f64)], confidence: Confidence) -> Result<UslFit> {
    fit_with(points, &FitOptions::unbounded(confidence))
}

/// Fits the USL with [`FitOptions`]: bounded (σ, κ ∈ [0, 1], λ ≥ 0) or not,
/// weighted or not.
///
/// # Errors
/// As [`fit`]; [`Error::InvalidAggregate`] for a weight that is not a finite
/// positive number or a weight count that differs from the points'.
pub fn fit_with(points: &[(f64, f64)], options: &FitOptions) -> Result<UslFit> {
    for (i, &(n, x)) in points.iter().enumerate() {
        if !(n.is_finite() && n > 0.0) {
            return Err(Error::InvalidLevel {
                run: format!("point {}", i + 1),
                level: n,
            });
        }
        if !(x.is_finite() && x >= 0.0) {
            return Err(Error::InvalidAggregate {
                run: format!("level {n}"),
                quantity: "throughput",
                value: x,
            });
        }
    }
    let weights = options.weights.as_deref();
    if let Some(w) = weights {
        if let Some((i, &v)) = w
            .iter()
            .enumerate()
            .find(|(_, v)| !(v.is_finite() && **v > 0.0))
        {
            return Err(Error::InvalidAggregate {
                run: format!("point {}", i + 1),
                quantity: "weight",
                value: v,
            });
        }
        if w.len() != points.len() {
            return Err(Error::InvalidAggregate {
                run: format!("{} points", points.len()),
                quantity: "weight count",
                value: w.len() as f64,
            });
        }
    }
    let mut distinct: Vec<f64> = points.iter().map(|p| p.0).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() < MIN_LEVELS {
        return Err(Error::TooFewLevels {
            got: distinct.len(),
            need: MIN_LEVELS,
        });
    }
    if points.iter().all(|p| p.1 == 0.0) {
        return Err(Error::ZeroThroughput);
    }
    let data: Vec<Pt> = points
        .iter()
        .enumerate()
        .map(|(i, &(n, x))| Pt {
            n,
            x,
            sw: weights.map_or(1.0, |w| w[i].sqrt()),
        })
        .collect();
    let start = start_values(points);
    let unbounded = levenberg_marquardt(&data, start, ALL_FREE, None);
    if !options.bounded {
        let (params, ssr, iterations) = unbounded?;
        return Ok(finish(data, params, ssr, iterations, options, [None; 3]));
    }
    if let Ok((params, ssr, iterations)) = unbounded
        && bounded::feasible(params)
    {
        return Ok(finish(data, params, ssr, iterations, options, [None; 3]));
    }
    let (params, ssr, iterations) = bounded::fit(&data, start)?;
    let at_bound = bounded::active(params);
    let mut f = finish(data, params, ssr, iterations, options, at_bound);
    bounded::profile_intervals(&mut f);
    Ok(f)
}

/// Starting values from the linearisation N/X = a + b(N − 1) + cN(N − 1).
fn start_values(points: &[(f64, f64)]) -> UslParams {
    let usable: Vec<(f64, f64)> = points.iter().copied().filter(|p| p.1 > 0.0).collect();
    let rows: Vec<([f64; 3], f64)> = usable
        .iter()
        .map(|&(n, x)| ([1.0, n - 1.0, n * (n - 1.0)], n / x))
        .collect();
    if let Some([a, b, c]) = linear_least_squares(&rows)
        && a > 0.0
    {
        let p = UslParams {
            lambda: 1.0 / a,
            sigma: b / a,
            kappa: c / a,
        };
        if valid(points, p) {
            return p;
        }
    }
    // λ from the lowest level, then σ, κ with λ fixed: λN/X − 1 = σ(N − 1) + κN(N − 1).
    let lowest = usable
        .iter()
        .copied()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap_or((1.0, 1.0));
    let lambda = lowest.1 / lowest.0;
    let rows: Vec<([f64; 3], f64)> = usable
        .iter()
        .map(|&(n, x)| ([n - 1.0, n * (n - 1.0), 0.0], lambda * n / x - 1.0))
        .collect();
    let (sigma, kappa) = match linear_least_squares_2(&rows) {
        Some([s, k]) => (s, k),
        None => (0.0, 0.0),
    };
    let p = UslParams {
        lambda,
        sigma,
        kappa,
    };
    if valid(points, p) {
        p
    } else {
        UslParams {
            lambda,
            sigma: 0.0,
            kappa: 0.0,
        }
    }
}

/// Whether the model is defined (positive denominator) at every load.
fn valid(points: &[(f64, f64)], p: UslParams) -> bool {
    p.lambda.is_finite()
        && p.sigma.is_finite()
        && p.kappa.is_finite()
        && points.iter().all(|&(n, _)| p.denominator(n) > 0.0)
}

fn valid_pts(points: &[Pt], p: UslParams) -> bool {
    p.lambda.is_finite()
        && p.sigma.is_finite()
        && p.kappa.is_finite()
        && points.iter().all(|q| p.denominator(q.n) > 0.0)
}

fn ssr_of(points: &[Pt], p: UslParams) -> f64 {
    points
        .iter()
        .map(|q| {
            let r = q.sw * (q.x - p.throughput(q.n));
            r * r
        })
        .sum()
}

/// Levenberg–Marquardt with Marquardt's scaling on the parameters marked
/// `free` (the others stay at their start); with `bounds`, every step is
/// projected onto the box (a projected Levenberg–Marquardt). Returns the
/// optimum, its (weighted) SSR and the iterations used.
fn levenberg_marquardt(
    points: &[Pt],
    start: UslParams,
    free: [bool; 3],
    bounds: Option<&[(f64, f64); 3]>,
) -> Result<(UslParams, f64, usize)> {
    let mut p = start;
    let mut ssr = ssr_of(points, p);
    let mut mu = 1e-3;
    for iteration in 1..=MAX_ITERATIONS {
        if ssr == 0.0 {
            return Ok((p, ssr, iteration - 1));
        }
        // Normal equations A = JᵀJ, g = Jᵀr.
        let mut a = [[0.0; 3]; 3];
        let mut g = [0.0; 3];
        for q in points {
            let mut jr = p.gradient(q.n);
            for v in &mut jr {
                *v *= q.sw;
            }
            let r = q.sw * (q.x - p.throughput(q.n));
            for i in 0..3 {
                g[i] += jr[i] * r;
                for j in 0..3 {
                    a[i][j] += jr[i] * jr[j];
                }
            }
        }
        for i in 0..3 {
            if !free[i] {
                for j in 0..3 {
                    a[i][j] = 0.0;
                    a[j][i] = 0.0;
                }
                a[i][i] = 1.0;
                g[i] = 0.0;
            }
        }
        let mut accepted = None;
        while mu <= 1e30 {
            let mut damped = a;
            for (i, row) in damped.iter_mut().enumerate() {
                row[i] += mu * a[i][i].max(f64::MIN_POSITIVE);
            }
            let Some(delta) = solve3(damped, g) else {
                mu *= 10.0;
                continue;
            };
            let old = p.as_array();
            let mut next = [old[0] + delta[0], old[1] + delta[1], old[2] + delta[2]];
            if let Some(b) = bounds {
                for i in 0..3 {
                    next[i] = next[i].clamp(b[i].0, b[i].1);
                }
            }
            let step = if bounds.is_some() {
                [next[0] - old[0], next[1] - old[1], next[2] - old[2]]
            } else {
                delta
            };
            let new = UslParams::from_array(next);
            if valid_pts(points, new) {
                let new_ssr = ssr_of(points, new);
                if new_ssr.is_finite() && new_ssr <= ssr {
                    accepted = Some((new, new_ssr, step));
                    break;
                }
            }
            mu *= 10.0;
        }
        let Some((new, new_ssr, delta)) = accepted else {
            // No step lowers the SSR: at the optimum to machine precision.
            return Ok((p, ssr, iteration));
        };
        let old = p.as_array();
        let small = (0..3).all(|i| delta[i].abs() <= 1e-13 * old[i].abs().max(1e-300));
        let unchanged = new_ssr == ssr;
        p = new;
        ssr = new_ssr;
        mu = (mu * 0.1).max(1e-15);
        if small || unchanged {
            return Ok((p, ssr, iteration));
        }
    }
    Err(Error::NoConvergence {
        iterations: MAX_ITERATIONS,
    })
}

/// Standard errors, intervals and R² at the optimum. Parameters held at a
/// bound (`at_bound`) have no standard error; the covariance is that of the
/// free parameters (their rows and columns of the held ones are 0).
fn finish(
    points: Vec<Pt>,
    params: UslParams,
    ssr: f64,
    iterations: usize,
    options: &FitOptions,
    at_bound: [Option<f64>; 3],
) -> UslFit {
    let confidence = options.confidence;
    let m = points.len();
    let dof = m.saturating_sub(3);
    let mut a = [[0.0; 3]; 3];
    for q in &points {
        let mut jr = params.gradient(q.n);
        for v in &mut jr {
            *v *= q.sw;
        }
        for i in 0..3 {
            for j in 0..3 {
                a[i][j] += jr[i] * jr[j];
            }
        }
    }
    for i in 0..3 {
        if at_bound[i].is_some() {
            for j in 0..3 {
                a[i][j] = 0.0;
                a[j][i] = 0.0;
            }
            a[i][i] = 1.0;
        }
    }
    let covariance = if dof > 0 {
        let s2 = ssr / dof as f64;
        inverse_equilibrated(a).map(|inv| {
            let mut cov = [[0.0; 3]; 3];
            for i in 0..3 {
                for j in 0..3 {
                    if at_bound[i].is_none() && at_bound[j].is_none() {
                        cov[i][j] = s2 * inv[i][j];
                    }
                }
            }
            cov
        })
    } else {
        None
    };
    let t = (dof > 0)
        .then(|| t_isf(confidence.tail(), dof as f64).ok())
        .flatten();
    let est = |i: usize, value: f64| {
        let se = covariance
            .as_ref()
            .filter(|_| at_bound[i].is_none())
            .map(|c| c[i][i])
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(f64::sqrt);
        ParamEstimate {
            estimate: value,
            std_error: se,
            interval: se.zip(t).map(|(se, t)| Interval {
                lower: value - t * se,
                upper: value + t * se,
            }),
        }
    };
    let wsum: f64 = points.iter().map(|q| q.sw * q.sw).sum();
    let mean = points.iter().map(|q| q.sw * q.sw * q.x).sum::<f64>() / wsum;
    let sst: f64 = points
        .iter()
        .map(|q| {
            let d = q.sw * (q.x - mean);
            d * d
        })
        .sum();
    UslFit {
        params,
        lambda: est(0, params.lambda),
        sigma: est(1, params.sigma),
        kappa: est(2, params.kappa),
        covariance,
        points: m,
        dof,
        ssr,
        r_squared: (dof > 0 && sst > 0.0).then(|| 1.0 - ssr / sst),
        iterations,
        confidence: confidence.level(),
        max_load: points.iter().map(|q| q.n).fold(0.0, f64::max),
        t,
        bounded: options.bounded,
        weighted: options.weights.is_some(),
        at_bound,
        data: points,
    }
}

/// Solves the 3×3 system `a·x = b` by Gaussian elimination with partial pivoting.
fn solve3(mut a: [[f64; 3]; 3], mut b: [f64; 3]) -> Option<[f64; 3]> {
    for col in 0..3 {
        let pivot = (col..3).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col] == 0.0 || !a[pivot][col].is_finite() {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..3 {
            let f = a[row][col] / a[col][col];
            for k in col..3 {
                a[row][k] -= f * a[col][k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; 3];
    for row in (0..3).rev() {
        let s: f64 = (row + 1..3).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// (JᵀJ)⁻¹ through the equilibrated matrix D⁻¹AD⁻¹ (unit diagonal).
fn inverse_equilibrated(a: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let d: Vec<f64> = (0..3).map(|i| a[i][i].sqrt()).collect();
    if d.iter().any(|&v| !(v > 0.0 && v.is_finite())) {
        return None;
    }
    let mut scaled = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            scaled[i][j] = a[i][j] / (d[i] * d[j]);
        }
    }
    let mut inv = [[0.0; 3]; 3];
    for (k, column) in (0..3).map(|k| {
        let mut e = [0.0; 3];
        e[k] = 1.0;
        (k, solve3(scaled, e))
    }) {
        let column = column?;
        for i in 0..3 {
            inv[i][k] = column[i] / (d[i] * d[k]);
        }
    }
    // Symmetrise the rounding.
    for i in 0..3 {
        for j in i + 1..3 {
            let v = 0.5 * (inv[i][j] + inv[j][i]);
            inv[i][j] = v;
            inv[j][i] = v;
        }
    }
    Some(inv)
}

/// Linear least squares `y ≈ Σ βᵢ·xᵢ` over 3 regressors (normal equations on
/// equilibrated columns).
fn linear_least_squares(rows: &[([f64; 3], f64)]) -> Option<[f64; 3]> {
    let mut a = [[0.0; 3]; 3];
    let mut b = [0.0; 3];
    for (x, y) in rows {
        for i in 0..3 {
            b[i] += x[i] * y;
            for j in 0..3 {
                a[i][j] += x[i] * x[j];
            }
        }
    }
    let d: Vec<f64> = (0..3).map(|i| a[i][i].sqrt()).collect();
    if d.iter().any(|&v| !(v > 0.0 && v.is_finite())) {
        return None;
    }
    let mut s = [[0.0; 3]; 3];
    let mut sb = [0.0; 3];
    for i in 0..3 {
        sb[i] = b[i] / d[i];
        for j in 0..3 {
            s[i][j] = a[i][j] / (d[i] * d[j]);
        }
    }
    let z = solve3(s, sb)?;
    Some([z[0] / d[0], z[1] / d[1], z[2] / d[2]])
}

/// Linear least squares over the first 2 regressors of each row.
fn linear_least_squares_2(rows: &[([f64; 3], f64)]) -> Option<[f64; 2]> {
    let (mut a, mut b, mut c, mut u, mut v) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (x, y) in rows {
        a += x[0] * x[0];
        b += x[0] * x[1];
        c += x[1] * x[1];
        u += x[0] * y;
        v += x[1] * y;
    }
    let det = a * c - b * b;
    (det.abs() > 1e-300 * (a * c).abs() && det != 0.0).then(|| {
        let s = (u * c - b * v) / det;
        let k = (a * v - b * u) / det;
        [s, k]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usl(n: f64) -> f64 {
        UslParams {
            lambda: 100.0,
            sigma: 0.05,
            kappa: 0.001,
        }
        .throughput(n)
    }

    #[test]
    fn exact_data_is_recovered() {
        let pts: Vec<(f64, f64)> = [1.0, 2.0, 5.0, 10.0, 20.0, 40.0]
            .iter()
            .map(|&n| (n, usl(n)))
            .collect();
        let f = fit(&pts, Confidence::DEFAULT).unwrap();
        assert!((f.params.lambda - 100.0).abs() < 1e-9);
        assert!((f.params.sigma - 0.05).abs() < 1e-12);
        assert!((f.params.kappa - 0.001).abs() < 1e-14);
    }

    #[test]
    fn two_levels_are_refused() {
        let pts = [(1.0, 10.0), (2.0, 19.0), (2.0, 19.5)];
        assert_eq!(
            fit(&pts, Confidence::DEFAULT).unwrap_err(),
            Error::TooFewLevels { got: 2, need: 3 }
        );
    }

    #[test]
    fn three_levels_have_no_intervals() {
        let pts = [(1.0, 10.0), (4.0, 30.0), (16.0, 50.0)];
        let f = fit(&pts, Confidence::DEFAULT).unwrap();
        assert_eq!(f.dof, 0);
        assert!(f.lambda.interval.is_none());
        assert!(f.r_squared.is_none());
        assert_eq!(f.peak().unwrap_err(), NoPeak::NoInterval);
        for (n, x) in pts {
            assert!((f.params.throughput(n) - x).abs() < 1e-9 * x);
        }
    }

    #[test]
    fn solver_and_inverse() {
        let a = [[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]];
        let inv = inverse_equilibrated(a).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| a[i][k] * inv[k][j]).sum();
                assert!((v - f64::from(u8::from(i == j))).abs() < 1e-14);
            }
        }
        assert!(solve3([[0.0; 3]; 3], [1.0; 3]).is_none());
    }
}
