//! Portfolio metrics for a period `(start, end]`: customers by stage, new /
//! retained / churned counts and the churn rate, NPS and CSAT, revenue,
//! average CLV, and customer equity with every term.
//!
//! Definitions (a "customer" has at least one purchase):
//! - at start: first purchase at or before `start`, not churned at `start`;
//! - new: first purchase within the period;
//! - churned: a customer at start who is churned at `end`; retained: the
//!   other customers at start. Churn rate = churned / customers at start;
//! - churned is the domain definition (no purchase within the churn window,
//!   or a cancelled subscription), independent of configured stage rules;
//! - revenue of new and retained customers is their net revenue within the
//!   period; the "average revenue of a churned customer" is what the churned
//!   brought in the period of the same length before (the revenue lost);
//! - NPS and CSAT count every response within the period;
//! - average CLV is over customers not churned at `end`;
//! - equity = (new × avg revenue new − acquisition costs) + (retained × avg
//!   revenue retained − service costs) − churned × avg revenue churned;
//!   acquisition cost is per new customer, service cost per retained
//!   customer per 30 days, scaled to the period. Averages are whole minor
//!   units, rounded toward zero.

use std::collections::BTreeMap;

use c360_model::ActivityKind;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::context::PortfolioContext;
use crate::engine::{CustomerEvents, Lifecycle, churned};
use crate::event::{Micros, plus_days};
use crate::facts::Replay;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerEquity {
    pub average_revenue_new: i64,
    pub acquisition_costs: i64,
    pub new_term: i64,
    pub average_revenue_retained: i64,
    pub service_costs: i64,
    pub retained_term: i64,
    pub average_revenue_churned: i64,
    pub churned_term: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PortfolioMetrics {
    pub period_start: Micros,
    pub period_end: Micros,
    pub currency: String,
    /// Golden records with at least one purchase by the end.
    pub customers: i64,
    /// Every golden record by its stage at the end.
    pub customers_by_stage: BTreeMap<String, i64>,
    pub customers_at_start: i64,
    pub new_customers: i64,
    pub retained_customers: i64,
    pub churned_customers: i64,
    pub churn_rate: f64,
    pub nps: Option<f64>,
    pub csat_percent: Option<f64>,
    pub revenue: i64,
    pub average_clv: i64,
    pub equity: CustomerEquity,
}

/// Per-customer contributions, summed over the portfolio.
#[derive(Debug, Clone, Default)]
struct Tally {
    customers: i64,
    by_stage: BTreeMap<String, i64>,
    at_start: i64,
    new: i64,
    retained: i64,
    churned: i64,
    revenue: i64,
    revenue_new: i64,
    revenue_retained: i64,
    revenue_churned_before: i64,
    promoters: i64,
    detractors: i64,
    nps_responses: i64,
    csat_satisfied: i64,
    csat_rated: i64,
    clv_total: i64,
    clv_customers: i64,
}

impl Tally {
    fn merge(mut self, other: Self) -> Self {
        self.customers += other.customers;
        for (stage, count) in other.by_stage {
            *self.by_stage.entry(stage).or_default() += count;
        }
        self.at_start += other.at_start;
        self.new += other.new;
        self.retained += other.retained;
        self.churned += other.churned;
        self.revenue += other.revenue;
        self.revenue_new += other.revenue_new;
        self.revenue_retained += other.revenue_retained;
        self.revenue_churned_before += other.revenue_churned_before;
        self.promoters += other.promoters;
        self.detractors += other.detractors;
        self.nps_responses += other.nps_responses;
        self.csat_satisfied += other.csat_satisfied;
        self.csat_rated += other.csat_rated;
        self.clv_total += other.clv_total;
        self.clv_customers += other.clv_customers;
        self
    }
}

impl Lifecycle {
    /// The portfolio over `(start, end]`; `context` gives the model and
    /// breakpoints the stages and CLV at `end` are computed with.
    pub fn portfolio(
        &self,
        context: &PortfolioContext,
        customers: &[CustomerEvents],
        start: Micros,
        end: Micros,
    ) -> PortfolioMetrics {
        let window = self.config().churn_window_days;
        let length_days = crate::event::days_between(start, end);
        let before_start = plus_days(start, -length_days);
        let tally = customers
            .par_iter()
            .map(|customer| {
                let mut tally = Tally::default();
                let result = self.customer(context, customer, end);
                *tally
                    .by_stage
                    .entry(result.metrics.stage.as_str().to_owned())
                    .or_default() += 1;

                let mut replay = Replay::new(&customer.events, self.config().recent_window_days);
                replay.advance_to(before_start);
                let revenue_before_previous = replay.facts().revenue();
                replay.advance_to(start);
                let facts_start = replay.facts().clone();
                replay.advance_to(end);
                let facts_end = replay.facts();
                let revenue_in_period = facts_end.revenue() - facts_start.revenue();
                tally.revenue += revenue_in_period;

                if facts_end.is_customer() {
                    tally.customers += 1;
                    if !result.metrics.churned {
                        tally.clv_total += result.metrics.predicted_clv;
                        tally.clv_customers += 1;
                    }
                }
                let was_customer = facts_start.is_customer();
                if was_customer && !churned(&facts_start, start, window) {
                    tally.at_start += 1;
                    if churned(facts_end, end, window) {
                        tally.churned += 1;
                        tally.revenue_churned_before +=
                            facts_start.revenue() - revenue_before_previous;
                    } else {
                        tally.retained += 1;
                        tally.revenue_retained += revenue_in_period;
                    }
                } else if !was_customer && facts_end.is_customer() {
                    tally.new += 1;
                    tally.revenue_new += revenue_in_period;
                }

                for event in customer
                    .events
                    .iter()
                    .filter(|event| event.at > start && event.at <= end)
                {
                    let Some(score) = event.score else { continue };
                    match event.kind {
                        ActivityKind::NpsResponse => {
                            tally.nps_responses += 1;
                            match score {
                                9.. => tally.promoters += 1,
                                0..=6 => tally.detractors += 1,
                                _ => {}
                            }
                        }
                        ActivityKind::CsatRating => {
                            tally.csat_rated += 1;
                            if score >= 4 {
                                tally.csat_satisfied += 1;
                            }
                        }
                        _ => {}
                    }
                }
                tally
            })
            .reduce(Tally::default, Tally::merge);

        let costs = &self.config().costs;
        let minor = self.minor_per_major();
        let average = |total: i64, count: i64| if count > 0 { total / count } else { 0 };
        let acquisition_costs =
            (tally.new as f64 * costs.acquisition_per_new_customer * minor).round() as i64;
        let service_costs = (tally.retained as f64
            * costs.service_per_retained_customer_month
            * (length_days / 30.0)
            * minor)
            .round() as i64;
        let average_revenue_new = average(tally.revenue_new, tally.new);
        let average_revenue_retained = average(tally.revenue_retained, tally.retained);
        let average_revenue_churned = average(tally.revenue_churned_before, tally.churned);
        let new_term = tally.new * average_revenue_new - acquisition_costs;
        let retained_term = tally.retained * average_revenue_retained - service_costs;
        let churned_term = tally.churned * average_revenue_churned;
        PortfolioMetrics {
            period_start: start,
            period_end: end,
            currency: self.config().reporting_currency.clone(),
            customers: tally.customers,
            customers_by_stage: tally.by_stage,
            customers_at_start: tally.at_start,
            new_customers: tally.new,
            retained_customers: tally.retained,
            churned_customers: tally.churned,
            churn_rate: if tally.at_start > 0 {
                tally.churned as f64 / tally.at_start as f64
            } else {
                0.0
            },
            nps: (tally.nps_responses > 0).then(|| {
                100.0 * (tally.promoters - tally.detractors) as f64 / tally.nps_responses as f64
            }),
            csat_percent: (tally.csat_rated > 0)
                .then(|| 100.0 * tally.csat_satisfied as f64 / tally.csat_rated as f64),
            revenue: tally.revenue,
            average_clv: average(tally.clv_total, tally.clv_customers),
            equity: CustomerEquity {
                average_revenue_new,
                acquisition_costs,
                new_term,
                average_revenue_retained,
                service_costs,
                retained_term,
                average_revenue_churned,
                churned_term,
                total: new_term + retained_term - churned_term,
            },
        }
    }
}
