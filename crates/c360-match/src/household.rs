//! The household guard: how far to trust a pair whose given names differ.
//!
//! Members of one household, and twins, share the address, the home phone,
//! sometimes the family e-mail and even the birth date. Those fields are not
//! independent evidence (one address is four agreeing fields), so their
//! weights add up to far more than the one field that tells the people
//! apart. A pair whose given names are different (not equal, not nicknames,
//! not similar, not an initial or a swap) and that agrees on nothing personal
//! (birth date, national id, e-mail) is therefore capped at the model's
//! [`household_match_probability`](crate::MatchModel::household_match_probability).
//!
//! How much such a pair is worth depends on the data: a customer base full
//! of families has many of them and few are one person; a file whose only
//! near-duplicates are keying variants of one person has few, and most are.
//! Training measures it (see [`estimate_household_probability`]); an
//! untrained model uses [`DEFAULT_HOUSEHOLD_MATCH_PROBABILITY`], which keeps
//! such pairs for a steward.

use crate::comparison::{
    BIRTH_DATE, EMAIL, EXACT, FAMILY_NAME, GIVEN_NAME, Levels, MISSING, NATIONAL_ID, level,
};
use crate::model::LevelWeights;

/// The cap of an untrained model, and of a trained one that saw too few pairs
/// to tell: below the link threshold, so such a pair is a review task.
pub const DEFAULT_HOUSEHOLD_MATCH_PROBABILITY: f64 = 0.25;

/// Fewer pairs with strong shared evidence than this, and the estimate is
/// noise: the default stays.
const MIN_PAIRS_TO_ESTIMATE: f64 = 20.0;

/// Whether the household guard applies to a pair's levels. Personal
/// evidence that lifts it: the same birth date (or one keying error apart:
/// one part off, day and month transposed), national id (exact or one keying
/// error apart) or e-mail address.
pub fn household_guard(levels: &Levels) -> bool {
    levels[GIVEN_NAME] == level::GIVEN_ELSE && !has_personal_evidence(levels)
}

fn has_personal_evidence(levels: &Levels) -> bool {
    matches!(
        levels[BIRTH_DATE],
        EXACT | level::DATE_TRANSPOSED | level::DATE_ONE_PART
    ) || levels[NATIONAL_ID] == EXACT
        || levels[NATIONAL_ID] == level::ID_ONE_EDIT
        || levels[EMAIL] == EXACT
}

