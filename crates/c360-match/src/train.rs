//! Training without labels.
//!
//! - **u** (how often a level occurs between different people) comes from
//!   random record pairs: almost all of them are different people.
//! - **m** comes from expectation-maximisation sessions, one per training
//!   rule (by default pairs sharing both name skeletons, then pairs sharing a
//!   birth date), with u held fixed as Splink does. A session leaves out the
//!   comparisons its rule is made of (they agree by construction) and learns
//!   the others; each comparison's m is the mean over the sessions that
//!   learned it. Running EM over all candidate pairs at once instead lets
//!   the mixture lock onto "same street" (neighbours outnumber duplicates)
//!   rather than "same person".
//! - **λ** then comes from EM over all candidate pairs with m and u fixed,
//!   spread over all record pairs (see [`MatchModel::prior`]).
//! - EM works on the distinct level patterns weighted by how often they occur:
//!   a few thousand patterns stand for millions of pairs.
//! - **Term frequencies** are counted per adjusted field.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::blocking::{BlockingRule, candidate_pairs, unpack};
use crate::comparison::{COMPARISONS, GIVEN_NAME, Levels, MAX_LEVELS, MISSING, compare};
use crate::household::estimate_household_probability;
use crate::model::{MatchModel, Scorer, TermFrequencies};
use crate::nicknames::Nicknames;
use crate::prepared::PreparedRecord;

/// `[matching.training]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainingConfig {
    /// Random pairs sampled to estimate u.
    pub u_sample_pairs: u64,
    /// Seed of the sampler: the same data and seed give the same model.
    pub seed: u64,
    pub max_iterations: u32,
    /// EM stops when no parameter moves by more than this.
    pub tolerance: f64,
    /// Blocking rules whose pairs train m, one EM session each.
    pub em_rules: Vec<String>,
    /// At most this many pairs per session (a deterministic even sample).
    pub max_pairs_per_rule: usize,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        Self {
            u_sample_pairs: 2_000_000,
            seed: 42,
            max_iterations: 200,
            tolerance: 1e-7,
            // Not "names": where names are common (Mehmet Yılmaz, Wang Wei,
            // María García) a names block is mostly namesakes, and EM's match
            // class swallows them, teaching that disagreeing e-mails, places
            // and birth dates are normal among matches. Pairs sharing an
            // e-mail are nearly all matches; pairs sharing a birth date are
            // mostly not, and EM separates them well.
            em_rules: vec!["email".into(), "birth_date".into()],
            max_pairs_per_rule: 2_000_000,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    pub records: u64,
    pub u_pairs_sampled: u64,
    pub em_pairs: u64,
    pub em_patterns: u64,
    pub em_iterations: u32,
    pub converged: bool,
    /// Share of matches among the candidate pairs (EM's λ).
    pub candidate_prior: f64,
    /// Probability that two random records match: the scoring prior.
    pub prior: f64,
    /// P(one person) of a household-shaped pair (see [`crate::household`]).
    #[serde(default)]
    pub household_match_probability: f64,
    pub sessions: Vec<SessionReport>,
}

/// SplitMix64: a small, well-mixed deterministic generator.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(bound)) >> 64) as u64
    }
}

type LevelCounts = [[u64; MAX_LEVELS]; COMPARISONS.len()];

fn add_counts(mut total: LevelCounts, part: LevelCounts) -> LevelCounts {
    for (row, part_row) in total.iter_mut().zip(part) {
        for (cell, value) in row.iter_mut().zip(part_row) {
            *cell += value;
        }
    }
    total
}

/// Estimates u per level from random pairs (Laplace-smoothed).
pub fn estimate_u(
    records: &[PreparedRecord],
    nicknames: &Nicknames,
    pairs: u64,
    seed: u64,
) -> (Vec<Vec<f64>>, u64) {
    const CHUNK: u64 = 1 << 15;
    let n = records.len() as u64;
    if n < 2 {
        return (Vec::new(), 0);
    }
    let chunks = pairs.div_ceil(CHUNK);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|chunk| {
            let mut random = SplitMix(seed ^ chunk.wrapping_mul(0x2545_f491_4f6c_dd1d));
            let mut counts: LevelCounts = [[0; MAX_LEVELS]; COMPARISONS.len()];
            let in_chunk = CHUNK.min(pairs - chunk * CHUNK);
            for _ in 0..in_chunk {
                let a = random.below(n);
                let mut b = random.below(n - 1);
                if b >= a {
                    b += 1;
                }
                let levels = compare(&records[a as usize], &records[b as usize], nicknames);
                for (row, level) in counts.iter_mut().zip(levels) {
                    row[level as usize] += 1;
                }
            }
            counts
        })
        .reduce(|| [[0; MAX_LEVELS]; COMPARISONS.len()], add_counts);
    let u = COMPARISONS
        .iter()
        .zip(counts)
        .map(|(comparison, row)| smoothed(&row[..comparison.levels.len()], 1.0))
        .collect();
    (u, pairs)
}

