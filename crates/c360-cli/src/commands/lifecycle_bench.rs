//! `c360 bench lifecycle`: lifecycle metrics for a whole portfolio, in
//! memory, with no database in the way.
//!
//! Generates `--customers` customers with about `--activities` activities
//! in total over two years ending at a fixed `as_of`, deterministically (the
//! same flags give the same customers on every machine), then times:
//!
//! 1. `fit_context`: the BG/NBD and Gamma-Gamma fit and the RFM breakpoints;
//! 2. `recompute_all`: every customer's metrics, replayed stage history, CLV
//!    and segments (it fits the model again: what a nightly run does);
//! 3. `portfolio`: the portfolio metrics of the last 90 days;
//! 4. the total of 2 and 3 — the issue's target: under 30 s for 1,000,000
//!    customers with 10,000,000 activities.
//!
//! Each step prints one line (seconds, customers/s, peak RSS), and the run
//! ends with one JSON line.
//!
//! The customers behave as the models assume, with noise around it: a
//! gamma-distributed purchase rate and a geometric drop-out after each
//! purchase (BG/NBD), order amounts gamma-distributed around a per-customer
//! mean (Gamma-Gamma), refunds now and then, monthly subscriptions for some,
//! tickets opened and solved in pairs with CSAT answers, NPS surveys and
//! newsletter opens and clicks. Some never buy (leads).

use std::time::Instant;

use c360_lifecycle::event::MICROS_PER_DAY;
use c360_lifecycle::{CustomerEvents, Event, Lifecycle, LifecycleConfig, Micros};
use c360_model::ActivityKind;
use rayon::prelude::*;

use super::match_bench::{peak_memory_mib, reset_peak_memory};
use crate::cli::BenchArgs;

