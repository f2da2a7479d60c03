//! Shapiro–Wilk W test: Royston's algorithm AS R94 (1995), as `scipy.stats.shapiro`.
//!
//! This is a port of scipy's `swilk` (the double-precision Cython translation
//! of the Fortran AS R94 code, uncensored case) including its helpers `_ppnd`
//! (AS 111 normal quantile), `_alnorm` (AS 66 normal tail area) and `_poly`,
//! line by line but for the sums of W, which are regrouped into one pass over
//! mirrored pairs that stores nothing (see `swilk`; a test keeps scipy's order
//! and compares), so that W and the p-value agree with scipy to rounding: the
//! p-value approximation is part of the definition of the test, and scipy's
//! choices (p = 10⁻¹⁹ for small n beyond the range of the approximation, the
//! exact p-value for n = 3, the cut-off of AS 66 at z = 38) are kept.

use super::ShapiroWilk;
use crate::moments::map_ranges;
use crate::scale::{Scaler, exponent_of};
use crate::{Sample, Stat, Undefined};

/// Mirrored pairs per block of the sums (fixed: the result does not depend on threads).
const PAIR_BLOCK: usize = 1 << 13;

/// Largest n for which Royston (1995) validated the p-value approximation.
pub const SHAPIRO_WILK_MAX_VALIDATED_N: usize = 5000;

/// Polynomial coefficients of AS R94, lowest degree first.
const C1: [f64; 6] = [
    0.0,
    0.221157,
    -0.147981,
    -0.207119e1,
    0.4434685e1,
    -0.2706056e1,
];
const C2: [f64; 6] = [
    0.0,
    0.42981e-1,
    -0.293762,
    -0.1752461e1,
    0.5682633e1,
    -0.3582633e1,
];
const C3: [f64; 4] = [0.5440, -0.39978, 0.25054e-1, -0.6714e-3];
const C4: [f64; 4] = [0.13822e1, -0.77857, 0.62767e-1, -0.20322e-2];
const C5: [f64; 4] = [-0.15861e1, -0.31082, -0.83751e-1, 0.38915e-2];
const C6: [f64; 3] = [-0.4803, -0.82676e-1, 0.30302e-2];
const G: [f64; 2] = [-0.2273e1, 0.459];
/// p-value returned for n ≤ 11 when W is beyond the range of the approximation.
const SMALL: f64 = 1e-19;

/// Shapiro–Wilk test of normality (`scipy.stats.shapiro`).
///
/// As scipy, the sorted values are first shifted by the middle order
/// statistic x₍⌊n/2⌋₊₁₎ (the median or its upper neighbour) to avoid
/// cancellation for data far from zero (scipy gh-15777); W is shift-invariant.
///
/// For n > 5000 W and p are computed on all data and
/// [`ShapiroWilk::approximate`] is set: scipy warns that the p-value may be
/// inaccurate there.
///
/// - Time: O(n) on the sorted sample (one normal quantile per pair).
/// - Memory: O(n / 8192): each coefficient is made where it is used, and the
///   shifted values are computed where they are read, not copied.
///
/// Before the shift the values are scaled by the exact power of two that
/// brings the largest magnitude into \[0.5, 1) ([`crate::scale`]): W is
/// unchanged (bit for bit for ordinary data), and it is defined for any finite
/// non-constant data, from subnormals to ±`f64::MAX` (scipy's W is NaN when
/// the shift overflows, and it refuses a range below 10⁻¹⁹ in the data's own
/// units, which here is judged after scaling and so only means "constant").
///
/// # Undefined
/// [`Undefined::TooFew`] for n < 3; [`Undefined::ZeroVariance`] when all
/// values are equal (scipy's "range zero" fault).
pub fn shapiro_wilk(sample: &Sample) -> Stat<ShapiroWilk> {
    let sorted = sample.sorted();
    let n = sorted.len();
    if n < 3 {
        return Err(Undefined::TooFew { need: 3, got: n });
    }
    // W is invariant under scale and shift: scale by an exact power of two
    // first (so that the shift cannot overflow and the range cannot be lost
    // below 10⁻¹⁹ or in subnormals), then shift.
    let scaler = Scaler::new(exponent_of(sorted));
    let shift = scaler.apply(sorted[n / 2]);
    // The shifted values are computed where swilk reads them (twice each, the
    // same expression, so the same bits as a shifted copy, without its 8 bytes
    // per value).
    let shifted = |v: f64| scaler.apply(v) - shift;
    let (w, p_value) = swilk(sorted, shifted).ok_or(Undefined::ZeroVariance)?;
    if !w.is_finite() || !(0.0..=1.0).contains(&p_value) {
        return Err(Undefined::OutOfRange);
    }
    Ok(ShapiroWilk {
        statistic: w,
        p_value,
        approximate: n > SHAPIRO_WILK_MAX_VALIDATED_N,
    })
}