/// Level shares among non-missing observations, with `pseudo` added to each.
fn smoothed(row: &[u64], pseudo: f64) -> Vec<f64> {
    let levels = row.len().saturating_sub(1) as f64;
    let observed: u64 = row.iter().skip(1).sum();
    let total = observed as f64 + pseudo * levels;
    let mut shares = vec![0.0; row.len()];
    for (share, count) in shares.iter_mut().zip(row).skip(1) {
        *share = (*count as f64 + pseudo) / total;
    }
    shares
}

/// Counts of each distinct level pattern.
pub fn pattern_counts(levels: &[Levels]) -> Vec<(Levels, u64)> {
    let map = levels
        .par_iter()
        .fold(HashMap::new, |mut map: HashMap<Levels, u64>, pattern| {
            *map.entry(*pattern).or_default() += 1;
            map
        })
        .reduce(HashMap::new, |mut left, right| {
            for (pattern, count) in right {
                *left.entry(pattern).or_default() += count;
            }
            left
        });
    let mut patterns: Vec<(Levels, u64)> = map.into_iter().collect();
    patterns.sort_unstable();
    patterns
}

/// Natural logs of probability rows (floored, so a zero stays finite).
fn ln_rows(rows: &[Vec<f64>]) -> Vec<Vec<f64>> {
    rows.iter()
        .map(|row| row.iter().map(|p| p.max(1e-12).ln()).collect())
        .collect()
}

/// ln(P(pattern | match) / P(pattern | non-match)) over the compared levels.
fn pattern_log_ratio(pattern: &Levels, ln_m: &[Vec<f64>], ln_u: &[Vec<f64>]) -> f64 {
    pattern
        .iter()
        .enumerate()
        .filter(|(_, level)| **level != MISSING)
        .map(|(comparison, level)| {
            ln_m[comparison][*level as usize] - ln_u[comparison][*level as usize]
        })
        .sum()
}

/// EM for m and λ with u fixed. Returns (m, λ, iterations, converged).
pub fn estimate_m_and_prior(
    patterns: &[(Levels, u64)],
    u: &[Vec<f64>],
    start_m: &[Vec<f64>],
    start_prior: f64,
    config: &TrainingConfig,
) -> (Vec<Vec<f64>>, f64, u32, bool) {
    let total: u64 = patterns.iter().map(|(_, count)| count).sum();
    let mut m: Vec<Vec<f64>> = start_m.to_vec();
    let mut prior = start_prior.clamp(1e-6, 0.999);
    if total == 0 {
        return (m, prior, 0, true);
    }
    let ln_u = ln_rows(u);
    for iteration in 1..=config.max_iterations {
        let ln_m = ln_rows(&m);
        let log_odds = (prior / (1.0 - prior)).ln();
        let mut expected: Vec<Vec<f64>> = m.iter().map(|row| vec![0.0; row.len()]).collect();
        let mut matches = 0.0;
        for (pattern, count) in patterns {
            let log_ratio = pattern_log_ratio(pattern, &ln_m, &ln_u);
            let posterior = 1.0 / (1.0 + (-(log_odds + log_ratio)).exp());
            let weight = posterior * *count as f64;
            matches += weight;
            for (comparison, &level) in pattern.iter().enumerate() {
                expected[comparison][level as usize] += weight;
            }
        }
        let mut largest_change = 0.0f64;
        for (row, expected_row) in m.iter_mut().zip(&expected) {
            let levels = row.len().saturating_sub(1) as f64;
            let observed: f64 = expected_row.iter().skip(1).sum();
            // A small pseudo-count keeps a level never seen among matches from
            // getting an infinite negative weight.
            let pseudo = 0.5;
            for (level, cell) in row.iter_mut().enumerate().skip(1) {
                let next = (expected_row[level] + pseudo) / (observed + pseudo * levels);
                largest_change = largest_change.max((next - *cell).abs());
                *cell = next;
            }
        }
        let next_prior = (matches / total as f64).clamp(1e-6, 0.999);
        largest_change = largest_change.max((next_prior - prior).abs());
        prior = next_prior;
        if largest_change < config.tolerance {
            return (m, prior, iteration, true);
        }
    }
    (m, prior, config.max_iterations, false)
}

