//! Finding the columns that differ per survey: the score question, its
//! follow-up comment, and the respondent's e-mail and name when the survey
//! asked for them as questions.
//!
//! A column is described by its *label*: the header plus the text of the
//! extra header rows below it (SurveyMonkey puts the question in the header,
//! Qualtrics in the second row), lower-cased.

use c360_connector::mapping::header_key;

use crate::metric::Metric;

/// Each column's label, from the header and the extra header rows.
pub fn labels(headers: &[String], extra_rows: &[Vec<String>]) -> Vec<String> {
    headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let mut label = header.to_lowercase();
            for row in extra_rows {
                if let Some(text) = row.get(index) {
                    label.push(' ');
                    label.push_str(&text.to_lowercase());
                }
            }
            label
        })
        .collect()
}

/// The column a configured name designates: a header (ignoring case, spaces
/// and punctuation), else a question text of an extra header row.
pub fn named(name: &str, headers: &[String], extra_rows: &[Vec<String>]) -> Option<usize> {
    let wanted = header_key(name);
    if wanted.is_empty() {
        // Headers of symbols only (Typeform's `#`) must match as written.
        let name = name.trim();
        return (!name.is_empty())
            .then(|| headers.iter().position(|header| header.trim() == name))
            .flatten();
    }
    headers
        .iter()
        .position(|header| header_key(header) == wanted)
        .or_else(|| {
            extra_rows.iter().find_map(|row| {
                row.iter()
                    .position(|text| header_key(text) == wanted)
                    .filter(|index| *index < headers.len())
            })
        })
}

/// The score question: a column whose label has one of the metric's words and
/// whose sampled answers are mostly (over half) scores in range (a follow-up "reason for
/// your score" question has the word but not the numbers). Strong words win
/// over weak ones; among equals, the column with more scores, then the first.
/// Qualtrics' derived `…_NPS_GROUP` column (Promoter/Passive/Detractor) is
/// never the score.
pub fn find_score(metric: Metric, labels: &[String], samples: &[Vec<String>]) -> Option<usize> {
    let (strong, weak) = metric.keywords();
    let mut best: Option<(usize, usize, usize)> = None;
    for (index, label) in labels.iter().enumerate() {
        if label.contains("group") {
            continue;
        }
        let strength = if strong.iter().any(|word| label.contains(word)) {
            2
        } else if weak.iter().any(|word| label.contains(word)) {
            1
        } else {
            continue;
        };
        let answers: Vec<&str> = samples
            .iter()
            .filter_map(|row| row.get(index))
            .map(|cell| cell.trim())
            .filter(|cell| !cell.is_empty())
            .collect();
        let scores = answers
            .iter()
            .filter(|cell| matches!(metric.score(cell), Ok(Some(_))))
            .count();
        // More than half: a few mistyped answers must not hide the question.
        if scores * 2 <= answers.len() && !answers.is_empty() {
            continue;
        }
        if best.is_none_or(|(s, n, _)| (strength, scores) > (s, n)) {
            best = Some((strength, scores, index));
        }
    }
    best.map(|(_, _, index)| index)
}

/// The free-text follow-up: a label with a comment-like word, preferring the
/// first one after the score column.
pub fn find_comment(labels: &[String], score: Option<usize>) -> Option<usize> {
    const WORDS: [&str; 11] = [
        "comment",
        "kommentar",
        "reason",
        "why",
        "feedback",
        "tell us",
        "anything else",
        "explain",
        "improve",
        "warum",
        "neden",
    ];
    let candidates: Vec<usize> = labels
        .iter()
        .enumerate()
        .filter(|(index, label)| {
            Some(*index) != score
                && !label.contains("group")
                && WORDS.iter().any(|word| label.contains(word))
        })
        .map(|(index, _)| index)
        .collect();
    let after = score.and_then(|score| candidates.iter().copied().find(|index| *index > score));
    after.or_else(|| candidates.first().copied())
}

/// Columns asking for an e-mail address.
pub fn find_emails(labels: &[String]) -> Vec<usize> {
    labels
        .iter()
        .enumerate()
        .filter(|(_, label)| label.contains("email") || label.contains("e-mail"))
        .map(|(index, _)| index)
        .collect()
}

/// A column asking for the respondent's full name.
pub fn find_name(headers: &[String]) -> Option<usize> {
    const NAMES: [&str; 7] = [
        "name",
        "fullname",
        "yourname",
        "whatsyourname",
        "whatisyourname",
        "adsoyad",
        "vollständigername",
    ];
    headers
        .iter()
        .position(|header| NAMES.contains(&header_key(header).as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn finds_the_score_by_words_and_numbers() {
        let headers = strings(&[
            "#",
            "What's the main reason for your score?",
            "How likely are you to recommend Acme to a friend?",
            "Your email",
        ]);
        let labels = labels(&headers, &[]);
        let samples = vec![
            strings(&["a1", "Fast delivery", "9", "a@example.com"]),
            strings(&["a2", "", "", ""]),
            strings(&["a3", "Slow", "ten", "c@example.com"]),
            strings(&["a4", "Ok", "7", ""]),
            strings(&["a5", "Great", "10", ""]),
            strings(&["a6", "Good", "8", ""]),
        ];
        assert_eq!(find_score(Metric::Nps, &labels, &samples), Some(2));
        assert_eq!(find_comment(&labels, Some(2)), Some(1));
        assert_eq!(find_emails(&labels), vec![3]);
    }

    #[test]
    fn qualtrics_question_text_and_group_column() {
        let headers = strings(&["ResponseId", "Q1_NPS_GROUP", "Q1", "Q2"]);
        let extra = vec![
            strings(&[
                "Response ID",
                "How likely are you to recommend us? - Group",
                "How likely are you to recommend us?",
                "What is the primary reason for your score?",
            ]),
            strings(&[
                "{\"ImportId\":\"_recordId\"}",
                "{\"ImportId\":\"QID1_NPS_GROUP\"}",
                "{\"ImportId\":\"QID1\"}",
                "{\"ImportId\":\"QID2_TEXT\"}",
            ]),
        ];
        let labels = labels(&headers, &extra);
        let samples = vec![strings(&["R_1", "Promoter", "9", "Great"])];
        assert_eq!(find_score(Metric::Nps, &labels, &samples), Some(2));
        assert_eq!(find_comment(&labels, Some(2)), Some(3));
        assert_eq!(named("q1", &headers, &extra), Some(2));
        assert_eq!(
            named(
                "What is the primary reason for your score?",
                &headers,
                &extra
            ),
            Some(3)
        );
        assert_eq!(named("", &headers, &extra), None);
        assert_eq!(named("#", &strings(&["", "#"]), &[]), Some(1));
    }

    #[test]
    fn no_score_column_without_words_or_numbers() {
        let headers = strings(&["Name", "Score"]);
        let samples = vec![strings(&["Ada", "gold"]), strings(&["Bob", "silver"])];
        assert_eq!(
            find_score(Metric::Nps, &labels(&headers, &[]), &samples),
            None
        );
        assert_eq!(find_name(&headers), Some(0));
    }
}
