//! Byte search eight bytes at a time in a `u64` ("SIMD within a register"), for the row splitters of
//! the delimited fast path and the JMeter CSV reader: fields are a few bytes long, so finding every
//! delimiter of a word at once beats a `memchr` call per field.

/// Each byte of `v` set to `byte`.
#[inline(always)]
pub(crate) const fn splat(byte: u8) -> u64 {
    0x0101_0101_0101_0101 * byte as u64
}

/// The high bit of each byte of `v` that is zero, exactly (no false positives): adding 0x7f to a
/// byte's low 7 bits sets its high bit unless they are all zero, and no carry crosses bytes.
#[inline(always)]
pub(crate) const fn zero_bytes(v: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((v & LOW7).wrapping_add(LOW7)) | v | LOW7)
}

/// The high bit of each byte of `word` equal to the byte `splat` was made of.
#[inline(always)]
pub(crate) const fn equal_bytes(word: u64, splat: u64) -> u64 {
    zero_bytes(word ^ splat)
}

/// The word of the 8 bytes at `at` (little-endian: byte `i` is bits `8i..8i+8`).
#[inline(always)]
pub(crate) fn word(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_mark_exactly_the_equal_bytes() {
        for byte in [0u8, 1, b',', b'\n', 0x7f, 0x80, 0xff] {
            for filler in [0u8, 1, 0x7f, 0x80, 0xfe, 0xff, byte] {
                for at in 0..8 {
                    let mut b = [filler; 8];
                    b[at] = byte;
                    let m = equal_bytes(word(&b, 0), splat(byte));
                    let want: u64 = (0..8)
                        .filter(|&i| b[i] == byte)
                        .map(|i| 0x80 << (8 * i))
                        .sum();
                    assert_eq!(m, want, "{byte} {filler} {at}");
                }
            }
        }
    }
}