/// λ, the probability that two random records match, with m and u fixed:
/// the expected number of matches, Σ P(match | pattern) over the candidate
/// pairs, divided by the number of all pairs, iterated to its fixed point
/// (pairs no blocking rule generated count as non-matches).
///
/// Why not EM over the candidates alone: candidate pairs agree on the fields
/// they were blocked on by construction, so under u (estimated on random
/// pairs) they all look unlikely as non-matches, and EM would call most of
/// them matches. Over all pairs, u describes the non-matches correctly.
/// The iteration starts at its upper bound (every candidate a match) and
/// decreases monotonically to the largest fixed point.
fn estimate_prior(
    patterns: &[(Levels, u64)],
    u: &[Vec<f64>],
    m: &[Vec<f64>],
    all_pairs: f64,
    config: &TrainingConfig,
) -> (f64, u32, bool) {
    let candidates: f64 = patterns.iter().map(|(_, count)| *count as f64).sum();
    if candidates == 0.0 {
        return (MatchModel::default().prior.min(0.5), 0, true);
    }
    let (ln_m, ln_u) = (ln_rows(m), ln_rows(u));
    let log_ratios: Vec<(f64, f64)> = patterns
        .iter()
        .map(|(pattern, count)| (pattern_log_ratio(pattern, &ln_m, &ln_u), *count as f64))
        .collect();
    // At least one expected match in the whole data: weak evidence must not
    // drive λ to zero (which would stop all linking).
    let floor = (1.0 / all_pairs).clamp(1e-12, 0.5);
    let mut prior = (candidates / all_pairs).clamp(floor, 0.5);
    let iterations = config.max_iterations.max(1) * 5;
    for iteration in 1..=iterations {
        let log_odds = (prior / (1.0 - prior)).ln();
        let expected: f64 = log_ratios
            .iter()
            .map(|(log_ratio, count)| count / (1.0 + (-(log_odds + log_ratio)).exp()))
            .sum();
        let next = (expected / all_pairs).clamp(floor, 0.5);
        let change = (next - prior).abs() / prior;
        prior = next;
        if change < config.tolerance.max(1e-9) * 10.0 {
            return (prior, iteration, true);
        }
    }
    (prior, iterations, false)
}

/// Value counts of every term-frequency field.
pub fn term_frequencies(records: &[PreparedRecord]) -> HashMap<String, TermFrequencies> {
    COMPARISONS
        .par_iter()
        .filter_map(|comparison| {
            let slot = comparison.term_frequency?;
            let mut counts: HashMap<&str, u32> = HashMap::new();
            let mut total = 0u64;
            for record in records {
                let value = record.get(slot);
                if !value.is_empty() {
                    total += 1;
                    *counts.entry(value).or_default() += 1;
                }
            }
            let counts = counts
                .into_iter()
                .filter(|(_, count)| *count >= 2)
                .map(|(value, count)| (value.to_owned(), count))
                .collect();
            Some((
                comparison.name.to_owned(),
                TermFrequencies { total, counts },
            ))
        })
        .collect()
}

/// One EM session's outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionReport {
    pub rule: String,
    pub pairs: u64,
    pub patterns: u64,
    pub iterations: u32,
    pub converged: bool,
    pub prior: f64,
    /// Comparisons whose m this session learned.
    pub learned: Vec<String>,
}

/// Sessions with fewer candidate pairs than this are skipped.
const MIN_SESSION_PAIRS: usize = 200;

