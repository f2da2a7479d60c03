//! Exact power-of-two scaling, so that statistics of data near the ends of the f64 range
//! (subnormals, magnitudes up to `f64::MAX`) are computed without overflow or underflow.
//!
//! Multiplying by 2ᵏ changes only the exponent: it is exact unless the result leaves the normal
//! range, and every +, −, ×, ÷ and √ of scaled values gives the scaled result of the same
//! operation, rounded identically. So a statistic computed on scaled data is, bit for bit, what the
//! unscaled computation would give in an f64 with an unbounded exponent; scale-invariant statistics
//! (skewness, kurtosis, the normality tests, z-scores) need no scaling back at all.

/// The exponent k such that `max_abs · 2ᵏ` lies in \[0.5, 1) (0 for `max_abs` = 0 or not finite).
#[must_use]
pub fn exponent_for(max_abs: f64) -> i32 {
    if max_abs == 0.0 || !max_abs.is_finite() {
        return 0;
    }
    // frexp: max_abs = m · 2^e with m in [0.5, 1); k = −e.
    let bits = max_abs.abs().to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let e = if biased == 0 {
        // Subnormal: the value is mantissa · 2^−1074, the mantissa has 64 − leading_zeros bits.
        let mantissa = bits & ((1u64 << 52) - 1);
        (64 - mantissa.leading_zeros() as i32) - 1074
    } else {
        biased - 1022
    };
    -e
}

/// x · 2ᵏ for any k, in steps that stay in range: exact unless the result overflows (→ ±∞) or is
/// subnormal (then rounded once, in the last step).
#[must_use]
pub fn scale(x: f64, k: i32) -> f64 {
    Scaler::new(k).apply(x)
}

/// Multiplication by a fixed 2ᵏ (one multiplication when 2ᵏ is a normal f64).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scaler {
    k: i32,
    /// 2ᵏ when it is a normal f64.
    factor: Option<f64>,
}

impl Scaler {
    /// Multiplication by 2ᵏ.
    #[must_use]
    pub fn new(k: i32) -> Self {
        Self {
            k,
            factor: (-1022..=1023).contains(&k).then(|| pow2(k)),
        }
    }

    /// x · 2ᵏ (see [`scale`]).
    #[inline]
    #[must_use]
    pub fn apply(self, x: f64) -> f64 {
        if let Some(f) = self.factor {
            return x * f;
        }
        let mut x = x;
        let mut k = self.k;
        if k > 0 {
            while k > 1023 {
                x *= pow2(1023);
                k -= 1023;
            }
            x * pow2(k)
        } else {
            // The part that keeps x normal first, the steps that may round last.
            let mut steps = 0;
            while k < -1022 {
                k += 1022;
                steps += 1;
            }
            x *= pow2(k);
            for _ in 0..steps {
                x *= pow2(-1022);
            }
            x
        }
    }
}

/// 2ᵏ for k in −1022..=1023 (a normal f64, built from its bits).
fn pow2(k: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// The scaling exponent of a slice: [`exponent_for`] of its largest magnitude.
#[must_use]
pub fn exponent_of(values: &[f64]) -> i32 {
    exponent_for(values.iter().fold(0.0f64, |m, x| m.max(x.abs())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_and_exact_scaling() {
        for x in [
            1.0,
            0.75,
            3.0,
            1e308,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            9e-320,
            1e-200,
        ] {
            let k = exponent_for(x);
            let y = scale(x, k);
            assert!((0.5..1.0).contains(&y), "{x:e}: k={k} y={y}");
            assert_eq!(scale(y, -k), x, "{x:e} round trip");
        }
        assert_eq!(exponent_for(0.0), 0);
        assert_eq!(exponent_for(-6.0), -3);
        assert_eq!(scale(1.0, 2000), f64::INFINITY);
        // 3·2⁻¹⁰⁷⁵ = 1.5 units of the smallest subnormal: rounded once, to even.
        assert_eq!(scale(3.0, -1075), f64::from_bits(2));
        assert_eq!(scale(1.0, -1074), 5e-324);
    }
}
