//! The CDNOW 1/10 sample against the published figures: the summaries of
//! Fader, Hardie & Lee (2005), their BG/NBD estimates, the Gamma-Gamma
//! estimates of Fader & Hardie (2013), and predictions printed in the
//! `lifetimes` documentation.
//!
//! The data set lives in the shared data directory, outside the crate; if it
//! is missing these tests fail rather than skip, so a broken checkout cannot
//! pass for a verified one.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;

use chrono::NaiveDate;

use crate::model::bgnbd::BgNbdParams;
use crate::model::bgnbd::fit::fit_bgnbd;
use crate::model::cdnow::{fit_cdnow, parse_cdnow};
use crate::model::clv::clv;
use crate::model::gamma_gamma::{GammaGammaParams, fit_gamma_gamma};
use crate::model::summary::{CustomerSummary, Transaction, summarize};

const TRANSACTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/CDNOW_sample.txt");
const SUMMARY_CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/cdnow_customers_summary.csv"
);

/// The end of the 39-week calibration period, inclusive.
fn calibration_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(1997, 9, 30).expect("valid date")
}

fn transactions() -> Vec<Transaction> {
    let file = File::open(TRANSACTIONS)
        .unwrap_or_else(|error| panic!("CDNOW data set missing at {TRANSACTIONS}: {error}"));
    parse_cdnow(BufReader::new(file)).expect("CDNOW_sample.txt parses")
}

/// Our summaries in weeks, keyed by the data set's customer index (the ID
/// column of the published summary).
fn summaries_by_index() -> HashMap<u32, CustomerSummary> {
    let text = std::fs::read_to_string(TRANSACTIONS)
        .unwrap_or_else(|error| panic!("CDNOW data set missing at {TRANSACTIONS}: {error}"));
    let index_of: HashMap<&str, u32> = text
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let id = fields.next()?;
            let index = fields.next()?.parse().ok()?;
            Some((id, index))
        })
        .collect();
    summarize(&transactions(), calibration_end(), 7.0)
        .expect("weeks are a valid period")
        .into_iter()
        .map(|(customer, summary)| (index_of[customer.as_str()], summary))
        .collect()
}

fn summaries() -> Vec<CustomerSummary> {
    let mut by_index: Vec<(u32, CustomerSummary)> = summaries_by_index().into_iter().collect();
    by_index.sort_by_key(|(index, _)| *index);
    by_index.into_iter().map(|(_, summary)| summary).collect()
}

/// The published summary: (ID, x, t_x, T), rounded to two decimals.
fn published_summary() -> Vec<(u32, CustomerSummary)> {
    let text = std::fs::read_to_string(SUMMARY_CSV)
        .unwrap_or_else(|error| panic!("CDNOW summary missing at {SUMMARY_CSV}: {error}"));
    text.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<f64> = line
                .split(',')
                .map(|field| field.parse().expect("numeric CSV field"))
                .collect();
            let summary = CustomerSummary {
                frequency: fields[1],
                recency: fields[2],
                age: fields[3],
                monetary: 0.0,
            };
            (fields[0] as u32, summary)
        })
        .collect()
}

fn assert_near(name: &str, actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{name}: {actual} is not within {tolerance} of {expected}"
    );
}

#[test]
fn summaries_match_the_published_ones() {
    let ours = summaries_by_index();
    let published = published_summary();
    assert_eq!(ours.len(), 2_357);
    assert_eq!(published.len(), 2_357);
    for (index, expected) in published {
        let actual = ours[&index];
        assert_eq!(actual.frequency, expected.frequency, "customer {index}");
        // The CSV is rounded to two decimals.
        assert_near("recency", actual.recency, expected.recency, 0.005 + 1e-9);
        assert_near("T", actual.age, expected.age, 0.005 + 1e-9);
    }
}

#[test]
fn bgnbd_reproduces_the_published_estimates() {
    let fit = fit_bgnbd(&summaries()).expect("fit");
    println!("BG/NBD on transactions: {fit:?}");
    assert!(fit.converged);
    // Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426,
    // LL = −9582.4.
    assert_near("r", fit.params.r, 0.243, 0.005);
    assert_near("alpha", fit.params.alpha, 4.414, 0.005);
    assert_near("a", fit.params.a, 0.793, 0.005);
    assert_near("b", fit.params.b, 2.426, 0.005);
    assert_near("log-likelihood", fit.log_likelihood, -9_582.4, 0.05);
}