/// AS R94 on the ascending values x = `shifted(sorted[i])` (n ≥ 3, no
/// censoring). `None` for a zero range.
///
/// swilk's sums are regrouped so that one pass over the n/2 mirrored pairs
/// (xᵢ, x₍ₙ₋₁₋ᵢ₎) makes each coefficient once and uses it at once, instead of
/// storing the n/2 coefficients (4 bytes per value) for two more passes:
///
/// - the weights are −aᵢ and +aᵢ on the two members of pair i (0 on the middle
///   value of odd n), so their mean is 0 (swilk's `sa` is that sum in rounding)
///   and W's cross term is Σ aᵢ·(x₍ₙ₋₁₋ᵢ₎ − xᵢ);
/// - aᵢ = −mᵢ/fac beyond the first one or two, with mᵢ AS 111's normal
///   quantile, and fac a function of Σ mᵢ², so the pass keeps Σ mᵢ², Σ mᵢ·dᵢ
///   (dᵢ the pair's difference) and Σ x, and the coefficients are applied after;
/// - a second pass takes Σ(x − x̄)².
///
/// The sums run over fixed blocks of pairs (in parallel for large n), combined
/// in order: the result does not depend on the number of threads. W and the
/// p-value agree with scipy's to rounding (its sums run one value after the
/// other; these are at least as accurate).
fn swilk(sorted: &[f64], shifted: impl Fn(f64) -> f64 + Sync) -> Option<(f64, f64)> {
    let n = sorted.len();
    let an = n as f64;
    let nn2 = n / 2;
    let x = |i: usize| shifted(sorted[i]);
    let range = x(n - 1) - x(0);
    if range < SMALL {
        return None;
    }

    // The first `i1` coefficients are set apart by AS R94; the others are −mᵢ/fac.
    let i1 = match n {
        3 => nn2,
        4 | 5 => 1,
        _ => 2,
    };
    let an25 = an + 0.25;
    let m = |i: usize| ppnd((i as f64 + 1.0 - 0.375) / an25);
    let d = |i: usize| x(n - 1 - i) - x(i);
    // Per block of pairs: Σ mᵢ² (all i, and i ≥ i1), Σ mᵢ·dᵢ (i ≥ i1), Σ (xᵢ + x₍ₙ₋₁₋ᵢ₎).
    let parts = map_ranges(nn2, PAIR_BLOCK, |r| {
        let mut s = [0.0; 4];
        for i in r {
            let (lo, hi) = (x(i), x(n - 1 - i));
            s[3] += lo + hi;
            if n == 3 {
                continue;
            }
            let mi = m(i);
            s[0] += mi * mi;
            if i >= i1 {
                s[1] += mi * mi;
                s[2] += mi * (hi - lo);
            }
        }
        s
    });
    let [mut summ2, tail_mm, smd, mut sum] = parts.into_iter().fold([0.0; 4], |mut t, s| {
        for (t, s) in t.iter_mut().zip(s) {
            *t += s;
        }
        t
    });
    if n % 2 == 1 {
        sum += x(nn2);
    }

    // Σ aᵢ·dᵢ and Σ aᵢ² over the pairs.
    let (sad, saa) = if n == 3 {
        let a0 = std::f64::consts::SQRT_2 / 2.0;
        (a0 * d(0), a0 * a0)
    } else {
        summ2 *= 2.0;
        let ssumm2 = summ2.sqrt();
        let rsn = 1.0 / an.sqrt();
        let (m0, m1) = (m(0), m(1));
        let a1 = poly(&C1, rsn) - m0 / ssumm2;
        let (first, fac) = if i1 == 2 {
            let a2 = -m1 / ssumm2 + poly(&C2, rsn);
            let fac = ((summ2 - 2.0 * m0 * m0 - 2.0 * m1 * m1)
                / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2))
                .sqrt();
            ([(a1, d(0)), (a2, d(1))], fac)
        } else {
            let fac = ((summ2 - 2.0 * m0 * m0) / (1.0 - 2.0 * a1 * a1)).sqrt();
            ([(a1, d(0)), (0.0, 0.0)], fac)
        };
        let sad = first.iter().map(|(a, d)| a * d).sum::<f64>() - smd / fac;
        let saa = first.iter().map(|(a, _)| a * a).sum::<f64>() + tail_mm / (fac * fac);
        (sad, saa)
    };
    // In swilk's units (x / range): Σ(wᵢ − w̄)², Σ(xᵢ − x̄)², Σ(wᵢ − w̄)(xᵢ − x̄).
    let mean = sum / an;
    let ssx: f64 = map_ranges(n, PAIR_BLOCK, |r| {
        r.map(|i| {
            let e = (x(i) - mean) / range;
            e * e
        })
        .sum::<f64>()
    })
    .into_iter()
    .sum();
    let ssa = 2.0 * saa;
    let sax = sad / range;
    let ssassx = (ssa * ssx).sqrt();
    let w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx);
    let w = 1.0 - w1;

    if n == 3 {
        // Exact distribution for n = 3 (W ≥ 3/4).
        if w < 0.75 {
            return Some((0.75, 0.0));
        }
        let pi6 = 6.0 / std::f64::consts::PI;
        return Some((w, 1.0 - pi6 * w.sqrt().acos()));
    }

    let mut y = w1.ln();
    let xx = an.ln();
    let (m, s) = if n <= 11 {
        let gamma = poly(&G, an);
        if y >= gamma {
            return Some((w, SMALL));
        }
        y = -(gamma - y).ln();
        (poly(&C3, an), poly(&C4, an).exp())
    } else {
        (poly(&C5, xx), poly(&C6, xx).exp())
    };
    Some((w, alnorm_upper((y - m) / s)))
}

