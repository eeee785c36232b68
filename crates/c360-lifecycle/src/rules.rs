//! The small condition language of stage rules, segments and alerts:
//! `field op value`, joined by `and`. Fields are the customer metrics named in
//! [`Field`]; operators `>= <= > < == !=` and `in [..]`; values are numbers,
//! quoted text or `true`/`false`. A condition on a field the customer has no
//! value for (no NPS answer, no purchase yet) is false.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::LifecycleError;

macro_rules! fields {
    ($($variant:ident => $name:literal: $doc:literal,)*) => {
        /// A metric a condition can test.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $(#[doc = $doc] $variant,)*
        }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)*
                }
            }

            pub fn description(self) -> &'static str {
                match self {
                    $(Field::$variant => $doc,)*
                }
            }
        }
    };
}

fields! {
    Orders => "orders": "orders and paid invoices to date",
    RepeatDays => "repeat_purchase_days": "distinct purchase days after the first",
    DaysSinceLastPurchase => "days_since_last_purchase": "days since the last purchase",
    DaysSinceFirstPurchase => "days_since_first_purchase": "days since the first purchase",
    DaysBetweenLastPurchases => "days_between_last_purchases": "days from the purchase before the last to the last",
    TenureDays => "tenure_days": "days since the first purchase, else the first activity",
    Revenue => "revenue": "net revenue to date, major units of the reporting currency",
    AverageOrderValue => "average_order_value": "revenue / orders, major units",
    RecentRevenue => "recent_revenue": "net revenue in the recent window, major units",
    RScore => "r_score": "RFM recency score 1–5 (0: never bought)",
    FScore => "f_score": "RFM frequency score 1–5",
    MScore => "m_score": "RFM monetary score 1–5",
    NpsLast => "nps_last": "the last NPS answer 0–10",
    NpsAverage => "nps_average": "the mean NPS answer",
    NpsCategory => "nps_category": "promoter, passive or detractor (text)",
    CsatPercent => "csat_percent": "satisfied / rated ratings, 0–100",
    TicketsOpen => "open_tickets": "tickets opened and not solved",
    TicketsRecent => "recent_tickets": "tickets opened in the recent window",
    EmailOpensRecent => "recent_email_opens": "e-mail opens in the recent window",
    EmailClicksRecent => "recent_email_clicks": "e-mail clicks in the recent window",
    Contacts => "contacts": "activities that are not purchases (e-mail, tickets, surveys)",
    SubscriptionStatus => "subscription_status": "active, cancelled or empty (text)",
    SubscriptionPlan => "subscription_plan": "the plan of the last subscription (text)",
    PAlive => "p_alive": "BG/NBD probability the customer is still active",
    ChurnPropensity => "churn_propensity": "1 − p_alive",
    Clv => "clv": "predicted lifetime value over the horizon, major units",
    ClvPercentile => "clv_percentile": "the customer's CLV rank in the portfolio, 0–100",
    Health => "health": "health score 0–100",
    Stage => "stage": "the lifecycle stage (text, e.g. at_risk)",
}

impl Field {
    pub fn parse(name: &str) -> Result<Self, LifecycleError> {
        Self::ALL
            .iter()
            .copied()
            .find(|field| field.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|field| field.name()).collect();
                LifecycleError::invalid_input(
                    "condition",
                    format!("unknown field {name:?}; known fields: {}", known.join(", ")),
                )
            })
    }
}

/// A field's value for one customer.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(number) => write!(f, "{number}"),
            Self::Text(text) => write!(f, "'{text}'"),
            Self::Bool(flag) => write!(f, "{flag}"),
        }
    }
}

/// What a condition is evaluated against.
pub trait Fields {
    fn value(&self, field: Field) -> Option<Value>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
    Ne,
    In,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Self::Ge => ">=",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Lt => "<",
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::In => "in",
        }
    }
}

/// One `field op value` test.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: Field,
    pub op: Op,
    /// One value, or the list of `in`.
    pub values: Vec<Value>,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.field.name(), self.op.symbol())?;
        if self.op == Op::In {
            let items: Vec<String> = self.values.iter().map(ToString::to_string).collect();
            write!(f, "[{}]", items.join(", "))
        } else if let Some(value) = self.values.first() {
            write!(f, "{value}")
        } else {
            Ok(())
        }
    }
}

