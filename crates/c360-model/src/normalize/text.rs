//! Unicode folding shared by every normalizer.
//!
//! Two levels:
//!
//! - [`fold_text`] keeps what a person would call "the same spelling": it
//!   applies NFKC, full case folding (Turkish-aware), unifies Arabic and
//!   Persian letter variants, drops invisible characters and tidies
//!   whitespace, but keeps diacritics (`"jürgen"` stays `"jürgen"`).
//! - [`comparison_key`] goes further for matching: diacritics and other
//!   combining marks are dropped, letters without a decomposition are mapped
//!   to ASCII look-alikes and punctuation is removed or turned into spaces.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Script-specific choices of the folding; the defaults suit mixed data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextRules {
    /// Fold Arabic teh marbuta (ة) into heh (ه): right for Persian-style
    /// spellings, configurable because in Arabic they are distinct letters.
    pub teh_marbuta_as_heh: bool,
    /// Fold alef variants (أ إ آ ٱ) into bare alef (ا).
    pub alef_variants_as_alef: bool,
}

impl Default for TextRules {
    fn default() -> Self {
        Self {
            teh_marbuta_as_heh: false,
            alef_variants_as_alef: true,
        }
    }
}

/// Folds `value` into its canonical spelling (see the module docs).
///
/// Zero-width characters are dropped, including the ZWNJ Persian writes
/// inside words ("می‌خواهم"): two spellings of a name that differ only in
/// it are the same name for our purposes.
pub fn fold_text(value: &str, rules: &TextRules) -> String {
    let visible: String = value.nfkc().filter(|&c| !is_invisible(c)).collect();
    let folded = case_fold(&visible);
    let unified: String = folded
        .chars()
        .filter_map(|c| unify_arabic_letter(c, rules))
        .map(|c| ascii_digit(c).unwrap_or(c))
        .collect();
    // Case folding can leave decomposed sequences (ǰ → j + U+030C); NFC
    // keeps the folded form composed like the rest of the text.
    collapse_whitespace(&unified.nfc().collect::<String>())
}

/// The form used to compare text: [`fold_text`] without diacritics or punctuation.
///
/// Apostrophes and periods are removed so that "O'Brien" matches "OBrien"
/// and "A.Ş." matches "AŞ"; every other punctuation mark (hyphens, commas,
/// slashes …) separates words, so "Jean-Luc" becomes "jean luc".
/// CJK text is kept as it is, including the kana voicing marks which
/// distinguish syllables rather than decorate them. The key is idempotent.
pub fn comparison_key(value: &str, rules: &TextRules) -> String {
    let folded = fold_text(value, rules);
    let mut key = String::with_capacity(folded.len());
    for c in folded.nfd() {
        if is_combining_mark(c) && !is_kana_voicing_mark(c) {
            continue;
        }
        if let Some(ascii) = undecomposable_letter(c) {
            key.push_str(ascii);
        } else if c.is_alphanumeric() || is_kana_voicing_mark(c) {
            key.push(c);
        } else if !is_joining_punctuation(c) {
            key.push(' ');
        }
    }
    // Recompose what NFD split but we kept (Hangul syllables, kana voicing).
    collapse_whitespace(&key.nfc().collect::<String>())
}

/// Converts Arabic-Indic and Persian digits to ASCII, leaving other characters alone.
pub fn fold_digits(value: &str) -> String {
    value.chars().map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

/// Lower-cases `value` without the combining dot Rust adds to Turkish 'İ'.
///
/// `'İ'.to_lowercase()` is "i̇" (i + U+0307), which no one types; Turkish
/// writers mean plain "i".
pub(crate) fn lowercase(value: &str) -> String {
    value.replace('İ', "i").to_lowercase()
}

/// Full Unicode case folding (ß → ss), Turkish-aware for 'İ' and 'I'.
///
/// The default folding maps 'İ' to "i̇"; we map it to "i" so "İSMAİL" and
/// "ismail" agree. Dotless 'ı' has no default folding and stays 'ı'.
fn case_fold(value: &str) -> String {
    caseless::default_case_fold_str(&turkish_capital_i(value))
}

/// Resolves the two Turkish capital i's before generic folding.
///
/// 'İ' is always "i". Plain 'I' is "ı" inside a word that is evidently
/// Turkish (it has İ, ı, Ş, ş, Ğ or ğ), so "IŞIK" folds to "ışık", and "i"
/// elsewhere, so English "IRVING" still folds to "irving". A wrong guess
/// (Romanian "IAŞI") only affects the folded form: comparison keys map
/// 'ı' to 'i' anyway.
fn turkish_capital_i(value: &str) -> String {
    let mut resolved = String::with_capacity(value.len());
    for word in value.split_inclusive(char::is_whitespace) {
        let turkish = word.contains(['İ', 'ı', 'Ş', 'ş', 'Ğ', 'ğ']);
        resolved.extend(word.chars().map(|c| match c {
            'İ' => 'i',
            'I' if turkish => 'ı',
            other => other,
        }));
    }
    resolved
}

/// Characters that take no space on screen but break equality.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Unifies Arabic and Persian spellings of the same letter; `None` drops it.
fn unify_arabic_letter(c: char, rules: &TextRules) -> Option<char> {
    match c {
        // Tatweel only stretches a word for justification.
        '\u{0640}' => None,
        'ي' | 'ى' => Some('ی'),
        'ك' => Some('ک'),
        'ة' if rules.teh_marbuta_as_heh => Some('ه'),
        'أ' | 'إ' | 'آ' | 'ٱ' if rules.alef_variants_as_alef => Some('ا'),
        other => Some(other),
    }
}

/// The ASCII digit for an Arabic-Indic (U+0660–0669) or Persian (U+06F0–06F9) digit.
pub(crate) fn ascii_digit(c: char) -> Option<char> {
    let offset = match c {
        '\u{0660}'..='\u{0669}' => u32::from(c) - 0x0660,
        '\u{06F0}'..='\u{06F9}' => u32::from(c) - 0x06F0,
        _ => return None,
    };
    char::from_digit(offset, 10)
}

/// ASCII forms of letters that carry their "diacritic" in the glyph itself,
/// so NFD cannot separate it.
fn undecomposable_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        _ => return None,
    })
}

