//! `c360 metrics`: recompute every customer's lifecycle metrics
//! (`--recompute`), or print the portfolio's (or one customer's) as JSON.

use anyhow::Context;
use chrono::{NaiveDate, NaiveTime};
use serde_json::json;

use crate::cli::MetricsArgs;
use crate::settings::Settings;

/// The end of `date` (UTC) in microseconds: "as of 2026-03-31" includes that day.
fn end_of_day(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN)
        .and_utc()
        .timestamp_micros()
        .saturating_add(86_400_000_000 - 1)
}

pub async fn run(settings: Settings, args: MetricsArgs) -> anyhow::Result<()> {
    let hub = super::open_hub(&settings).await?;
    let as_of = args.as_of.map(end_of_day);
    if args.recompute {
        println!("recomputing the lifecycle metrics of every customer …");
        let report = hub
            .recompute_metrics()
            .await
            .context("the recomputation failed")?;
        println!(
            "{} customers ({} with activities, {} activities) in {:.2} s",
            report.customers, report.stored, report.activities, report.seconds
        );
        match &report.model {
            Some(model) => {
                println!(
                    "BG/NBD on {} customers ({} repeat): r {:.4}, alpha {:.4}, a {:.4}, b {:.4} (periods of {} days)",
                    model.customers,
                    model.repeat_customers,
                    model.bgnbd.r,
                    model.bgnbd.alpha,
                    model.bgnbd.a,
                    model.bgnbd.b,
                    model.period_days
                );
                if let Some(spend) = &model.gamma_gamma {
                    println!(
                        "Gamma-Gamma: p {:.4}, q {:.4}, v {:.4}",
                        spend.p, spend.q, spend.v
                    );
                }
            }
            None => println!("no customer-base model fitted"),
        }
        if let Some(note) = &report.model_note {
            println!("note: {note}");
        }
        println!(
            "{}",
            json!({
                "customers": report.customers,
                "stored": report.stored,
                "activities": report.activities,
                "seconds": report.seconds,
                "model": report.model,
                "model_note": report.model_note,
            })
        );
        return Ok(());
    }
    if let Some(customer) = &args.customer {
        let view = hub
            .customer_metrics(customer, as_of)
            .await
            .with_context(|| format!("no metrics for {customer}"))?;
        println!("{}", serde_json::to_string_pretty(&view.metrics)?);
        return Ok(());
    }
    let portfolio = hub
        .portfolio_metrics(as_of, &args.period)
        .await
        .context("the portfolio metrics failed")?;
    println!("{}", serde_json::to_string_pretty(&portfolio)?);
    Ok(())
}