impl Condition {
    pub fn parse(text: &str) -> Result<Self, LifecycleError> {
        let bad = |reason: String| LifecycleError::invalid_input("condition", reason);
        let text = text.trim();
        let field_end = text
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(text.len());
        let field = Field::parse(&text[..field_end])?;
        let rest = text[field_end..].trim_start();
        let (op, value_text) = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            (">", Op::Gt),
            ("<", Op::Lt),
            ("=", Op::Eq),
            ("in ", Op::In),
            ("in[", Op::In),
        ]
        .into_iter()
        .find_map(|(symbol, op)| {
            rest.strip_prefix(symbol).map(|value| {
                let value = if symbol == "in[" { &rest[2..] } else { value };
                (op, value.trim())
            })
        })
        .ok_or_else(|| {
            bad(format!(
                "{text:?}: expected >=, <=, >, <, ==, != or in after the field"
            ))
        })?;
        let values = if op == Op::In {
            let inner = value_text
                .strip_prefix('[')
                .and_then(|list| list.strip_suffix(']'))
                .ok_or_else(|| bad(format!("{text:?}: `in` takes a list like ['a', 'b']")))?;
            inner
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(parse_value)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|reason| bad(format!("{text:?}: {reason}")))?
        } else {
            vec![parse_value(value_text).map_err(|reason| bad(format!("{text:?}: {reason}")))?]
        };
        if values.is_empty() {
            return Err(bad(format!("{text:?}: no value to compare with")));
        }
        Ok(Self { field, op, values })
    }

    pub fn holds(&self, fields: &dyn Fields) -> bool {
        let Some(actual) = fields.value(self.field) else {
            return false;
        };
        match self.op {
            Op::In => self.values.iter().any(|value| equal(&actual, value)),
            Op::Eq => equal(&actual, &self.values[0]),
            Op::Ne => !equal(&actual, &self.values[0]),
            Op::Ge | Op::Le | Op::Gt | Op::Lt => {
                let (Value::Number(left), Value::Number(right)) = (&actual, &self.values[0]) else {
                    return false;
                };
                match self.op {
                    Op::Ge => left >= right,
                    Op::Le => left <= right,
                    Op::Gt => left > right,
                    _ => left < right,
                }
            }
        }
    }

    /// For a condition on elapsed days since `anchor`, the days at which it
    /// may change (the stage replay evaluates rules there).
    pub fn threshold_days(&self) -> Option<(Field, f64)> {
        match (self.field, self.values.first()) {
            (
                Field::DaysSinceLastPurchase | Field::DaysSinceFirstPurchase | Field::TenureDays,
                Some(Value::Number(days)),
            ) if self.op != Op::In => Some((self.field, *days)),
            _ => None,
        }
    }
}

fn equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => (a - b).abs() < 1e-9,
        (Value::Text(a), Value::Text(b)) => a.eq_ignore_ascii_case(b),
        (Value::Bool(a), Value::Bool(b)) => a == b,
        _ => false,
    }
}

fn parse_value(text: &str) -> Result<Value, String> {
    let text = text.trim();
    if let Some(inner) = text
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
        .or_else(|| {
            text.strip_prefix('"')
                .and_then(|rest| rest.strip_suffix('"'))
        })
    {
        return Ok(Value::Text(inner.to_owned()));
    }
    match text {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        _ => {}
    }
    text.parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
        .map(Value::Number)
        .ok_or_else(|| format!("{text:?} is not a number, quoted text, true or false"))
}

/// Conditions that must all hold, written as a list or joined by `and`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConditionList(pub Vec<String>);

impl ConditionList {
    pub fn compile(&self) -> Result<Vec<Condition>, LifecycleError> {
        let mut conditions = Vec::new();
        for text in &self.0 {
            for part in split_and(text) {
                conditions.push(Condition::parse(part)?);
            }
        }
        Ok(conditions)
    }
}

/// Splits on ` and ` outside quotes.
fn split_and(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    let lower = text.to_ascii_lowercase();
    let mut index = 0;
    while index < text.len() {
        let Some(c) = text[index..].chars().next() else {
            break;
        };
        match quote {
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if lower[index..].starts_with(" and ") => {
                parts.push(&text[start..index]);
                index += 5;
                start = index;
                continue;
            }
            None => {}
        }
        index += c.len_utf8();
    }
    parts.push(&text[start..]);
    parts
}

/// All hold (an empty list holds).
pub fn all_hold(conditions: &[Condition], fields: &dyn Fields) -> bool {
    conditions.iter().all(|condition| condition.holds(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;

    impl Fields for Fixed {
        fn value(&self, field: Field) -> Option<Value> {
            match field {
                Field::Orders => Some(Value::Number(3.0)),
                Field::Stage => Some(Value::Text("at_risk".into())),
                Field::NpsLast => None,
                _ => Some(Value::Number(0.0)),
            }
        }
    }

    #[test]
    fn parses_and_evaluates() {
        let list = ConditionList(vec![
            "orders >= 2 and stage in ['at_risk', 'dormant']".into(),
            "orders != 4".into(),
        ]);
        let conditions = list.compile().expect("valid");
        assert_eq!(conditions.len(), 3);
        assert!(all_hold(&conditions, &Fixed));
        assert_eq!(conditions[1].to_string(), "stage in ['at_risk', 'dormant']");
        let missing = Condition::parse("nps_last <= 6").expect("valid");
        assert!(!missing.holds(&Fixed));
        assert!(
            Condition::parse("stage == 'AT_RISK'")
                .expect("valid")
                .holds(&Fixed)
        );
    }

    #[test]
    fn reports_bad_conditions() {
        for bad in [
            "ordrs > 1",
            "orders ~ 1",
            "orders > abc",
            "stage in 'a'",
            "orders >",
        ] {
            let error = Condition::parse(bad).expect_err(bad).to_string();
            assert!(error.contains("condition"), "{bad}: {error}");
        }
    }
}
