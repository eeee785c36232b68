//! String similarity on the hot path.
//!
//! Jaro-Winkler for short ASCII strings runs on stack buffers (no allocation
//! per pair: the batch scores millions of pairs); anything longer or
//! non-ASCII goes to `strsim`, which gives the same value.

/// Longest ASCII string handled on the stack.
const STACK_LEN: usize = 64;

/// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters).
pub fn jaro_winkler(left: &str, right: &str) -> f64 {
    if left == right {
        return 1.0;
    }
    if left.is_ascii() && right.is_ascii() && left.len() <= STACK_LEN && right.len() <= STACK_LEN {
        ascii_jaro_winkler(left.as_bytes(), right.as_bytes())
    } else {
        strsim::jaro_winkler(left, right)
    }
}

fn ascii_jaro_winkler(left: &[u8], right: &[u8]) -> f64 {
    let jaro = ascii_jaro(left, right);
    // Winkler's boost threshold: a common prefix only lifts strings that are
    // already similar (as strsim does).
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = left
        .iter()
        .zip(right)
        .take(4)
        .take_while(|(a, b)| a == b)
        .count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

/// Jaro similarity with one bit per position (strings of at most 64 bytes):
/// for each byte of `left`, the first unmatched equal byte of `right` inside
/// the match window is the lowest set bit of one mask expression, instead of
/// a scan of the window.
fn ascii_jaro(left: &[u8], right: &[u8]) -> f64 {
    if left.is_empty() || right.is_empty() {
        return if left.is_empty() && right.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    let window = (left.len().max(right.len()) / 2).saturating_sub(1);
    // Where each byte occurs in `right`.
    let mut positions = [0u64; 128];
    for (index, &byte) in right.iter().enumerate() {
        positions[usize::from(byte & 0x7f)] |= 1 << index;
    }
    let mut right_used = 0u64;
    let mut left_used = 0u64;
    for (index, &byte) in left.iter().enumerate() {
        let start = index.saturating_sub(window);
        let end = (index + window + 1).min(right.len());
        if start >= end {
            break;
        }
        let in_window = (u64::MAX >> (64 - (end - start))) << start;
        let available = positions[usize::from(byte & 0x7f)] & !right_used & in_window;
        if available != 0 {
            right_used |= available & available.wrapping_neg();
            left_used |= 1 << index;
        }
    }
    let matches = left_used.count_ones();
    if matches == 0 {
        return 0.0;
    }
    // Matched bytes of both sides, in order, pair up; count the mismatches.
    let mut transpositions = 0u32;
    let (mut left_rest, mut right_rest) = (left_used, right_used);
    while left_rest != 0 {
        let (i, j) = (
            left_rest.trailing_zeros() as usize,
            right_rest.trailing_zeros() as usize,
        );
        transpositions += u32::from(left[i] != right[j]);
        left_rest &= left_rest - 1;
        right_rest &= right_rest - 1;
    }
    let matches = f64::from(matches);
    let transpositions = f64::from(transpositions / 2);
    (matches / left.len() as f64
        + matches / right.len() as f64
        + (matches - transpositions) / matches)
        / 3.0
}

/// True when the strings differ by at most one substitution, insertion,
/// deletion or swap of adjacent characters (a typical keying error).
pub fn within_one_edit(left: &str, right: &str) -> bool {
    let (left, right) = (left.as_bytes(), right.as_bytes());
    if left == right {
        return true;
    }
    let common_prefix = left.iter().zip(right).take_while(|(a, b)| a == b).count();
    let (left_rest, right_rest) = (&left[common_prefix..], &right[common_prefix..]);
    match left_rest.len().abs_diff(right_rest.len()) {
        0 => {
            left_rest[1..] == right_rest[1..]
                || (left_rest.len() >= 2
                    && left_rest[0] == right_rest[1]
                    && left_rest[1] == right_rest[0]
                    && left_rest[2..] == right_rest[2..])
        }
        1 => {
            let (short, long) = if left_rest.len() < right_rest.len() {
                (left_rest, right_rest)
            } else {
                (right_rest, left_rest)
            };
            short == &long[1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_jaro_winkler_agrees_with_strsim() {
        let pairs = [
            ("martha", "marhta"),
            ("dixon", "dicksonx"),
            ("jellyfish", "smellyfish"),
            ("mitchell", "michelle"),
            ("a", "b"),
            ("abc", "abc"),
            ("wallaby place", "walaby place"),
        ];
        for (left, right) in pairs {
            let expected = strsim::jaro_winkler(left, right);
            let actual = jaro_winkler(left, right);
            assert!(
                (expected - actual).abs() < 1e-12,
                "{left}/{right}: {expected} vs {actual}"
            );
        }
    }

    #[test]
    fn bit_parallel_jaro_agrees_with_strsim_on_random_strings() {
        // A small alphabet makes matches, windows and transpositions common;
        // lengths run up to the 64-byte limit.
        let mut state: u64 = 7;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let word = |next: &mut dyn FnMut() -> u64| -> String {
            let length = 1 + (next() % 64) as usize;
            (0..length)
                .map(|_| char::from(b"abcde 1"[(next() % 7) as usize]))
                .collect()
        };
        for _ in 0..5_000 {
            let left = word(&mut next);
            let right = if next() % 3 == 0 {
                left.chars().rev().collect()
            } else {
                word(&mut next)
            };
            let expected = strsim::jaro_winkler(&left, &right);
            let actual = jaro_winkler(&left, &right);
            assert!(
                (expected - actual).abs() < 1e-12,
                "{left:?}/{right:?}: {expected} vs {actual}"
            );
        }
    }

    #[test]
    fn one_edit_covers_keying_errors_only() {
        assert!(within_one_edit("1804974", "1804974"));
        assert!(within_one_edit("1804974", "1804975"));
        assert!(within_one_edit("1804974", "1809474"));
        assert!(within_one_edit("1804974", "180474"));
        assert!(within_one_edit("2119", "21190"));
        assert!(!within_one_edit("1804974", "1840975"));
        assert!(!within_one_edit("2119", "3118"));
    }
}
