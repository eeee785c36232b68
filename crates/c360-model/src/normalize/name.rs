//! Person and company names.
//!
//! Sources send names split (given + family) or as one string; we split the
//! latter with simple, explainable rules rather than guess: "Family, Given",
//! otherwise the last word is the family name. Honorifics and generational
//! suffixes are dropped because sources add them inconsistently. Every part
//! is kept in two forms: folded ([`fold_text`]) and as a comparison key
//! ([`comparison_key`]).

use serde::{Deserialize, Serialize};

use super::text::{TextRules, comparison_key, fold_text};

/// A person's name, split and normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormalizedName {
    /// The name as shown: full name, or given + family, trimmed.
    pub display: String,
    /// [`fold_text`] form of the given name(s).
    pub given: String,
    /// [`fold_text`] form of the family name.
    pub family: String,
    /// [`comparison_key`] form of the given name(s).
    pub given_key: String,
    /// [`comparison_key`] form of the family name.
    pub family_key: String,
    /// `given_key + " " + family_key`, trimmed.
    pub full_key: String,
    /// The given name(s) as written (split from the full name if needed).
    #[serde(default)]
    pub given_raw: String,
    /// The family name as written (split from the full name if needed).
    #[serde(default)]
    pub family_raw: String,
}

/// Titles written before a name (compared by comparison key).
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "sr", "sra", "señor", "señora", "bay",
    "bayan", "آقای", "خانم",
];

/// Generational suffixes written after a name.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii"];

/// Two-character Chinese surnames; every other Han name starts with a
/// one-character surname.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方",
];

/// Legal-form words dropped from the end of company names (comparison keys:
/// "A.Ş." is "as", "Şti." is "sti").
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "haftungsbeschrankt",
    "ag",
    "sa",
    "sas",
    "sarl",
    "srl",
    "bv",
    "nv",
    "plc",
    "co",
    "corp",
    "corporation",
    "as",
    "ab",
    "oy",
    "kg",
    "ug",
    "sti",
];

/// Normalizes a person's name from whichever parts the source filled in.
///
/// Explicit `given`/`family` win over `full`; `full` is split only when both
/// are blank. Returns `None` when nothing usable is left.
pub fn normalize_name(
    given: &str,
    family: &str,
    full: &str,
    rules: &TextRules,
) -> Option<NormalizedName> {
    let (given, family, full) = (given.trim(), family.trim(), full.trim());
    let (given_part, family_part) = if given.is_empty() && family.is_empty() {
        split_full_name(full, rules)
    } else {
        (given.to_owned(), family.to_owned())
    };
    // "Lovelace, Ada" is shown as "Ada Lovelace"; any other full name as written
    // (a Chinese name keeps its family-first order).
    let comma_form =
        given.is_empty() && family.is_empty() && full.contains(',') && !given_part.is_empty();
    let display = if full.is_empty() || comma_form {
        format!("{given_part} {family_part}").trim().to_owned()
    } else {
        full.to_owned()
    };
    let name = build_name(display, &given_part, &family_part, rules);
    (!name.given.is_empty() || !name.family.is_empty()).then_some(name)
}

