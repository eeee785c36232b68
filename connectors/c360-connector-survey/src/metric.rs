//! What a survey measures: NPS (0–10, `nps_response`) or CSAT (1–5,
//! `csat_rating`), chosen by option `metric`; and how a score cell reads.

use c360_connector::transform::parse_integer;
use c360_model::ActivityKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metric {
    #[default]
    Nps,
    Csat,
}

impl Metric {
    pub fn parse(value: Option<&str>) -> Option<Self> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("nps") => Some(Self::Nps),
            Some("csat") => Some(Self::Csat),
            Some(_) => None,
        }
    }

    pub fn kind(self) -> ActivityKind {
        match self {
            Self::Nps => ActivityKind::NpsResponse,
            Self::Csat => ActivityKind::CsatRating,
        }
    }

    pub fn range(self) -> (i32, i32) {
        match self {
            Self::Nps => (0, 10),
            Self::Csat => (1, 5),
        }
    }

    /// Header words that name the score question: strong ones (the question's
    /// own wording) and weak ones (any score-like column).
    pub fn keywords(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Self::Nps => (
                &["recommend", "likely", "nps", "promoter", "empfehl"],
                &["score", "rating", "rate"],
            ),
            Self::Csat => (
                &["satisf", "csat", "zufrieden", "memnun"],
                &["score", "rating", "rate", "happy"],
            ),
        }
    }

    /// Reads a score cell: `Ok(None)` when empty (a skipped question).
    /// Choice-text exports write `10 - Extremely likely` or `0 (Not at all
    /// likely)`: the leading number counts.
    pub fn score(self, cell: &str) -> Result<Option<i32>, String> {
        let value = cell.trim();
        if value.is_empty() {
            return Ok(None);
        }
        let number = parse_integer(value).or_else(|| {
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            let rest = value[digits.len()..].trim_start();
            let labelled = rest.starts_with(['-', '(', '–', '—', ':']);
            (!digits.is_empty() && labelled)
                .then(|| digits.parse::<i64>().ok())
                .flatten()
        });
        let Some(number) = number else {
            return Err(format!("{value:?} is not a score"));
        };
        let (low, high) = self.range();
        match i32::try_from(number) {
            Ok(score) if (low..=high).contains(&score) => Ok(Some(score)),
            _ => Err(format!("{number} is outside {low}..={high}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_scores_in_range() {
        assert_eq!(Metric::Nps.score(" 9 "), Ok(Some(9)));
        assert_eq!(Metric::Nps.score("10.0"), Ok(Some(10)));
        assert_eq!(Metric::Nps.score("10 - Extremely likely"), Ok(Some(10)));
        assert_eq!(Metric::Nps.score("0 (Not at all likely)"), Ok(Some(0)));
        assert_eq!(Metric::Nps.score(""), Ok(None));
        assert!(Metric::Nps.score("11").is_err());
        assert!(Metric::Nps.score("-1").is_err());
        assert!(Metric::Nps.score("sehr gut").is_err());
        assert!(Metric::Nps.score("7.5").is_err());
        assert!(Metric::Csat.score("0").is_err());
        assert_eq!(Metric::Csat.score("5"), Ok(Some(5)));
        assert!(Metric::Nps.score("99999999999999999999").is_err());
    }

    #[test]
    fn parses_the_option() {
        assert_eq!(Metric::parse(None), Some(Metric::Nps));
        assert_eq!(Metric::parse(Some("CSAT")), Some(Metric::Csat));
        assert_eq!(Metric::parse(Some("ces")), None);
        assert_eq!(Metric::Csat.kind(), ActivityKind::CsatRating);
    }
}
