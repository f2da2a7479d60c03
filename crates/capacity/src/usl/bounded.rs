//! The bounded fit (σ, κ ∈ [0, 1], λ ≥ 0), profile-likelihood intervals of
//! the parameters held at a bound, and the comparison with Amdahl's law.
//!
//! # Method
//!
//! When the unbounded optimum lies inside the box it is the bounded one too,
//! and is returned unchanged. Otherwise a projected Levenberg–Marquardt (each
//! step clipped to the box) is run on every face of the box: σ free, at 0 or
//! at 1, times κ free, at 0 or at 1 (9 sub-problems of 1 to 3 parameters),
//! and the feasible result with the smallest residual sum of squares wins.
//! The projection alone converges to a point satisfying the Karush–Kuhn–Tucker
//! conditions; the faces guard against stalling on the boundary. This is
//! what `scipy.optimize.least_squares(bounds=…)` and R `usl` (`nls` with
//! `algorithm = "port"`) solve, checked against the former in
//! `scripts/reference/gen_capacity_bounded.py`.
//!
//! # Intervals at a bound
//!
//! A parameter held at a bound has no standard error (the curvature there
//! says nothing about the side the bound cuts off). Its interval is the
//! profile-likelihood one: the set of values θ whose profile residual sum of
//! squares (the other parameters refitted, within the bounds, with it held at
//! θ) stays below SSR·(1 + t²/(m − 3)), the F(1, m − 3) likelihood-ratio
//! region with t = t₍₁₋α/2, m−3₎ (so that it equals the t interval for a
//! linear model), clipped to the bounds: [0, θᵤ] for a parameter at 0. The
//! free parameters keep their t intervals from the covariance of the free
//! parameters (the held one fixed); predictions use that covariance too.

use super::{Pt, UslFit, UslParams, levenberg_marquardt, ssr_of};
use crate::error::Result;
use perfstat_stats::Interval;
use perfstat_stats::dist::t_sf;

/// The box: λ ∈ [0, ∞), σ ∈ [0, 1], κ ∈ [0, 1].
const BOX: [(f64, f64); 3] = [(0.0, f64::INFINITY), (0.0, 1.0), (0.0, 1.0)];

/// Whether `p` lies in the box.
pub(super) fn feasible(p: UslParams) -> bool {
    let a = p.as_array();
    (0..3).all(|i| a[i] >= BOX[i].0 && a[i] <= BOX[i].1)
}

/// The bound each parameter sits on exactly (σ, κ at 0 or 1, λ at 0).
pub(super) fn active(p: UslParams) -> [Option<f64>; 3] {
    let a = p.as_array();
    let mut out = [None; 3];
    for i in 0..3 {
        if a[i] == BOX[i].0 {
            out[i] = Some(BOX[i].0);
        } else if a[i] == BOX[i].1 {
            out[i] = Some(BOX[i].1);
        }
    }
    out
}

fn clamp(p: [f64; 3]) -> [f64; 3] {
    let mut out = p;
    for i in 0..3 {
        out[i] = if out[i].is_finite() {
            out[i].clamp(BOX[i].0, BOX[i].1)
        } else {
            BOX[i].0
        };
    }
    out
}

/// The best projected fit over the faces of the box in which `fixed`
/// parameters (`Some(value)`) are held; the other bounded parameters are
/// tried free, at 0 and at 1.
fn best_on_faces(
    data: &[Pt],
    starts: &[[f64; 3]],
    fixed: [Option<f64>; 3],
) -> Option<(UslParams, f64, usize)> {
    let choices = |i: usize| -> Vec<Option<Option<f64>>> {
        match fixed[i] {
            Some(v) => vec![Some(Some(v))],
            None if i == 0 => vec![None],
            None => vec![None, Some(Some(BOX[i].0)), Some(Some(BOX[i].1))],
        }
    };
    let mut best: Option<(UslParams, f64, usize)> = None;
    for s in choices(1) {
        for k in choices(2) {
            for l in choices(0) {
                let hold = [l.flatten(), s.flatten(), k.flatten()];
                let free = [hold[0].is_none(), hold[1].is_none(), hold[2].is_none()];
                for start in starts {
                    let mut p = clamp(*start);
                    for i in 0..3 {
                        if let Some(v) = hold[i] {
                            p[i] = v;
                        }
                    }
                    if p[0] <= 0.0 {
                        p[0] = lambda_guess(data);
                    }
                    let Ok((q, ssr, it)) =
                        levenberg_marquardt(data, UslParams::from_array(p), free, Some(&BOX))
                    else {
                        continue;
                    };
                    if feasible(q) && best.is_none_or(|b| ssr < b.1) {
                        best = Some((q, ssr, it));
                    }
                }
            }
        }
    }
    best
}

/// λ from the point with the highest throughput per load.
fn lambda_guess(data: &[Pt]) -> f64 {
    data.iter()
        .map(|q| q.x / q.n)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE)
}

/// The bounded least-squares fit from the linearised `start`.
pub(super) fn fit(data: &[Pt], start: UslParams) -> Result<(UslParams, f64, usize)> {
    let starts = [
        start.as_array(),
        [lambda_guess(data), 0.0, 0.0],
        [lambda_guess(data), start.sigma, 0.0],
    ];
    best_on_faces(data, &starts, [None; 3]).ok_or(crate::error::Error::NoConvergence {
        iterations: super::MAX_ITERATIONS,
    })
}

/// The profile residual sum of squares with parameter `i` held at `value`:
/// the best of the other parameters over the faces of the box, from the
/// optimum `at`.
fn profile(data: &[Pt], at: UslParams, i: usize, value: f64) -> f64 {
    let mut fixed = [None; 3];
    fixed[i] = Some(value);
    let mut start = at.as_array();
    start[i] = value;
    best_on_faces(data, &[start], fixed).map_or(f64::INFINITY, |b| b.1)
}