#[test]
fn bgnbd_on_the_published_summary_matches_lifetimes() {
    let published: Vec<CustomerSummary> = published_summary().into_iter().map(|(_, s)| s).collect();
    let fit = fit_bgnbd(&published).expect("fit");
    println!("BG/NBD on the published summary: {fit:?}");
    assert!(fit.converged);
    // lifetimes' BetaGeoFitter on this file (its documented summary table):
    // r = 0.242593, α = 4.413532, a = 0.792886, b = 2.425752.
    assert_near("r", fit.params.r, 0.242_593, 2e-6);
    assert_near("alpha", fit.params.alpha, 4.413_532, 2e-6);
    assert_near("a", fit.params.a, 0.792_886, 2e-6);
    assert_near("b", fit.params.b, 2.425_752, 2e-6);

    // The top of lifetimes' "ranking customers from best to worst": purchases
    // expected next week (t = 1) for customers 509, 841, 1981, 157 and 1516.
    let expected_next_week = [
        ((18.0, 35.14, 35.86), 0.424_877),
        ((19.0, 34.00, 34.14), 0.474_738),
        ((17.0, 28.43, 28.86), 0.486_526),
        ((29.0, 37.71, 38.00), 0.662_396),
        ((26.0, 30.86, 31.00), 0.710_623),
    ];
    for ((x, t_x, age), expected) in expected_next_week {
        let predicted = fit.params.expected_purchases(1.0, x, t_x, age);
        assert_near("predicted purchases", predicted, expected, 2e-6);
    }
}

#[test]
fn gamma_gamma_reproduces_the_published_estimates() {
    let customers = summaries();
    let fit = fit_gamma_gamma(&customers).expect("fit");
    println!("Gamma-Gamma: {fit:?}");
    assert!(fit.converged);
    assert_eq!(fit.customers, 946.0);
    // Fader & Hardie (2013): p = 6.25, q = 3.74, γ = 15.44.
    assert_near("p", fit.params.p, 6.25, 0.005);
    assert_near("q", fit.params.q, 3.74, 0.005);
    assert_near("v", fit.params.v, 15.44, 0.01);
}

#[test]
fn clv_matches_lifetimes_documentation() {
    // lifetimes' CLV example with its fitted parameters: 12 steps of "30
    // periods" (its freq='D' default applied to weekly data, so 360 weeks),
    // 1 % discount per step. Gamma-Gamma parameters as lifetimes fits them
    // on its copy of the data (monetary values rounded to cents).
    let bgnbd = BgNbdParams {
        r: 0.242_593,
        alpha: 4.413_532,
        a: 0.792_886,
        b: 2.425_752,
    };
    let gamma_gamma = GammaGammaParams {
        p: 6.2488,
        q: 3.7445,
        v: 15.4474,
    };
    let cases = [
        // Customer 1: x = 2, t_x = 30.43, T = 38.86, m_x = 22.35.
        ((2.0, 30.43, 38.86, 22.35), 24.658_619, 140.096_211),
        // Customer 6: x = 7, t_x = 29.43, T = 38.86, m_x = 73.74.
        ((7.0, 29.43, 38.86, 73.74), 71.462_843, 1_003.868_107),
    ];
    for ((frequency, recency, age, monetary), expected_profit, expected_clv) in cases {
        let customer = CustomerSummary {
            frequency,
            recency,
            age,
            monetary,
        };
        let profit = gamma_gamma.conditional_expected_average_profit(frequency, monetary);
        assert_near("profit", profit / expected_profit, 1.0, 1e-5);
        let value = clv(&bgnbd, &gamma_gamma, &customer, 360.0, 12, 0.01);
        assert_near("clv", value / expected_clv, 1.0, 1e-5);
    }
}

#[test]
fn fit_cdnow_reports_every_parameter_as_json() {
    let report = fit_cdnow(&transactions(), calibration_end()).expect("fit");
    let json = serde_json::to_string(&report).expect("serializable");
    println!("{json}");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_near("r", value["r"].as_f64().unwrap_or_default(), 0.243, 0.005);
    assert_near("v", value["v"].as_f64().unwrap_or_default(), 15.44, 0.01);
    assert_eq!(value["customers"], 2_357);
    assert_eq!(value["repeat_customers"], 946);
    assert!(report.converged);
}