/// Punctuation that sits inside a word and is dropped rather than split on.
fn is_joining_punctuation(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '.')
}

/// Japanese voicing marks: dropping them would turn が into か.
fn is_kana_voicing_mark(c: char) -> bool {
    matches!(c, '\u{3099}' | '\u{309A}')
}

/// Collapses whitespace runs (any Unicode space) to one ASCII space and trims.
fn collapse_whitespace(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(value: &str) -> String {
        fold_text(value, &TextRules::default())
    }

    fn key(value: &str) -> String {
        comparison_key(value, &TextRules::default())
    }

    const SAMPLES: &[&str] = &[
        "İSMAİL IŞIK",
        "Şükrü Öztürk",
        "Jürgen Groß",
        "Müller-Lüdenscheidt",
        "José Ángel Núñez",
        "O'Brien",
        "Jean-Luc Picard",
        "علي رضايي",
        "مُحَمَّد",
        "محمد‌رضا",
        "王小明",
        "ＡＢＣ　１２３",
        "がぎぐ",
        "한국어",
        "Søren Łukasz Þór Æsir Œuvre ħ",
        "A.Ş. Ltd., Şti.",
        "  spaced\u{00A0}\u{2003}out\t",
        "ǰ",
        "",
    ];

    #[test]
    fn fold_applies_nfkc_case_folding_and_whitespace() {
        assert_eq!(fold("ＡＢＣ"), "abc");
        assert_eq!(fold("Jürgen Groß"), "jürgen gross");
        assert_eq!(fold("  a\u{00A0}\u{2003} b\n"), "a b");
        assert_eq!(fold("MARÍA JOSÉ"), "maría josé");
    }

    #[test]
    fn fold_is_turkish_aware() {
        assert_eq!(fold("İSMAİL"), "ismail");
        assert_eq!(fold("I\u{0307}SMAI\u{0307}L"), "ismail");
        assert_eq!(fold("ışık"), "ışık");
        assert_eq!(fold("IŞIK Işık ışık"), "ışık ışık ışık");
        assert_eq!(fold("IRVING"), "irving");
        assert_eq!(key("IŞIK"), "isik");
    }

    #[test]
    fn fold_drops_invisible_characters() {
        assert_eq!(fold("محمد\u{200C}رضا"), fold("محمدرضا"));
        assert_eq!(fold("a\u{200B}b\u{FEFF}c\u{00AD}d\u{200E}"), "abcd");
    }

    #[test]
    fn fold_unifies_arabic_and_persian_variants() {
        assert_eq!(fold("علي"), "علی");
        assert_eq!(fold("كريم"), "کریم");
        assert_eq!(fold("موسى"), "موسی");
        assert_eq!(fold("محـــمد"), "محمد");
        assert_eq!(fold("أحمد"), "احمد");
        assert_eq!(fold("فاطمة"), "فاطمة");
        let persian = TextRules {
            teh_marbuta_as_heh: true,
            ..TextRules::default()
        };
        assert_eq!(fold_text("فاطمة", &persian), "فاطمه");
        let strict = TextRules {
            alef_variants_as_alef: false,
            ..TextRules::default()
        };
        assert_eq!(fold_text("أحمد", &strict), "أحمد");
    }

    #[test]
    fn fold_converts_eastern_digits() {
        assert_eq!(fold("۱۲۳ ٤٥٦"), "123 456");
        assert_eq!(fold_digits("۰۹۱۲-x"), "0912-x");
    }

    #[test]
    fn key_drops_diacritics_and_maps_special_letters() {
        assert_eq!(key("Şükrü Öztürk"), "sukru ozturk");
        assert_eq!(key("José Ángel Núñez"), "jose angel nunez");
        assert_eq!(
            key("Søren Łukasz Þór Æsir Œuvre ħ"),
            "soren lukasz thor aesir oeuvre h"
        );
        assert_eq!(key("مُحَمَّد"), key("محمد"));
    }

    #[test]
    fn key_handles_punctuation() {
        assert_eq!(key("O'Brien"), "obrien");
        assert_eq!(key("O’Brien"), "obrien");
        assert_eq!(key("Jean-Luc"), "jean luc");
        assert_eq!(key("A.Ş."), "as");
        assert_eq!(key("1 Main St., Springfield"), "1 main st springfield");
    }

    #[test]
    fn key_keeps_cjk_and_kana() {
        assert_eq!(key("王小明"), "王小明");
        assert_eq!(key("がぎぐ"), "がぎぐ");
        assert_eq!(key("한국어"), "한국어");
    }

    #[test]
    fn key_is_idempotent() {
        for sample in SAMPLES {
            let once = key(sample);
            assert_eq!(key(&once), once, "sample {sample:?}");
            let folded = fold(sample);
            assert_eq!(fold(&folded), folded, "sample {sample:?}");
        }
    }

    #[test]
    fn lowercase_keeps_turkish_i_plain() {
        assert_eq!(lowercase("İLKER"), "ilker");
    }

    #[test]
    fn rules_deserialize_with_defaults() {
        let rules: TextRules =
            serde_json::from_str(r#"{"teh_marbuta_as_heh": true}"#).expect("valid rules");
        assert!(rules.teh_marbuta_as_heh);
        assert!(rules.alef_variants_as_alef);
    }
}
