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
    let prefix = left
        .iter()
        .zip(right)
        .take(4)
        .take_while(|(a, b)| a == b)
        .count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

fn ascii_jaro(left: &[u8], right: &[u8]) -> f64 {
    if left.is_empty() || right.is_empty() {
        return if left.is_empty() && right.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    let window = (left.len().max(right.len()) / 2).saturating_sub(1);
    let mut right_used = [false; STACK_LEN];
    let mut left_matched = [0u8; STACK_LEN];
    let mut matches = 0usize;
    for (index, &byte) in left.iter().enumerate() {
        let start = index.saturating_sub(window);
        let end = (index + window + 1).min(right.len());
        for other in start..end {
            if !right_used[other] && right[other] == byte {
                right_used[other] = true;
                left_matched[matches] = byte;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut next = 0usize;
    for (other, &byte) in right.iter().enumerate() {
        if right_used[other] {
            if left_matched[next] != byte {
                transpositions += 1;
            }
            next += 1;
        }
    }
    let matches = matches as f64;
    let transpositions = (transpositions / 2) as f64;
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
