//! Name keys that survive spelling, script and order differences.
//!
//! The *skeleton* of a name is its consonant outline in Latin letters:
//! transliterated (`deunicode`: Arabic, Persian, Cyrillic, Greek, CJK …),
//! vowels dropped, look-alike consonants merged, repeats collapsed. Spelling
//! variants of one name share it — Mohammad / Mohammed / Muhammad / محمد all
//! give `mhmd`, Hosseini / Hoseini / حسینی give `hsn`, Xiaoming / Xiao-Ming
//! give `xmng` — which is what both a comparison level and a blocking key need.

use deunicode::deunicode;

/// The consonant skeleton of `name` (may be empty for all-vowel names).
pub fn skeleton(name: &str) -> String {
    let latin = if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        deunicode(name).to_ascii_lowercase()
    };
    let bytes = latin.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut previous: Option<u8> = None;
    for (index, &byte) in bytes.iter().enumerate() {
        if !byte.is_ascii_lowercase() {
            continue;
        }
        let mapped = match byte {
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' => None,
            // Digraphs: kh, sh, gh, th, dh, zh, ch, ph keep their first letter
            // only (ph → f), so "Khosravi" and "Kosravi" meet.
            b'h' => match index.checked_sub(1).map(|at| bytes[at]) {
                Some(b'k' | b's' | b'g' | b't' | b'd' | b'z' | b'c') => None,
                Some(b'p') => {
                    out.pop();
                    previous = None;
                    Some(b'f')
                }
                _ => Some(b'h'),
            },
            b'c' | b'q' => Some(b'k'),
            b'z' => Some(b's'),
            b'w' => Some(b'v'),
            b'j' => Some(b'j'),
            other => Some(other),
        };
        if let Some(letter) = mapped
            && previous != Some(letter)
        {
            out.push(char::from(letter));
            previous = Some(letter);
        }
    }
    out
}

/// The name without spaces, hyphens or apostrophes: "xiao-ming" → "xiaoming".
pub fn compact(name: &str) -> String {
    compact_chars(name).collect()
}

/// True when two names have the same [`compact`] form; allocation-free, as
/// it runs on every compared pair whose names differ.
pub fn same_compact_form(left: &str, right: &str) -> bool {
    compact_chars(left).eq(compact_chars(right))
}

fn compact_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\'' | '’' | '.'))
}

/// True when every token of the shorter name is a token of the longer one
/// and they differ: "garcia" within "garcia lopez".
pub fn tokens_within(left: &str, right: &str) -> bool {
    let (short, long) = if left.len() <= right.len() {
        (left, right)
    } else {
        (right, left)
    };
    let mut any = false;
    for token in short.split([' ', '-']).filter(|token| !token.is_empty()) {
        if !long.split([' ', '-']).any(|other| other == token) {
            return false;
        }
        any = true;
    }
    any && short != long
}

/// True when the shorter name is a prefix of the longer one, an initial
/// ("j" / "john") or a truncation ("chri" / "christopher").
pub fn is_prefix_of_other(left: &str, right: &str) -> bool {
    let (short, long) = if left.len() <= right.len() {
        (left, right)
    } else {
        (right, left)
    };
    !short.is_empty() && short != long && long.starts_with(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_and_script_variants_share_a_skeleton() {
        let mohammad = skeleton("mohammad");
        assert_eq!(mohammad, "mhmd");
        assert_eq!(skeleton("muhammad"), mohammad);
        assert_eq!(skeleton("mohammed"), mohammad);
        assert_eq!(skeleton("محمد"), mohammad);
        assert_eq!(skeleton("hosseini"), skeleton("hoseini"));
        assert_eq!(skeleton("xiaoming"), skeleton("xiao-ming"));
        assert_eq!(skeleton("philipp"), skeleton("filip"));
        assert_ne!(skeleton("smith"), skeleton("jones"));
    }

    #[test]
    fn token_and_prefix_relations() {
        assert!(tokens_within("garcia", "garcia lopez"));
        assert!(!tokens_within("garcia", "garcia"));
        assert!(!tokens_within("garcia", "lopez garces"));
        assert!(is_prefix_of_other("j", "john"));
        assert!(is_prefix_of_other("chri", "christopher"));
        assert!(!is_prefix_of_other("john", "john"));
        assert_eq!(compact("xiao ming"), "xiaoming");
        assert!(same_compact_form("xiao ming", "xiao-ming"));
        assert!(!same_compact_form("xiao ming", "xiao mei"));
    }
}
