//! Customer-base ("buy till you die") models for the c360 hub: who is still
//! a customer, how many purchases to expect from them, what they are worth.
//!
//! A pure library — no I/O beyond reading a caller's `BufRead`, no async —
//! so every figure can be checked against the published ones in a unit test.
//! The pipeline:
//!
//! 1. [`model::summary`]: transactions → per-customer frequency, recency,
//!    age and average spend (the `lifetimes` definitions);
//!    [`model::cdnow`] reads the CDNOW benchmark data set.
//! 2. [`model::rows`]: identical customers collapsed into weighted rows, so
//!    a million customers fit in seconds.
//! 3. [`model::bgnbd`]: the BG/NBD purchase and drop-out model — likelihood,
//!    maximum-likelihood fit, P(alive), expected purchases.
//! 4. [`model::gamma_gamma`]: the Gamma-Gamma model of spend per purchase.
//! 5. [`model::clv`]: both combined into a discounted lifetime value;
//!    [`model::report`] fits both models at once for the CLI.
//!
//! Underneath: [`model::special`] (ln Γ, ln B, ₂F₁) and
//! [`model::optimize`] (Nelder–Mead over log-parameters).
//!
//! ```no_run
//! use c360_lifecycle::{CustomerSummary, clv, fit_cdnow, parse_cdnow};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let file = std::io::BufReader::new(std::fs::File::open("CDNOW_sample.txt")?);
//! let transactions = parse_cdnow(file)?;
//! let calibration_end = chrono::NaiveDate::from_ymd_opt(1997, 9, 30).ok_or("bad date")?;
//! let report = fit_cdnow(&transactions, calibration_end)?;
//! println!("{}", serde_json::to_string(&report)?);
//!
//! // A customer with 2 repeat purchases, the last 30.43 weeks after the
//! // first, watched for 38.86 weeks, spending 22.35 per repeat purchase.
//! let customer = CustomerSummary { frequency: 2.0, recency: 30.43, age: 38.86, monetary: 22.35 };
//! let next_year = report.bgnbd.expected_purchases(52.0, 2.0, 30.43, 38.86);
//! let value = clv(&report.bgnbd, &report.gamma_gamma, &customer, 52.0, 12, 0.01);
//! println!("{next_year:.2} purchases, worth {value:.2} over the next year");
//! # Ok(()) }
//! ```

pub mod alerts;
pub mod config;
pub mod context;
pub mod customer;
pub mod engine;
pub mod error;
pub mod event;
pub mod facts;
pub mod fx;
pub mod health;
pub mod model;
pub mod portfolio;
pub mod rfm;
pub mod rules;
pub mod segments;
pub mod stage;

pub use alerts::{Alert, AlertKind, AlertRule};
pub use config::LifecycleConfig;
pub use context::{FittedModel, PortfolioContext};
pub use customer::{CustomerMetrics, NpsCategory};
pub use engine::{CustomerEvents, CustomerResult, Lifecycle, Recomputed};
pub use error::LifecycleError;
pub use event::{Event, Micros};
pub use fx::FxTable;
pub use model::bgnbd::BgNbdParams;
pub use model::bgnbd::fit::{BgNbdFit, fit_bgnbd, fit_bgnbd_weighted, fit_bgnbd_with};
pub use model::cdnow::{fit_cdnow, parse_cdnow};
pub use model::clv::clv;
pub use model::gamma_gamma::{
    GammaGammaFit, GammaGammaParams, fit_gamma_gamma, fit_gamma_gamma_weighted,
    fit_gamma_gamma_with,
};
pub use model::optimize::FitOptions;
pub use model::report::{FitReport, fit_report};
pub use model::rows::{BgNbdRow, SpendRow, bgnbd_rows, spend_rows};
pub use model::summary::{CustomerSummary, Transaction, summarize};
pub use portfolio::{CustomerEquity, PortfolioMetrics};
pub use stage::{Stage, StageRule, StageTransition};