/// scipy's `_poly`: c[0] + c[1]·x + … + c[k]·xᵏ, evaluated by Horner's rule
/// in exactly scipy's order of operations.
fn poly(c: &[f64], x: f64) -> f64 {
    let nord = c.len();
    let res = c[0];
    if nord == 1 {
        return res;
    }
    let mut p = x * c[nord - 1];
    if nord == 2 {
        return res + p;
    }
    for &ci in c[1..nord - 1].iter().rev() {
        p = (p + ci) * x;
    }
    res + p
}

/// AS 111 normal quantile (scipy's `_ppnd`), accurate to about 1e-7; it
/// defines the approximate expected normal order statistics of AS R94.
fn ppnd(p: f64) -> f64 {
    const A0: f64 = 2.50662823884;
    const A1: f64 = -18.61500062529;
    const A2: f64 = 41.39119773534;
    const A3: f64 = -25.44106049637;
    const B1: f64 = -8.47351093090;
    const B2: f64 = 23.08336743743;
    const B3: f64 = -21.06224101826;
    const B4: f64 = 3.13082909833;
    const C0: f64 = -2.78718931138;
    const C1: f64 = -2.29796479134;
    const C2: f64 = 4.85014127135;
    const C3: f64 = 2.32121276858;
    const D1: f64 = 3.54388924762;
    const D2: f64 = 1.63706781897;
    const SPLIT: f64 = 0.42;

    let q = p - 0.5;
    if q.abs() <= SPLIT {
        let r = q * q;
        let t = q * (((A3 * r + A2) * r + A1) * r + A0);
        return t / ((((B4 * r + B3) * r + B2) * r + B1) * r + 1.0);
    }
    let mut r = if q > 0.0 { 1.0 - p } else { p };
    if r > 0.0 {
        r = (-r.ln()).sqrt();
    } else {
        return 0.0;
    }
    let t = ((C3 * r + C2) * r + C1) * r + C0;
    let t = t / ((D2 * r + D1) * r + 1.0);
    if q < 0.0 { -t } else { t }
}

