//! Test support: customers drawn from a known BG/NBD population, so fits can
//! be checked for recovering the parameters that generated the data.
//!
//! A small deterministic generator (xorshift) instead of a `rand` dependency:
//! the tests need reproducible draws, not statistical quality.

use crate::model::bgnbd::BgNbdParams;
use crate::model::summary::CustomerSummary;

/// xorshift64* with Marsaglia–Tsang gamma draws.
pub(crate) struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// Uniform on (0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        (bits as f64 + 0.5) / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Gamma(shape, rate 1).
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            // Boost: Gamma(k) = Gamma(k + 1) · U^(1/k).
            return self.gamma(shape + 1.0) * self.uniform().powf(1.0 / shape);
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

    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        x / (x + self.gamma(b))
    }
}

/// One customer's summary after being watched for `age` periods. With
/// `resolution` > 0, purchase times are rounded down to multiples of it (days
/// in a weekly model are 1/7) and same-time purchases merged, as real data is.
pub(crate) fn simulate_customer(
    params: &BgNbdParams,
    age: f64,
    resolution: f64,
    random: &mut Random,
) -> CustomerSummary {
    let rate = random.gamma(params.r) / params.alpha;
    let drop_probability = random.beta(params.a, params.b);
    let mut time = 0.0;
    let mut frequency = 0.0;
    let mut recency = 0.0;
    loop {
        time += -random.uniform().ln() / rate;
        if time > age {
            break;
        }
        // A purchase on the day of the previous one is the same occasion.
        let purchase_time = round_down(time, resolution);
        if purchase_time > recency {
            frequency += 1.0;
            recency = purchase_time;
        }
        if random.uniform() < drop_probability {
            break;
        }
    }
    CustomerSummary {
        frequency,
        recency,
        age,
        monetary: 0.0,
    }
}

/// `count` customers acquired uniformly over 12 periods, watched until 39
/// periods after the start (the CDNOW design).
pub(crate) fn simulate_population(
    params: &BgNbdParams,
    count: usize,
    resolution: f64,
    seed: u64,
) -> Vec<CustomerSummary> {
    let mut random = Random::new(seed);
    (0..count)
        .map(|_| {
            let acquired = round_down(random.uniform() * 12.0, resolution);
            simulate_customer(params, 39.0 - acquired, resolution, &mut random)
        })
        .collect()
}

fn round_down(time: f64, resolution: f64) -> f64 {
    if resolution > 0.0 {
        (time / resolution).floor() * resolution
    } else {
        time
    }
}