/// The generated history ends here (2026-12-01T00:00:00Z): a fixed date, so
/// that runs on different days measure the same data.
const AS_OF: Micros = 1_796_083_200_000_000;
/// How far back the generated histories start.
const WINDOW_DAYS: f64 = 730.0;
/// The portfolio period measured: the last 90 days.
const PERIOD_DAYS: f64 = 90.0;
/// Customers generated to calibrate the activity level (see [`calibrate`]).
const PILOT_CUSTOMERS: usize = 20_000;
const SEED: u64 = 0x00c3_6017_fec7_c1e5;
const PLANS: [(&str, i64); 3] = [("basic", 900), ("pro", 2_900), ("team", 9_900)];

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let customer_count = args.customers.max(1);
    let lifecycle =
        Lifecycle::new(LifecycleConfig::default()).map_err(|error| anyhow::anyhow!("{error}"))?;
    println!(
        "c360 bench lifecycle on {} cores: {customer_count} customers, about {} activities, as of 2026-12-01",
        rayon::current_num_threads(),
        args.activities
    );

    reset_peak_memory();
    let started = Instant::now();
    let level = calibrate(customer_count, args.activities);
    let customers: Vec<CustomerEvents> = (0..customer_count)
        .into_par_iter()
        .map(|index| generate_customer(index, level))
        .collect();
    let activities: usize = customers.iter().map(|customer| customer.events.len()).sum();
    let generated = Step::finish("generate", started, customer_count);
    println!(
        "generated {activities} activities ({:.1} per customer, activity level {level:.3}) in {:.2} s, peak RSS {:.0} MiB",
        activities as f64 / customer_count as f64,
        generated.seconds,
        generated.peak_mib
    );

    reset_peak_memory();
    let started = Instant::now();
    let (context, note) = lifecycle.fit_context(&customers, AS_OF);
    let fit = Step::finish(
        "fit_context (model fit + RFM breaks)",
        started,
        customer_count,
    );
    fit.print();
    println!(
        "  fitted on {} customers ({} repeat); RFM breakpoints over {} active customers{}",
        context.model.as_ref().map_or(0, |model| model.customers),
        context
            .model
            .as_ref()
            .map_or(0, |model| model.repeat_customers),
        context.rfm.as_ref().map_or(0, |rfm| rfm.customers),
        note.map_or_else(String::new, |note| format!("; note: {note}"))
    );

    reset_peak_memory();
    let started = Instant::now();
    let recomputed = lifecycle.recompute_all(&customers, AS_OF);
    let recompute = Step::finish(
        "recompute_all (metrics, stages, CLV, segments)",
        started,
        customer_count,
    );
    recompute.print();

    reset_peak_memory();
    let started = Instant::now();
    let period_start = AS_OF - (PERIOD_DAYS * MICROS_PER_DAY) as Micros;
    let portfolio = lifecycle.portfolio(&recomputed.context, &customers, period_start, AS_OF);
    let portfolio_step = Step::finish("portfolio (last 90 days)", started, customer_count);
    portfolio_step.print();

    let total = Step {
        label: "total: recompute_all + portfolio",
        seconds: recompute.seconds + portfolio_step.seconds,
        customers: customer_count,
        peak_mib: recompute.peak_mib.max(portfolio_step.peak_mib),
    };
    total.print();

    let model = recomputed.context.model.as_ref();
    match model {
        Some(model) => {
            let gamma_gamma = model.gamma_gamma.map_or_else(
                || "no spend model".to_owned(),
                |params| format!("p {:.3}, q {:.3}, v {:.3}", params.p, params.q, params.v),
            );
            println!(
                "model: BG/NBD r {:.3}, alpha {:.3}, a {:.3}, b {:.3} (weeks); Gamma-Gamma {gamma_gamma}; {} customers, {} repeat",
                model.bgnbd.r,
                model.bgnbd.alpha,
                model.bgnbd.a,
                model.bgnbd.b,
                model.customers,
                model.repeat_customers
            );
        }
        None => println!(
            "model: not fitted ({})",
            recomputed
                .model_note
                .as_deref()
                .unwrap_or("no reason given")
        ),
    }
    let stages: Vec<String> = portfolio
        .customers_by_stage
        .iter()
        .map(|(stage, count)| format!("{stage} {count}"))
        .collect();
    println!(
        "portfolio: {} customers; {} at start, {} new, {} retained, {} churned (churn rate {:.3}); NPS {}, CSAT {}; stages: {}",
        portfolio.customers,
        portfolio.customers_at_start,
        portfolio.new_customers,
        portfolio.retained_customers,
        portfolio.churned_customers,
        portfolio.churn_rate,
        portfolio
            .nps
            .map_or_else(|| "-".to_owned(), |nps| format!("{nps:.1}")),
        portfolio
            .csat_percent
            .map_or_else(|| "-".to_owned(), |csat| format!("{csat:.1} %")),
        stages.join(", ")
    );

    let parameters = model.map(|model| {
        serde_json::json!({
            "r": model.bgnbd.r,
            "alpha": model.bgnbd.alpha,
            "a": model.bgnbd.a,
            "b": model.bgnbd.b,
            "p": model.gamma_gamma.map(|params| params.p),
            "q": model.gamma_gamma.map(|params| params.q),
            "v": model.gamma_gamma.map(|params| params.v),
        })
    });
    let json = serde_json::json!({
        "bench": "lifecycle",
        "customers": customer_count,
        "activities": activities,
        "generate_seconds": round3(generated.seconds),
        "fit_context_seconds": round3(fit.seconds),
        "recompute_all_seconds": round3(recompute.seconds),
        "portfolio_seconds": round3(portfolio_step.seconds),
        "total_seconds": round3(total.seconds),
        "customers_per_second": total.rate().round(),
        "peak_rss_mib": total.peak_mib.round(),
        "model": parameters,
        "churn_rate": portfolio.churn_rate,
    });
    println!("{json}");
    Ok(())
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// One timed step.
struct Step {
    label: &'static str,
    seconds: f64,
    customers: usize,
    peak_mib: f64,
}

impl Step {
    fn finish(label: &'static str, started: Instant, customers: usize) -> Self {
        Self {
            label,
            seconds: started.elapsed().as_secs_f64(),
            customers,
            peak_mib: peak_memory_mib(),
        }
    }

    fn rate(&self) -> f64 {
        self.customers as f64 / self.seconds.max(1e-9)
    }

    fn print(&self) {
        println!(
            "{:<48} {:>8.2} s {:>10.0} customers/s  peak RSS {:>7.0} MiB",
            self.label,
            self.seconds,
            self.rate(),
            self.peak_mib
        );
    }
}

/// The activity level (a factor on every rate) that makes the customers
/// average `activities / customers` activities: measured on the first
/// customers at level 1, then once more at the corrected level, because
/// drop-out and the end of the window make the count grow less than
/// linearly.
fn calibrate(customers: usize, activities: usize) -> f64 {
    let wanted = activities as f64 / customers as f64;
    let pilot = customers.min(PILOT_CUSTOMERS);
    let mean_at = |level: f64| {
        let total: usize = (0..pilot)
            .into_par_iter()
            .map(|index| generate_customer(index, level).events.len())
            .sum();
        total as f64 / pilot as f64
    };
    let mut level = 1.0;
    for _ in 0..2 {
        let mean = mean_at(level);
        if mean <= 0.0 {
            break;
        }
        level = (level * wanted / mean).clamp(0.01, 100.0);
    }
    level
}