/// The probability that a household-shaped pair is one person, measured on
/// the candidate pairs of the data being trained on.
///
/// Take the pairs without personal evidence whose other fields are strong
/// enough that they would be a match even with different given names (the
/// prior plus every weight but the given name's, plus the weight of
/// "different given name", is positive). If all of them were one person,
/// their given names would differ at the rate the model learned for matches,
/// m(else); so the pairs whose given names agree, A, predict
/// A · m(else) / (1 − m(else)) one-person pairs among those that differ, H.
/// Households and twins are the surplus: P(one person | household-shaped) ≈
/// expected / H. m(else) comes from EM sessions blocked on e-mail or birth
/// date, pairs household members rarely share, so households do not inflate it.
///
/// `weights[c][level]` are log2 likelihood ratios, `prior_weight` the log2
/// prior odds; `m_given` the given-name m row.
pub fn estimate_household_probability(
    patterns: &[(Levels, u64)],
    weights: &LevelWeights,
    prior_weight: f64,
    m_given: &[f64],
) -> f64 {
    let else_weight = weights[GIVEN_NAME][level::GIVEN_ELSE as usize];
    let (mut agreeing, mut differing) = (0.0, 0.0);
    for (levels, count) in patterns {
        let given = levels[GIVEN_NAME];
        if given == MISSING || has_personal_evidence(levels) {
            continue;
        }
        let mut rest = prior_weight;
        let mut beyond_names = false;
        for (comparison, &level) in levels.iter().enumerate() {
            if comparison == GIVEN_NAME || level == MISSING {
                continue;
            }
            let weight = weights[comparison][level as usize];
            rest += weight;
            beyond_names |= weight > 0.0 && comparison != FAMILY_NAME;
        }
        // Pairs with nothing but names are capped by their own guard.
        if !beyond_names || rest + else_weight <= 0.0 {
            continue;
        }
        if given == level::GIVEN_ELSE {
            differing += *count as f64;
        } else {
            agreeing += *count as f64;
        }
    }
    if agreeing + differing < MIN_PAIRS_TO_ESTIMATE {
        return DEFAULT_HOUSEHOLD_MATCH_PROBABILITY;
    }
    if differing == 0.0 {
        return 1.0;
    }
    let compared = 1.0 - m_given.get(MISSING as usize).copied().unwrap_or(0.0);
    let m_else = m_given
        .get(level::GIVEN_ELSE as usize)
        .map_or(0.0, |m| m / compared.max(1e-12))
        .clamp(0.0, 0.999);
    let expected = agreeing * m_else / (1.0 - m_else);
    (expected / differing).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comparison::{COMPARISONS, MAX_LEVELS, STREET};

    fn weights() -> LevelWeights {
        let mut weights = [[0.0; MAX_LEVELS]; COMPARISONS.len()];
        weights[GIVEN_NAME][EXACT as usize] = 7.0;
        weights[GIVEN_NAME][level::GIVEN_ELSE as usize] = -2.5;
        weights[FAMILY_NAME][EXACT as usize] = 8.0;
        weights[STREET][EXACT as usize] = 9.0;
        weights
    }

    fn pair(given: u8) -> Levels {
        let mut levels = [MISSING; COMPARISONS.len()];
        levels[GIVEN_NAME] = given;
        levels[FAMILY_NAME] = EXACT;
        levels[STREET] = EXACT;
        levels
    }

    fn m_given() -> Vec<f64> {
        let mut m = vec![0.0; level::GIVEN_ELSE as usize + 1];
        m[EXACT as usize] = 0.9;
        m[level::GIVEN_ELSE as usize] = 0.1;
        m
    }

    #[test]
    fn households_in_the_data_lower_the_probability() {
        // 900 one-person pairs predict 100 with different given names; 400
        // such pairs are seen: a quarter of them are one person.
        let patterns = vec![(pair(EXACT), 900), (pair(level::GIVEN_ELSE), 400)];
        let p = estimate_household_probability(&patterns, &weights(), -10.0, &m_given());
        assert!((p - 0.25).abs() < 1e-9, "{p}");
    }

    #[test]
    fn no_surplus_means_no_cap() {
        let patterns = vec![(pair(EXACT), 900), (pair(level::GIVEN_ELSE), 90)];
        let p = estimate_household_probability(&patterns, &weights(), -10.0, &m_given());
        assert_eq!(p, 1.0);
    }

    #[test]
    fn weak_or_personal_pairs_do_not_count_and_few_pairs_keep_the_default() {
        // Too weak to link even with agreeing given names.
        let weak = estimate_household_probability(
            &[(pair(EXACT), 900), (pair(level::GIVEN_ELSE), 400)],
            &weights(),
            -20.0,
            &m_given(),
        );
        assert_eq!(weak, DEFAULT_HOUSEHOLD_MATCH_PROBABILITY);
        let mut personal = pair(level::GIVEN_ELSE);
        personal[BIRTH_DATE] = EXACT;
        let p = estimate_household_probability(
            &[(pair(EXACT), 900), (personal, 400)],
            &weights(),
            -10.0,
            &m_given(),
        );
        assert_eq!(p, 1.0);
        let few = estimate_household_probability(
            &[(pair(EXACT), 5), (pair(level::GIVEN_ELSE), 5)],
            &weights(),
            -10.0,
            &m_given(),
        );
        assert_eq!(few, DEFAULT_HOUSEHOLD_MATCH_PROBABILITY);
    }
}