/// Replaces the intervals of the parameters held at a bound by their
/// profile-likelihood intervals (see the module documentation).
pub(super) fn profile_intervals(f: &mut UslFit) {
    let Some(t) = f.t else { return };
    if f.dof == 0 || f.ssr.is_nan() || f.ssr <= 0.0 {
        return;
    }
    let limit = f.ssr * (1.0 + t * t / f.dof as f64);
    for i in 1..3 {
        let Some(bound) = f.at_bound[i] else { continue };
        let toward = if bound == BOX[i].0 { 1.0 } else { -1.0 };
        let other = if toward > 0.0 { BOX[i].1 } else { BOX[i].0 };
        let value_at = |d: f64| bound + toward * d;
        let range = (other - bound).abs();
        // Grow the distance from the bound until the profile crosses the limit.
        let mut inside = 0.0;
        let mut d = 1e-15 * range;
        let mut outside = None;
        while d <= range {
            if profile(&f.data, f.params, i, value_at(d)) > limit {
                outside = Some(d);
                break;
            }
            inside = d;
            d *= 4.0;
        }
        let end = match outside {
            None if profile(&f.data, f.params, i, other) <= limit => range,
            None => bisect(&f.data, f.params, i, limit, inside, range, value_at),
            Some(out) => bisect(&f.data, f.params, i, limit, inside, out, value_at),
        };
        let far = value_at(end);
        let interval = Interval {
            lower: bound.min(far),
            upper: bound.max(far),
        };
        match i {
            1 => f.sigma.interval = Some(interval),
            _ => f.kappa.interval = Some(interval),
        }
    }
}

fn bisect(
    data: &[Pt],
    at: UslParams,
    i: usize,
    limit: f64,
    mut inside: f64,
    mut outside: f64,
    value_at: impl Fn(f64) -> f64,
) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (inside + outside);
        if mid <= inside || mid >= outside || outside - inside <= 1e-10 * outside {
            break;
        }
        if profile(data, at, i, value_at(mid)) > limit {
            outside = mid;
        } else {
            inside = mid;
        }
    }
    0.5 * (inside + outside)
}

/// The USL compared with Amdahl's law (κ = 0) fitted to the same points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AmdahlComparison {
    /// Amdahl's fit: λ, σ and κ = 0 (σ within [0, 1] when the USL fit is bounded).
    pub amdahl: UslParams,
    /// Its residual sum of squares (weighted when the fit is).
    pub amdahl_ssr: f64,
    /// F = (SSR_Amdahl − SSR_USL) / (SSR_USL / (m − 3)); `None` without residual
    /// degrees of freedom or with SSR_USL = 0.
    pub f_statistic: Option<f64>,
    /// P(F(1, m − 3) ≥ F): small when κ is needed.
    pub p_value: Option<f64>,
    /// Akaike's information criterion of the USL (3 parameters and the variance).
    pub aic_usl: Option<f64>,
    /// Of Amdahl's law (2 parameters and the variance).
    pub aic_amdahl: Option<f64>,
}

impl AmdahlComparison {
    /// Whether the F-test rejects Amdahl's law at `alpha` (the USL's κ is needed).
    #[must_use]
    pub fn usl_needed(&self, alpha: f64) -> Option<bool> {
        self.p_value.map(|p| p < alpha)
    }
}

/// R's `logLik.nls`-based AIC: m·(ln 2π + 1 − ln m + ln SSR) − Σ ln wᵢ + 2(k + 1).
fn aic(data: &[Pt], ssr: f64, k: usize) -> Option<f64> {
    let m = data.len() as f64;
    let sum_ln_w: f64 = data.iter().map(|q| 2.0 * q.sw.ln()).sum();
    (ssr > 0.0).then(|| {
        m * ((2.0 * std::f64::consts::PI).ln() + 1.0 - m.ln() + ssr.ln()) - sum_ln_w
            + 2.0 * (k as f64 + 1.0)
    })
}

impl UslFit {
    /// Amdahl's law (κ = 0) fitted to the same points, compared with this fit
    /// by an F-test and AIC.
    ///
    /// # Errors
    /// Why no comparison exists (the Amdahl fit did not converge).
    pub fn compare_amdahl(&self) -> std::result::Result<AmdahlComparison, String> {
        let (amdahl, amdahl_ssr) = if self.at_bound[2] == Some(0.0) {
            (self.params, self.ssr)
        } else {
            let start = [self.params.lambda, self.params.sigma.max(0.0), 0.0];
            let found = if self.bounded {
                best_on_faces(&self.data, &[start], [None, None, Some(0.0)])
            } else {
                levenberg_marquardt(
                    &self.data,
                    UslParams::from_array(start),
                    [true, true, false],
                    None,
                )
                .ok()
            };
            let (p, ssr, _) = found.ok_or("Amdahl's law could not be fitted")?;
            (p, ssr)
        };
        let df = self.dof as f64;
        let f_statistic = (self.dof > 0 && self.ssr > 0.0)
            .then(|| ((amdahl_ssr - self.ssr) / (self.ssr / df)).max(0.0));
        Ok(AmdahlComparison {
            amdahl,
            amdahl_ssr,
            f_statistic,
            p_value: f_statistic.map(|f| (2.0 * t_sf(f.sqrt(), df)).min(1.0)),
            aic_usl: aic(&self.data, self.ssr, 3),
            aic_amdahl: aic(&self.data, amdahl_ssr, 2),
        })
    }

    /// The weighted residual sum of squares of `p` on the fitted points.
    #[must_use]
    pub fn ssr_at(&self, p: UslParams) -> f64 {
        ssr_of(&self.data, p)
    }
}