/// Customer `index`'s history; the same index and level always give the
/// same history (each customer has its own random stream, so customers can
/// be generated in parallel and in any order).
fn generate_customer(index: usize, level: f64) -> CustomerEvents {
    let mut random = Random::seeded(SEED ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut history = History::default();
    // Days from the start of the window; the record is created somewhere in
    // it, so the base has customers of every age.
    let born = random.uniform() * WINDOW_DAYS;
    // A latent satisfaction shared by CSAT and NPS answers: unhappy
    // customers answer low on both.
    let mood = random.normal();

    // One in seven never buys: a lead from a newsletter sign-up or a
    // support question.
    let first_purchase = born + random.exponential(10.0);
    if random.chance(6.0 / 7.0) && first_purchase < WINDOW_DAYS {
        if random.chance(0.12) {
            subscribe(&mut random, &mut history, first_purchase);
        } else {
            shop(&mut random, &mut history, first_purchase, level);
        }
    }
    support(&mut random, &mut history, index, born, level, mood);
    surveys(&mut random, &mut history, born, level, mood);
    newsletters(&mut random, &mut history, born, level);

    let mut events = history.events;
    // Stable: a refund generated at the same instant as its order stays after it.
    events.sort_by_key(|event| event.at);
    CustomerEvents {
        golden_id: format!("g{index:08}"),
        known_since: Some(at(born)),
        events,
    }
}

fn at(day: f64) -> Micros {
    AS_OF - ((WINDOW_DAYS - day) * MICROS_PER_DAY) as Micros
}

/// Events of one customer as they are generated (in no particular order).
#[derive(Default)]
struct History {
    events: Vec<Event>,
}

impl History {
    /// Adds `event` if it happened before `as_of` (the window's end).
    fn push(&mut self, day: f64, make: impl FnOnce(Micros) -> Event) {
        if day < WINDOW_DAYS {
            self.events.push(make(at(day)));
        }
    }
}

/// Orders as BG/NBD sees them: Poisson purchases at a gamma-distributed
/// rate, and after each purchase a chance (beta-distributed across
/// customers) to leave for good. Amounts are Gamma-Gamma: each order gamma
/// around the customer's own mean, the means gamma across customers.
fn shop(random: &mut Random, history: &mut History, first: f64, level: f64) {
    // r = 0.8, α = 5 weeks: a mean rate of one purchase in 6 weeks, most
    // customers far below, a few far above.
    let rate_per_day = random.gamma(0.8) / 5.0 / 7.0 * level;
    let drop_out = random.beta(0.8, 3.0);
    // p = 6, q = 4, γ = 15: about 30.00 per order on average.
    let spend_scale = random.gamma(4.0) / 15.0;
    let mut day = first;
    while day < WINDOW_DAYS {
        let amount = ((random.gamma(6.0) / spend_scale) * 100.0).round().max(1.0) as i64;
        history.push(day, |time| {
            Event::new(time, ActivityKind::Order).with_amount(amount)
        });
        // About one order in 25 is refunded, in full or in part, within
        // three weeks.
        if random.chance(0.04) {
            let refunded = if random.chance(0.6) {
                amount
            } else {
                (amount as f64 * random.uniform()).round().max(1.0) as i64
            };
            history.push(day + 1.0 + random.uniform() * 20.0, |time| {
                Event::new(time, ActivityKind::Refund).with_amount(refunded)
            });
        }
        if random.chance(drop_out) || rate_per_day <= 0.0 {
            return;
        }
        day += random.exponential(1.0 / rate_per_day);
    }
}

/// A monthly plan paid by invoice until cancelled (each customer has their
/// own monthly chance to cancel, 2–8 %).
fn subscribe(random: &mut Random, history: &mut History, first: f64) {
    let (plan, price) = PLANS[random.below(PLANS.len() as u64) as usize];
    let monthly_cancel = 0.02 + 0.06 * random.uniform();
    let mut day = first;
    history.push(day, |time| {
        Event::new(time, ActivityKind::SubscriptionStarted).with_label(plan)
    });
    while day < WINDOW_DAYS {
        history.push(day, |time| {
            Event::new(time, ActivityKind::InvoicePaid).with_amount(price)
        });
        if random.chance(monthly_cancel) {
            history.push(day + 29.0, |time| {
                Event::new(time, ActivityKind::SubscriptionCancelled).with_label(plan)
            });
            return;
        }
        day += 30.0;
    }
}

/// Tickets at a customer-specific rate (most customers never write, a few
/// write often), each solved after hours to days, some never; a CSAT answer
/// to some solved ones, lower from unhappy customers and slow solutions.
fn support(
    random: &mut Random,
    history: &mut History,
    index: usize,
    born: f64,
    level: f64,
    mood: f64,
) {
    let rate_per_day = random.gamma(0.4) * 1.5 / 365.0 * level;
    if rate_per_day <= 0.0 {
        return;
    }
    let mut day = born + random.exponential(1.0 / rate_per_day);
    let mut ticket = 0;
    while day < WINDOW_DAYS {
        ticket += 1;
        let reference = format!("t{index}-{ticket}");
        history.push(day, |time| {
            Event::new(time, ActivityKind::TicketOpened).with_reference(&reference)
        });
        if random.chance(0.93) {
            let hours = random.exponential(30.0);
            let solved = day + hours / 24.0;
            history.push(solved, |time| {
                Event::new(time, ActivityKind::TicketSolved).with_reference(&reference)
            });
            if random.chance(0.35) {
                let score = (4.3 + 0.9 * mood - hours / 72.0 + 0.6 * random.normal())
                    .round()
                    .clamp(1.0, 5.0) as i32;
                history.push(solved + random.uniform(), |time| {
                    Event::new(time, ActivityKind::CsatRating).with_score(score)
                });
            }
        }
        day += random.exponential(1.0 / rate_per_day);
    }
}

/// An NPS survey every six months, answered by about a third.
fn surveys(random: &mut Random, history: &mut History, born: f64, level: f64, mood: f64) {
    let mut day = born + 30.0 + random.uniform() * 150.0;
    while day < WINDOW_DAYS {
        if random.chance((0.3 * level).min(1.0)) {
            let score = (8.0 + 1.8 * mood + random.normal())
                .round()
                .clamp(0.0, 10.0) as i32;
            history.push(day + random.uniform() * 3.0, |time| {
                Event::new(time, ActivityKind::NpsResponse).with_score(score)
            });
        }
        day += 182.0;
    }
}

/// A newsletter every two weeks from sign-up: each opened with the
/// customer's own probability (beta-distributed: many never open), some
/// opens followed by a click; interest fades with time.
fn newsletters(random: &mut Random, history: &mut History, born: f64, level: f64) {
    let opens = random.beta(0.8, 3.0);
    let clicks = random.beta(1.0, 5.0);
    let interval = 14.0 / level;
    let mut day = born + random.uniform() * interval;
    while day < WINDOW_DAYS {
        let fade = (-(day - born) / 700.0).exp();
        if random.chance(opens * fade) {
            let opened = day + random.exponential(0.5);
            history.push(opened, |time| Event::new(time, ActivityKind::EmailOpen));
            if random.chance(clicks) {
                history.push(opened + random.uniform() / 48.0, |time| {
                    Event::new(time, ActivityKind::EmailClick)
                });
            }
        }
        day += interval;
    }
}

/// xorshift64* seeded through splitmix64, with the few distributions the
/// generator needs: reproducible draws, not statistical quality, and no
/// dependency for it.
struct Random(u64);

impl Random {
    fn seeded(seed: u64) -> Self {
        // splitmix64: nearby seeds (customer indexes) give unrelated streams.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self(z.max(1))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform on (0, 1): never 0, so `ln` is finite.
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.uniform() < probability
    }

    fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.uniform().ln()
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Gamma(shape, rate 1), Marsaglia–Tsang.
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            // Gamma(k) = Gamma(k + 1) · U^(1/k).
            let boost = self.uniform().powf(1.0 / shape);
            return self.gamma(shape + 1.0) * boost;
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.uniform().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        x / (x + self.gamma(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_are_reproducible_and_sorted() {
        for index in [0, 1, 17, 99_999] {
            let first = generate_customer(index, 1.0);
            assert_eq!(first, generate_customer(index, 1.0));
            assert!(first.events.windows(2).all(|pair| pair[0].at <= pair[1].at));
            assert!(first.events.iter().all(|event| event.at < AS_OF));
        }
    }

    #[test]
    fn calibration_hits_the_requested_activity_count() {
        let customers = 5_000;
        let wanted = 12 * customers;
        let level = calibrate(customers, wanted);
        let total: usize = (0..customers)
            .map(|index| generate_customer(index, level).events.len())
            .sum();
        let ratio = total as f64 / wanted as f64;
        assert!((0.9..1.1).contains(&ratio), "{total} for {wanted}");
    }
}