/// Runs one EM session per training rule and averages m per comparison.
fn learn_m(
    records: &[PreparedRecord],
    nicknames: &Nicknames,
    u: &[Vec<f64>],
    start_m: &[Vec<f64>],
    rules: &[BlockingRule],
    config: &TrainingConfig,
    max_block_size: usize,
) -> (Vec<Vec<f64>>, Vec<SessionReport>) {
    let mut sums: Vec<Vec<f64>> = start_m.iter().map(|row| vec![0.0; row.len()]).collect();
    let mut sessions_per_comparison = vec![0u32; COMPARISONS.len()];
    let mut reports = Vec::new();
    for rule in rules {
        let (mut pairs, _) = candidate_pairs(records, std::slice::from_ref(rule), max_block_size);
        if pairs.len() > config.max_pairs_per_rule && config.max_pairs_per_rule > 0 {
            let stride = pairs.len().div_ceil(config.max_pairs_per_rule);
            pairs = pairs.into_iter().step_by(stride).collect();
        }
        let covered = rule.covered_comparisons();
        let levels: Vec<Levels> = pairs
            .par_iter()
            .map(|pair| {
                let (a, b) = unpack(*pair);
                let mut levels = compare(&records[a as usize], &records[b as usize], nicknames);
                for comparison in &covered {
                    levels[*comparison] = MISSING;
                }
                levels
            })
            .collect();
        let patterns = pattern_counts(&levels);
        // Too few pairs teach nothing (a data set without e-mails has no
        // e-mail blocks): such a session must not pull the average of the
        // others back towards the starting values.
        if pairs.len() < MIN_SESSION_PAIRS {
            reports.push(SessionReport {
                rule: rule.name.clone(),
                pairs: pairs.len() as u64,
                patterns: patterns.len() as u64,
                ..SessionReport::default()
            });
            continue;
        }
        let (m, prior, iterations, converged) =
            estimate_m_and_prior(&patterns, u, start_m, 0.1, config);
        let mut learned = Vec::new();
        for (comparison, row) in m.into_iter().enumerate() {
            if covered.contains(&comparison) {
                continue;
            }
            sessions_per_comparison[comparison] += 1;
            learned.push(COMPARISONS[comparison].name.to_owned());
            for (sum, value) in sums[comparison].iter_mut().zip(row) {
                *sum += value;
            }
        }
        reports.push(SessionReport {
            rule: rule.name.clone(),
            pairs: pairs.len() as u64,
            patterns: patterns.len() as u64,
            iterations,
            converged,
            prior,
            learned,
        });
    }
    let m = sums
        .into_iter()
        .zip(sessions_per_comparison)
        .zip(start_m)
        .map(|((sum, sessions), start)| {
            if sessions == 0 {
                start.clone()
            } else {
                sum.into_iter()
                    .map(|value| value / f64::from(sessions))
                    .collect()
            }
        })
        .collect();
    (m, reports)
}