/// The comparison key of a company name without its legal form, if any is left.
///
/// Only trailing legal-form words are dropped ("Foo GmbH & Co. KG" → "foo"):
/// at the start or in the middle such words are usually part of the name.
pub fn normalize_company(value: &str, rules: &TextRules) -> Option<String> {
    let key = comparison_key(value, rules);
    let mut words: Vec<&str> = key.split(' ').filter(|word| !word.is_empty()).collect();
    while words.last().is_some_and(|word| LEGAL_FORMS.contains(word)) {
        words.pop();
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// True when two names may be the same person's: either side empty, or the
/// given-name keys agree (equal, one is the other's initial, or one is a
/// prefix of the other of at least 3 chars). Family names are not compared:
/// they change on marriage.
///
/// The first given names are compared by the same rule as well, so
/// "J. Ángel" may be "José Ángel".
pub fn given_names_compatible(a: &NormalizedName, b: &NormalizedName) -> bool {
    let (a_key, b_key) = (a.given_key.as_str(), b.given_key.as_str());
    if a_key.is_empty() || b_key.is_empty() {
        return true;
    }
    let first_word = |key: &str| key.split(' ').next().unwrap_or_default().to_owned();
    given_keys_agree(a_key, b_key) || given_keys_agree(&first_word(a_key), &first_word(b_key))
}

fn given_keys_agree(a: &str, b: &str) -> bool {
    let (shorter, longer) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    let shorter_len = shorter.chars().count();
    shorter == longer || (longer.starts_with(shorter) && (shorter_len == 1 || shorter_len >= 3))
}

fn build_name(display: String, given: &str, family: &str, rules: &TextRules) -> NormalizedName {
    let given_key = comparison_key(given, rules);
    let family_key = comparison_key(family, rules);
    NormalizedName {
        display,
        given: fold_text(given, rules),
        family: fold_text(family, rules),
        full_key: format!("{given_key} {family_key}").trim().to_owned(),
        given_key,
        family_key,
        given_raw: given.trim().to_owned(),
        family_raw: family.trim().to_owned(),
    }
}

/// Splits a one-string name into (given, family).
fn split_full_name(full: &str, rules: &TextRules) -> (String, String) {
    if let Some((family, given)) = full.split_once(',')
        && !is_one_of(given, SUFFIXES, rules)
    {
        let given_words = without_titles(given.split_whitespace().collect(), rules);
        return (given_words.join(" "), family.trim().to_owned());
    }
    // "Ada Lovelace, Jr.": the comma only introduces the suffix.
    let full = full.replace(',', " ");
    let words = without_titles(full.split_whitespace().collect(), rules);
    match words.as_slice() {
        [] => (String::new(), String::new()),
        [single] if is_han_name(single) => split_han_name(single),
        [single] => ((*single).to_owned(), String::new()),
        [given @ .., family] => (given.join(" "), (*family).to_owned()),
    }
}

/// Drops leading honorifics and trailing suffixes, keeping at least one word.
fn without_titles<'a>(mut words: Vec<&'a str>, rules: &TextRules) -> Vec<&'a str> {
    while words.len() > 1 && is_one_of(words[0], HONORIFICS, rules) {
        words.remove(0);
    }
    while words.len() > 1
        && words
            .last()
            .is_some_and(|word| is_one_of(word, SUFFIXES, rules))
    {
        words.pop();
    }
    words
}

fn is_one_of(word: &str, list: &[&str], rules: &TextRules) -> bool {
    let key = comparison_key(word, rules);
    list.iter().any(|entry| comparison_key(entry, rules) == key)
}

/// Chinese convention: the surname comes first and is one character, or two
/// for the compound surnames in [`COMPOUND_SURNAMES`].
fn split_han_name(name: &str) -> (String, String) {
    let family_len = COMPOUND_SURNAMES
        .iter()
        .find(|surname| name.starts_with(*surname) && name.len() > surname.len())
        .map_or(1, |surname| surname.chars().count());
    let family: String = name.chars().take(family_len).collect();
    let given: String = name.chars().skip(family_len).collect();
    (given, family)
}

/// True for a word of two or more Han characters (a one-character word has
/// no given name to split off).
fn is_han_name(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(is_han)
}

fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2EBEF}'
            | '\u{30000}'..='\u{3134F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(given: &str, family: &str, full: &str) -> NormalizedName {
        normalize_name(given, family, full, &TextRules::default()).expect("a name")
    }

    fn full(value: &str) -> NormalizedName {
        name("", "", value)
    }

    fn company(value: &str) -> Option<String> {
        normalize_company(value, &TextRules::default())
    }

    #[test]
    fn blank_inputs_give_no_name() {
        assert_eq!(normalize_name(" ", "", "\t", &TextRules::default()), None);
        assert_eq!(
            normalize_name("", "", "\u{200B}", &TextRules::default()),
            None
        );
    }

    #[test]
    fn turkish_names() {
        let upper = full("İSMAİL IŞIK");
        let lower = full("ismail ışık");
        assert_eq!(
            (upper.given.as_str(), upper.family.as_str()),
            ("ismail", "ışık")
        );
        assert_eq!(
            (upper.given.as_str(), upper.family.as_str()),
            (lower.given.as_str(), lower.family.as_str())
        );
        assert_eq!(
            (upper.given_key.as_str(), upper.family_key.as_str()),
            ("ismail", "isik")
        );
        assert_eq!(full("Şükrü Öztürk").full_key, "sukru ozturk");
    }

    #[test]
    fn persian_names() {
        let arabic_letters = full("علي رضايي");
        let persian_letters = full("علی رضایی");
        assert_eq!(arabic_letters.given, persian_letters.given);
        assert_eq!(arabic_letters.family, persian_letters.family);
        assert_eq!(full("محمد\u{200C}رضا").given, full("محمدرضا").given);
        assert_eq!(full("مُحَمَّد").given_key, full("محمد").given_key);
        assert_eq!(full("آقای علی رضایی").given, "علی");
    }

    #[test]
    fn german_names() {
        let jurgen = full("Jürgen Groß");
        assert_eq!(jurgen.full_key, "jurgen gross");
        assert_eq!(
            format!("{} {}", jurgen.given, jurgen.family),
            "jürgen gross"
        );
        let double = name("Otto", "Müller-Lüdenscheidt", "");
        assert_eq!(double.family_key, "muller ludenscheidt");
        assert_eq!(double.display, "Otto Müller-Lüdenscheidt");
        assert_eq!(full("Herr Jürgen Groß").given, "jürgen");
    }

    #[test]
    fn spanish_names() {
        let jose = full("José Ángel Núñez");
        assert_eq!(
            (jose.given_key.as_str(), jose.family_key.as_str()),
            ("jose angel", "nunez")
        );
        assert_eq!(
            name("", "Peña", "").family_key,
            name("", "Pena", "").family_key
        );
        assert_eq!(name("MARÍA JOSÉ", "", "").given, "maría josé");
        assert_eq!(full("Sra. María López").given, "maría");
    }

    #[test]
    fn chinese_names() {
        let wang = full("王小明");
        assert_eq!((wang.family.as_str(), wang.given.as_str()), ("王", "小明"));
        let ouyang = full("欧阳娜娜");
        assert_eq!(
            (ouyang.family.as_str(), ouyang.given.as_str()),
            ("欧阳", "娜娜")
        );
        assert_eq!(full("ＡＢＣ").given, "abc");
    }

    #[test]
    fn comma_honorific_and_suffix_forms() {
        let ada = full("Lovelace, Ada");
        assert_eq!(
            (ada.given.as_str(), ada.family.as_str()),
            ("ada", "lovelace")
        );
        assert_eq!(ada.display, "Ada Lovelace");
        assert_eq!(
            (ada.given_raw.as_str(), ada.family_raw.as_str()),
            ("Ada", "Lovelace")
        );
        let doctor = full("Dr. Ada Lovelace");
        assert_eq!(
            (doctor.given.as_str(), doctor.family.as_str()),
            ("ada", "lovelace")
        );
        let junior = full("Martin Luther King, Jr.");
        assert_eq!(
            (junior.given.as_str(), junior.family.as_str()),
            ("martin luther", "king")
        );
        assert_eq!(full("Ada").family, "");
        assert_eq!(full("Ada").full_key, "ada");
    }

    #[test]
    fn explicit_parts_win_over_full() {
        let ada = name("Ada", "Lovelace", "Augusta Ada King");
        assert_eq!(ada.display, "Augusta Ada King");
        assert_eq!(ada.full_key, "ada lovelace");
        assert_eq!(name("", "Lovelace", "").full_key, "lovelace");
    }

    #[test]
    fn companies_lose_their_legal_form() {
        assert_eq!(company("Acme, Inc."), Some("acme".to_owned()));
        assert_eq!(company("ACME Corp"), company("Acme Corporation"));
        assert_eq!(company("Müller GmbH & Co. KG"), Some("muller".to_owned()));
        assert_eq!(company("Koç Holding A.Ş."), Some("koc holding".to_owned()));
        assert_eq!(company("Yılmaz Ltd. Şti."), Some("yilmaz".to_owned()));
        assert_eq!(company("AB Volvo"), Some("ab volvo".to_owned()));
        assert_eq!(company("  "), None);
        assert_eq!(company("Ltd."), None);
    }

    #[test]
    fn given_name_compatibility() {
        let compatible =
            |a: &str, b: &str| given_names_compatible(&name(a, "X", ""), &name(b, "Y", ""));
        assert!(compatible("Ada", "ADA"));
        assert!(compatible("A.", "Ada"));
        assert!(compatible("Alex", "Alexander"));
        assert!(compatible("José", "Jose Ángel"));
        assert!(compatible("J. Ángel", "José Ángel"));
        assert!(compatible("", "Ada"));
        assert!(!compatible("Al", "Alan"));
        assert!(!compatible("Ada", "Grace"));
        assert!(!compatible("Anna", "Hannah"));
    }
}