/// AS 66 upper normal tail area P(Z > x) (scipy's `_alnorm(x, upper=True)`,
/// with its November 2001 upper cut-off of 38), part of the AS R94 p-value.
fn alnorm_upper(x: f64) -> f64 {
    const LTONE: f64 = 7.0;
    const UTZERO: f64 = 38.0;
    const CON: f64 = 1.28;
    const A1: f64 = 0.398942280444;
    const A2: f64 = 0.399903438504;
    const A3: f64 = 5.75885480458;
    const A4: f64 = 29.8213557808;
    const A5: f64 = 2.62433121679;
    const A6: f64 = 48.6959930692;
    const A7: f64 = 5.92885724438;
    const B1: f64 = 0.398942280385;
    const B2: f64 = 3.8052e-8;
    const B3: f64 = 1.00000615302;
    const B4: f64 = 3.98064794e-4;
    const B5: f64 = 1.98615381364;
    const B6: f64 = 0.151679116635;
    const B7: f64 = 5.29330324926;
    const B8: f64 = 4.8385912808;
    const B9: f64 = 15.1508972451;
    const B10: f64 = 0.742380924027;
    const B11: f64 = 30.789933034;
    const B12: f64 = 3.99019417011;

    let mut upper = true;
    let mut z = x;
    if z.is_nan() || z <= 0.0 {
        // `not (z > 0)` in scipy: NaN takes this branch too
        upper = false;
        z = -z;
    }
    if !(z <= LTONE || (upper && z <= UTZERO)) {
        return if upper { 0.0 } else { 1.0 };
    }
    let y = 0.5 * z * z;
    let temp = if z <= CON {
        0.5 - z * (A1 - A2 * y / (y + A3 - A4 / (y + A5 + A6 / (y + A7))))
    } else {
        B1 * (-y).exp()
            / (z - B2
                + B3 / (z + B4 + B5 / (z - B6 + B7 / (z + B8 - B9 / (z + B10 + B11 / (z + B12))))))
    };
    if upper { temp } else { 1.0 - temp }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sw(v: &[f64]) -> Stat<ShapiroWilk> {
        shapiro_wilk(&Sample::new(v.to_vec()).unwrap())
    }

    /// swilk's sums as scipy runs them, one value after the other, on the n/2
    /// coefficients stored first: (w, 1 − w). The pass over pairs regroups these.
    fn scipy_order(sorted: &[f64], shifted: impl Fn(f64) -> f64) -> (f64, f64) {
        let n = sorted.len();
        let x = || sorted.iter().map(|&v| shifted(v));
        let an = n as f64;
        let nn2 = n / 2;
        let a = stored_coefficients(n);

        let range = shifted(sorted[n - 1]) - shifted(sorted[0]);
        if range < SMALL {
            unreachable!();
        }

        // Weight of order statistic `i` (0-based): −a[i] in the lower half,
        // +a[n−1−i] in the upper half, 0 for the middle one of odd n.
        let weight = |i: usize| -> f64 {
            let j = n - 1 - i;
            match i.cmp(&j) {
                std::cmp::Ordering::Less => -a[i],
                std::cmp::Ordering::Greater => a[j],
                std::cmp::Ordering::Equal => 0.0,
            }
        };
        debug_assert!(a.len() == nn2);

        let mut sx = shifted(sorted[0]) / range;
        let mut sa = -a[0];
        for (i, xi) in x().enumerate().skip(1) {
            sx += xi / range;
            if i != n - 1 - i {
                sa += weight(i);
            }
        }
        sa /= an;
        sx /= an;
        let (mut ssa, mut ssx, mut sax) = (0.0, 0.0, 0.0);
        for (i, xi) in x().enumerate() {
            let asa = if i == n - 1 - i { -sa } else { weight(i) - sa };
            let xsx = xi / range - sx;
            ssa += asa * asa;
            ssx += xsx * xsx;
            sax += asa * xsx;
        }
        let ssassx = (ssa * ssx).sqrt();
        let w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx);
        let w = 1.0 - w1;

        (w, w1)
    }

    /// The n/2 coefficients of AS R94, all stored.
    fn stored_coefficients(n: usize) -> Vec<f64> {
        let nn2 = n / 2;
        let mut a = vec![0.0; nn2];
        if n == 3 {
            a[0] = std::f64::consts::SQRT_2 / 2.0;
            return a;
        }
        let an = n as f64;
        let an25 = an + 0.25;
        // The expected normal order statistics in parallel (a pure function of
        // i), their sum of squares in index order as before.
        let m = |(i, ai): (usize, &mut f64)| *ai = ppnd((i as f64 + 1.0 - 0.375) / an25);
        a.iter_mut().enumerate().for_each(m);
        let mut summ2 = 0.0;
        for &m in &a {
            summ2 += m * m;
        }
        summ2 *= 2.0;
        let ssumm2 = summ2.sqrt();
        let rsn = 1.0 / an.sqrt();
        let a1 = poly(&C1, rsn) - a[0] / ssumm2;
        let (i1, fac) = if n > 5 {
            let a2 = -a[1] / ssumm2 + poly(&C2, rsn);
            let fac = ((summ2 - 2.0 * a[0] * a[0] - 2.0 * a[1] * a[1])
                / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2))
                .sqrt();
            a[1] = a2;
            (2, fac)
        } else {
            let fac = ((summ2 - 2.0 * a[0] * a[0]) / (1.0 - 2.0 * a1 * a1)).sqrt();
            (1, fac)
        };
        a[0] = a1;
        for ai in a.iter_mut().skip(i1) {
            *ai *= -1.0 / fac;
        }
        a
    }

    /// Data of the shapes real samples have: smooth, skewed, heavy-tailed,
    /// quantized (many ties) and with a far outlier.
    fn shapes(n: usize) -> Vec<Vec<f64>> {
        let u = |i: usize| ((i * 7919 + 13) % 10007) as f64 / 10007.0 + 1e-6;
        vec![
            (0..n).map(|i| u(i) + u(i * 3 + 1) + u(i * 7 + 2)).collect(),
            (0..n).map(|i| -u(i).ln() * 20.0 + 100.0).collect(),
            (0..n).map(|i| 1.0 / u(i).sqrt()).collect(),
            (0..n).map(|i| (u(i) * 8.0).floor() + 1e9).collect(),
            (0..n)
                .map(|i| if i == n / 3 { 1e6 } else { u(i) })
                .collect(),
        ]
    }

    #[test]
    fn pair_pass_is_scipys_order_to_rounding() {
        use crate::moments::PARALLEL_MIN;
        for n in [
            3,
            4,
            5,
            6,
            7,
            11,
            12,
            50,
            999,
            5000,
            2 * PAIR_BLOCK + 3,
            2 * PARALLEL_MIN + 5,
        ] {
            for v in shapes(n) {
                let s = Sample::new(v).unwrap();
                let sorted = s.sorted();
                let scaler = Scaler::new(exponent_of(sorted));
                let shift = scaler.apply(sorted[n / 2]);
                let shifted = |v: f64| scaler.apply(v) - shift;
                let Some((w, _)) = swilk(sorted, shifted) else {
                    continue;
                };
                let (w_ref, w1_ref) = scipy_order(sorted, shifted);
                // Sums of n terms in another order: W agrees to 1e-11 (4e-13 seen), and
                // 1 − W (which carries the p-value) to 1e-9 relative (6e-12 seen); the
                // reference tolerances are 2e-5 and 2e-3.
                assert!((w - w_ref).abs() <= 1e-11, "n = {n}: W {w} vs {w_ref}");
                let w1 = 1.0 - w;
                assert!(
                    (w1 - w1_ref).abs() <= 1e-9 * w1_ref + 1e-14,
                    "n = {n}: 1 − W {w1} vs {w1_ref}"
                );
            }
        }
    }

    #[test]
    fn small_cases_match_scipy() {
        // scipy.stats.shapiro([1, 2, 3, 4]) = (0.9929120069984326, 0.9718770585603881)
        let r = sw(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((r.statistic - 0.9929120069984326).abs() < 1e-12);
        assert!((r.p_value - 0.9718770585603881).abs() < 1e-10);
        // n = 3, W at its minimum 3/4: scipy gives (0.75, 7.77e-16)
        let r = sw(&[1.0, 1.0, 2.0]).unwrap();
        assert!((r.statistic - 0.75).abs() < 1e-12);
        assert!(r.p_value < 1e-12);
        // n = 3 equally spaced: W = 1, p = 1
        let r = sw(&[1.0, 2.0, 3.0]).unwrap();
        assert!((r.statistic - 1.0).abs() < 1e-12 && (r.p_value - 1.0).abs() < 1e-9);
        assert!(!r.approximate);
    }

    #[test]
    fn undefined_cases() {
        assert_eq!(sw(&[1.0, 2.0]), Err(Undefined::TooFew { need: 3, got: 2 }));
        assert_eq!(sw(&[5.0; 10]), Err(Undefined::ZeroVariance));
    }

    #[test]
    fn poly_is_lowest_degree_first() {
        // lowest degree first: 1 + 4x + 3x² + 2x³
        let v = poly(&[1.0, 4.0, 3.0, 2.0], 2.0);
        assert_eq!(v, 1.0 + 4.0 * 2.0 + 3.0 * 4.0 + 2.0 * 8.0);
        assert_eq!(poly(&[1.0, 2.0], 3.0), 7.0);
    }
}