/// Trains a model on records and their candidate-pair levels.
pub fn train(
    records: &[PreparedRecord],
    candidate_levels: &[Levels],
    nicknames: &Nicknames,
    start: &MatchModel,
    config: &TrainingConfig,
    max_block_size: usize,
) -> Result<(MatchModel, TrainingReport), crate::MatchError> {
    let rules = config
        .em_rules
        .iter()
        .map(|rule| BlockingRule::parse(rule))
        .collect::<Result<Vec<_>, _>>()?;
    let (u, sampled) = estimate_u(records, nicknames, config.u_sample_pairs, config.seed);
    let mut model = start.clone();
    if sampled > 0 {
        for (parameters, row) in model.comparisons.iter_mut().zip(&u) {
            parameters.u.clone_from(row);
        }
    }
    let start_m: Vec<Vec<f64>> = model.comparisons.iter().map(|c| c.m.clone()).collect();
    let u_now: Vec<Vec<f64>> = model.comparisons.iter().map(|c| c.u.clone()).collect();
    let (m, sessions) = learn_m(
        records,
        nicknames,
        &u_now,
        &start_m,
        &rules,
        config,
        max_block_size,
    );
    let patterns = pattern_counts(candidate_levels);
    let n = records.len() as f64;
    let all_pairs = (n * (n - 1.0) / 2.0).max(1.0);
    let (prior, iterations, converged) = estimate_prior(&patterns, &u_now, &m, all_pairs, config);
    for (parameters, row) in model.comparisons.iter_mut().zip(m) {
        parameters.m = row;
    }
    let candidate_prior = if candidate_levels.is_empty() {
        0.0
    } else {
        prior * all_pairs / candidate_levels.len() as f64
    };
    model.prior = prior;
    // The start model's frequencies are replaced below and the estimate uses
    // unadjusted weights: drop them before the scorer copies the model.
    model.term_frequencies.clear();
    model.household_match_probability = {
        let scorer = Scorer::new(model.clone());
        estimate_household_probability(
            &patterns,
            scorer.level_weights(),
            scorer.prior_weight(),
            &model.comparisons[GIVEN_NAME].m,
        )
    };
    model.term_frequencies = term_frequencies(records);
    let report = TrainingReport {
        records: records.len() as u64,
        u_pairs_sampled: sampled,
        em_pairs: candidate_levels.len() as u64,
        em_patterns: patterns.len() as u64,
        em_iterations: iterations,
        converged,
        candidate_prior,
        prior: model.prior,
        household_match_probability: model.household_match_probability,
        sessions,
    };
    model.provenance = serde_json::json!({ "kind": "trained", "report": report });
    Ok((model, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prior_counts_expected_matches_over_all_pairs() {
        // One comparison: matches agree (m = 0.9), random pairs almost never
        // (u = 1e-7), as with an identifier.
        // 1,000 candidate pairs, 100 of them agreeing, out of 10^6 pairs.
        let mut agree = [MISSING; COMPARISONS.len()];
        agree[0] = 1;
        let mut differ = [MISSING; COMPARISONS.len()];
        differ[0] = 2;
        let patterns = vec![(agree, 100u64), (differ, 900u64)];
        let mut m = vec![vec![0.0]; COMPARISONS.len()];
        let mut u = vec![vec![0.0]; COMPARISONS.len()];
        m[0] = vec![0.0, 0.9, 0.1];
        u[0] = vec![0.0, 1e-7, 1.0 - 1e-7];
        let (prior, _, converged) =
            estimate_prior(&patterns, &u, &m, 1e6, &TrainingConfig::default());
        assert!(converged);
        // About 100 agreeing matches over 10^6 pairs: far below the share of
        // matches among the candidates (0.1).
        assert!((0.99e-4..1.01e-4).contains(&prior), "{prior}");
        // Evidence too weak to explain any match: one expected match at least.
        u[0] = vec![0.0, 0.01, 0.99];
        let (prior, _, _) = estimate_prior(&patterns, &u, &m, 1e6, &TrainingConfig::default());
        assert!((1e-6..1.1e-6).contains(&prior), "{prior}");
    }

    #[test]
    fn em_recovers_a_planted_mixture() {
        // One comparison that agrees for 90% of matches and 10% of others;
        // 20% of pairs are matches.
        let mut levels_a = [MISSING; COMPARISONS.len()];
        let mut levels_b = [MISSING; COMPARISONS.len()];
        levels_a[0] = 1; // agree on given name
        levels_b[0] = 8; // different
        levels_a[2] = 1; // agree on date
        levels_b[2] = 4;
        // Construct counts so that the two comparisons are independent given
        // the class: matches 200 (180 agree both…) — use the four combinations.
        let mut patterns = Vec::new();
        let combos = [
            (1u8, 1u8, 200.0 * 0.9 * 0.9 + 800.0 * 0.1 * 0.1),
            (1, 4, 200.0 * 0.9 * 0.1 + 800.0 * 0.1 * 0.9),
            (8, 1, 200.0 * 0.1 * 0.9 + 800.0 * 0.9 * 0.1),
            (8, 4, 200.0 * 0.1 * 0.1 + 800.0 * 0.9 * 0.9),
        ];
        for (given, date, count) in combos {
            let mut pattern = [MISSING; COMPARISONS.len()];
            pattern[0] = given;
            pattern[2] = date;
            patterns.push((pattern, (count * 100.0) as u64));
        }
        let _ = (levels_a, levels_b);
        let model = MatchModel::default();
        let mut u: Vec<Vec<f64>> = model.comparisons.iter().map(|c| c.u.clone()).collect();
        u[0] = vec![0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.9];
        u[2] = vec![0.0, 0.1, 0.0, 0.0, 0.9];
        let start: Vec<Vec<f64>> = model.comparisons.iter().map(|c| c.m.clone()).collect();
        let (m, prior, _, converged) =
            estimate_m_and_prior(&patterns, &u, &start, 0.5, &TrainingConfig::default());
        assert!(converged);
        assert!((prior - 0.2).abs() < 0.01, "prior {prior}");
        assert!((m[0][1] - 0.9).abs() < 0.01, "m {}", m[0][1]);
    }

    #[test]
    fn sampler_is_deterministic_and_uniform_enough() {
        let mut a = SplitMix(7);
        let mut b = SplitMix(7);
        let draws: Vec<u64> = (0..1000).map(|_| a.below(10)).collect();
        assert_eq!(draws, (0..1000).map(|_| b.below(10)).collect::<Vec<_>>());
        assert!((0..10).all(|value| draws.contains(&value)));
    }
}
