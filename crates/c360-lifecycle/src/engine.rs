//! [`Lifecycle`]: the compiled configuration and the computations over it —
//! one customer (with the stage history), the whole portfolio at once (model
//! fit, RFM breakpoints, CLV ranks, segments), and alerts.

use rayon::prelude::*;

use crate::LifecycleError;
use crate::alerts::{Alert, CompiledAlert};
use crate::config::LifecycleConfig;
use crate::context::{FittedModel, PortfolioContext};
use crate::customer::{CustomerMetrics, MeasureSettings, Needs, measure, model_summary};
use crate::event::{Event, Micros};
use crate::facts::{Facts, Replay, facts_at};
use crate::model::bgnbd::fit::fit_bgnbd_weighted;
use crate::model::gamma_gamma::fit_gamma_gamma_weighted;
use crate::model::optimize::FitOptions;
use crate::model::rows::{bgnbd_rows, spend_rows};
use crate::model::summary::CustomerSummary;
use crate::rfm::{RfmBreaks, RfmValues};
use crate::rules::{Field, Fields, Value};
use crate::segments::{CompiledSegment, default_segments};
use crate::stage::{Stage, StageRules, StageTransition, default_rules};

/// One golden record's history, as the hub loads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerEvents {
    pub golden_id: String,
    /// When the golden record was created: where a history without
    /// activities starts.
    pub known_since: Option<Micros>,
    /// Sorted by time.
    pub events: Vec<Event>,
}

/// A customer's metrics and stage history.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerResult {
    pub metrics: CustomerMetrics,
    pub history: Vec<StageTransition>,
}

/// A full recomputation.
#[derive(Debug, Clone, PartialEq)]
pub struct Recomputed {
    pub context: PortfolioContext,
    pub customers: Vec<CustomerResult>,
    /// Why no model was fitted (too few repeat buyers, a failed fit).
    pub model_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Lifecycle {
    config: LifecycleConfig,
    stages: StageRules,
    segments: Vec<CompiledSegment>,
    alerts: Vec<CompiledAlert>,
    minor_per_major: f64,
    /// Whether stage rules read model or health fields (else the replay
    /// skips computing them at every step).
    stage_needs: Needs,
}

impl Lifecycle {
    pub fn new(config: LifecycleConfig) -> Result<Self, LifecycleError> {
        config.validate()?;
        let stage_rules = if config.stages.is_empty() {
            default_rules(config.churn_window_days)
        } else {
            config.stages.clone()
        };
        let stages = StageRules::compile(&stage_rules)?;
        let reads_model = stages.fields().any(|field| {
            matches!(
                field,
                Field::PAlive | Field::ChurnPropensity | Field::Clv | Field::ClvPercentile
            )
        });
        let reads_health = stages.fields().any(|field| field == Field::Health);
        let segment_rules = if config.segments.is_empty() {
            default_segments()
        } else {
            config.segments.clone()
        };
        let segments = segment_rules
            .iter()
            .map(|segment| segment.compile())
            .collect::<Result<Vec<_>, _>>()?;
        let alert_rules = if config.alerts.is_empty() {
            crate::alerts::default_rules()
        } else {
            config.alerts.clone()
        };
        let alerts = alert_rules
            .iter()
            .map(|rule| rule.compile())
            .collect::<Result<Vec<_>, _>>()?;
        let minor_per_major =
            10f64.powi(c360_model::currency_exponent(&config.reporting_currency) as i32);
        Ok(Self {
            config,
            stages,
            segments,
            alerts,
            minor_per_major,
            stage_needs: Needs {
                model: reads_model,
                health: reads_health,
            },
        })
    }

    pub fn config(&self) -> &LifecycleConfig {
        &self.config
    }

    pub fn segments(&self) -> &[CompiledSegment] {
        &self.segments
    }

    pub fn alert_rule_names(&self) -> Vec<String> {
        self.alerts.iter().map(|rule| rule.name.clone()).collect()
    }

    pub fn minor_per_major(&self) -> f64 {
        self.minor_per_major
    }

    fn settings(&self) -> MeasureSettings<'_> {
        MeasureSettings {
            currency: &self.config.reporting_currency,
            churn_window_days: self.config.churn_window_days,
            period_days: self.config.model.period_days,
            horizon_days: self.config.model.horizon_days,
            annual_discount_rate: self.config.model.annual_discount_rate,
            minor_per_major: self.minor_per_major,
            weights: &self.config.health,
        }
    }

    /// One customer's metrics as of `as_of` (events after it are ignored),
    /// with the stage history replayed from the first event.
    pub fn customer(
        &self,
        context: &PortfolioContext,
        customer: &CustomerEvents,
        as_of: Micros,
    ) -> CustomerResult {
        let settings = self.settings();
        let events = &customer.events;
        let golden_id = customer.golden_id.as_str();
        let mut replay = Replay::new(events, self.config.recent_window_days);
        let start = events
            .first()
            .map(|event| event.at)
            .into_iter()
            .chain(customer.known_since)
            .min()
            .unwrap_or(as_of)
            .min(as_of);
        let mut history: Vec<StageTransition> = Vec::new();
        let mut current: Option<Stage> = None;
        let mut t = start;
        loop {
            replay.advance_to(t);
            let snapshot = measure(golden_id, &replay, t, &settings, context, self.stage_needs);
            let (stage, reason) = self.stages.evaluate(&StageFields {
                metrics: &snapshot,
                previous: current,
            });
            if current != Some(stage) {
                history.push(StageTransition {
                    stage,
                    entered_at: t,
                    reason: reason.to_owned(),
                });
                current = Some(stage);
            }
            if t >= as_of {
                break;
            }
            let facts = replay.facts();
            let next = [
                replay.next_event_at(),
                self.stages.next_threshold(
                    t,
                    facts.last_purchase_at,
                    facts.first_purchase_at,
                    facts.first_activity_at,
                ),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(as_of);
            t = next.clamp(t + 1, as_of);
        }

        let mut metrics = measure(
            golden_id,
            &replay,
            as_of,
            &settings,
            context,
            Needs {
                model: true,
                health: true,
            },
        );
        if let Some(last) = history.last() {
            metrics.stage = last.stage;
            metrics.stage_entered_at = last.entered_at;
            metrics.stage_reason = last.reason.clone();
        }
        metrics.clv_percentile = context.clv_percentile(metrics.predicted_clv);
        metrics.segments = self.segments_of(&metrics);
        CustomerResult { metrics, history }
    }

    /// The segments whose rules hold for `metrics`.
    pub fn segments_of(&self, metrics: &CustomerMetrics) -> Vec<String> {
        self.segments
            .iter()
            .filter(|segment| segment.contains(metrics))
            .map(|segment| segment.name.clone())
            .collect()
    }

    /// The portfolio context as of `as_of`: RFM breakpoints over the active
    /// customers and the fitted BG/NBD and Gamma-Gamma models (CLV ranks are
    /// added by [`Lifecycle::recompute_all`]).
    pub fn fit_context(
        &self,
        customers: &[CustomerEvents],
        as_of: Micros,
    ) -> (PortfolioContext, Option<String>) {
        let period = self.config.model.period_days;
        let window = self.config.churn_window_days;
        let views: Vec<(Option<RfmValues>, Option<CustomerSummary>)> = customers
            .par_iter()
            .map(|customer| {
                let replay = facts_at(&customer.events, as_of, self.config.recent_window_days);
                let facts = replay.facts();
                let rfm = facts.last_purchase_at.and_then(|last| {
                    let days = crate::event::days_between(last, as_of);
                    (!churned(facts, as_of, window)).then_some(RfmValues {
                        days_since_last_purchase: days,
                        orders: facts.orders as f64,
                        revenue: facts.revenue() as f64,
                    })
                });
                let summary = model_summary(&replay, as_of, period, self.minor_per_major);
                (rfm, summary)
            })
            .collect();
        let rfm_values: Vec<RfmValues> = views.iter().filter_map(|view| view.0).collect();
        let summaries: Vec<CustomerSummary> = views.iter().filter_map(|view| view.1).collect();
        let (model, note) = self.fit_model(&summaries, as_of);
        (
            PortfolioContext {
                as_of,
                rfm: RfmBreaks::from_values(&rfm_values),
                model,
                clv_percentiles: Vec::new(),
            },
            note,
        )
    }

    fn fit_model(
        &self,
        summaries: &[CustomerSummary],
        as_of: Micros,
    ) -> (Option<FittedModel>, Option<String>) {
        let repeat = summaries
            .iter()
            .filter(|summary| summary.frequency > 0.0)
            .count();
        if repeat < self.config.model.min_repeat_customers {
            return (
                None,
                Some(format!(
                    "{repeat} repeat buyers, fewer than the {} needed to fit the model",
                    self.config.model.min_repeat_customers
                )),
            );
        }
        let options = FitOptions::default();
        let bgnbd = match bgnbd_rows(summaries).and_then(|rows| fit_bgnbd_weighted(&rows, &options))
        {
            Ok(fit) => fit.params,
            Err(error) => return (None, Some(error.to_string())),
        };
        let spenders: Vec<CustomerSummary> = summaries
            .iter()
            .filter(|summary| summary.frequency > 0.0 && summary.monetary > 0.0)
            .copied()
            .collect();
        let (gamma_gamma, note) = match spend_rows(&spenders)
            .and_then(|rows| fit_gamma_gamma_weighted(&rows, &options))
        {
            Ok(fit) if fit.params.q > 1.0 => (Some(fit.params), None),
            Ok(_) => (
                None,
                Some("the spend model has q ≤ 1 (no finite mean spend); CLV uses each customer's average order value".to_owned()),
            ),
            Err(error) => (None, Some(error.to_string())),
        };
        (
            Some(FittedModel {
                bgnbd,
                gamma_gamma,
                customers: summaries.len(),
                repeat_customers: repeat,
                fitted_at: as_of,
                period_days: self.config.model.period_days,
            }),
            note,
        )
    }

    /// Everything at once: the context (model, breakpoints, CLV ranks) and
    /// every customer's metrics, segments and stage history.
    pub fn recompute_all(&self, customers: &[CustomerEvents], as_of: Micros) -> Recomputed {
        let (mut context, model_note) = self.fit_context(customers, as_of);
        let mut results: Vec<CustomerResult> = customers
            .par_iter()
            .map(|customer| self.customer(&context, customer, as_of))
            .collect();
        context.clv_percentiles = PortfolioContext::percentiles_of(
            results
                .iter()
                .filter(|result| result.metrics.order_count > 0)
                .map(|result| result.metrics.predicted_clv)
                .collect(),
        );
        results.par_iter_mut().for_each(|result| {
            result.metrics.clv_percentile = context.clv_percentile(result.metrics.predicted_clv);
            result.metrics.segments = self.segments_of(&result.metrics);
        });
        Recomputed {
            context,
            customers: results,
            model_note,
        }
    }

    /// The alerts `after` raises compared with `before`.
    pub fn alerts(
        &self,
        before: Option<&CustomerMetrics>,
        after: &CustomerMetrics,
        events: &[Event],
    ) -> Vec<Alert> {
        self.alerts
            .iter()
            .filter_map(|rule| rule.check(before, after, events, self.minor_per_major))
            .collect()
    }
}

/// Churned at `t` by the domain definition: no purchase within the churn
/// window, or a cancelled subscription not restarted.
pub(crate) fn churned(facts: &Facts, t: Micros, window_days: f64) -> bool {
    facts
        .last_purchase_at
        .is_some_and(|last| crate::event::days_between(last, t) >= window_days)
        || facts.subscription_active == Some(false)
}

/// A snapshot during the replay: the stage field is the stage so far.
struct StageFields<'a> {
    metrics: &'a CustomerMetrics,
    previous: Option<Stage>,
}

impl Fields for StageFields<'_> {
    fn value(&self, field: Field) -> Option<Value> {
        match field {
            Field::Stage => self
                .previous
                .map(|stage| Value::Text(stage.as_str().to_owned())),
            _ => self.metrics.value(field),
        }
    }
}
