//! Derivative-free minimization (Nelder–Mead) for the likelihood fits.
//!
//! The models have three or four parameters and cheap, smooth likelihoods, so
//! a simplex method is enough and needs no gradients to be derived and kept
//! in sync with the formulas. The fits optimize log-parameters: every model
//! parameter must be positive, and in log space there are no bounds to hit.

/// How a model is fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// L2 penalty on the parameters added to the mean negative
    /// log-likelihood (as `penalizer_coef` in `lifetimes`): keeps parameters
    /// finite on small or degenerate data sets. 0 gives the plain maximum
    /// likelihood estimate.
    pub penalizer: f64,
    /// The fit has converged when the simplex is this small in
    /// log-parameter space (a relative precision on the parameters).
    pub tolerance: f64,
    /// Upper bound on likelihood evaluations per minimization, so a
    /// pathological data set ends with `converged = false` instead of hanging.
    pub max_evaluations: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            penalizer: 0.0,
            tolerance: 1e-9,
            max_evaluations: 20_000,
        }
    }
}

/// The result of one minimization.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Minimum {
    pub point: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    pub evaluations: usize,
    pub converged: bool,
}

/// Nelder–Mead with the standard coefficients (reflection 1, expansion 2,
/// contraction ½, shrink ½) and restarts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NelderMead {
    /// Edge length of the initial simplex.
    pub initial_step: f64,
    /// Simplex size (max coordinate distance to the best vertex) at which a
    /// run stops.
    pub x_tolerance: f64,
    /// Spread of the values over the simplex, relative to the best value, at
    /// which a run may stop (both conditions must hold).
    pub f_tolerance: f64,
    pub max_evaluations: usize,
    /// A simplex can collapse onto a non-optimal point; restarting from the
    /// best vertex with a fresh simplex is the usual cure. Restarts stop once
    /// one no longer improves the value.
    pub max_restarts: usize,
}

impl NelderMead {
    /// Minimizes `objective` from `start`. Non-finite values are treated as
    /// +∞, so an objective can simply return NaN outside its domain.
    pub fn minimize(&self, objective: &mut impl FnMut(&[f64]) -> f64, start: &[f64]) -> Minimum {
        let mut guarded = |point: &[f64]| {
            let value = objective(point);
            if value.is_finite() {
                value
            } else {
                f64::INFINITY
            }
        };
        let mut iterations = 0;
        let mut best = self.run(&mut guarded, start, self.max_evaluations, &mut iterations);
        let mut evaluations = best.evaluations;
        for _ in 0..self.max_restarts {
            if !best.converged || evaluations >= self.max_evaluations {
                break;
            }
            let budget = self.max_evaluations - evaluations;
            let restart_point = best.point.clone();
            let restarted = self.run(&mut guarded, &restart_point, budget, &mut iterations);
            evaluations += restarted.evaluations;
            let improvement = best.value - restarted.value;
            let improved = improvement > self.f_tolerance * (1.0 + best.value.abs());
            if restarted.value <= best.value {
                best = restarted;
            }
            if !improved {
                break;
            }
        }
        best.iterations = iterations;
        best.evaluations = evaluations;
        best
    }

    /// One simplex run from `start` until convergence or the evaluation cap.
    fn run(
        &self,
        objective: &mut impl FnMut(&[f64]) -> f64,
        start: &[f64],
        budget: usize,
        iterations: &mut usize,
    ) -> Minimum {
        let dimension = start.len();
        let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(dimension + 1);
        simplex.push((start.to_vec(), objective(start)));
        for axis in 0..dimension {
            let mut vertex = start.to_vec();
            vertex[axis] += self.initial_step;
            let value = objective(&vertex);
            simplex.push((vertex, value));
        }
        let mut evaluations = dimension + 1;
        let mut converged = false;

        while evaluations < budget {
            simplex.sort_by(|left, right| left.1.total_cmp(&right.1));
            if self.has_converged(&simplex) {
                converged = true;
                break;
            }
            *iterations += 1;
            let worst = dimension;
            let centroid = centroid_of_best(&simplex);
            let along = |factor: f64| -> Vec<f64> {
                centroid
                    .iter()
                    .zip(&simplex[worst].0)
                    .map(|(c, w)| c + factor * (c - w))
                    .collect()
            };

            let reflected = along(1.0);
            let reflected_value = objective(&reflected);
            evaluations += 1;
            if reflected_value < simplex[0].1 {
                let expanded = along(2.0);
                let expanded_value = objective(&expanded);
                evaluations += 1;
                simplex[worst] = if expanded_value < reflected_value {
                    (expanded, expanded_value)
                } else {
                    (reflected, reflected_value)
                };
                continue;
            }
            if reflected_value < simplex[worst - 1].1 {
                simplex[worst] = (reflected, reflected_value);
                continue;
            }
            // Contract towards the better of the reflected and worst points.
            let (contracted, limit) = if reflected_value < simplex[worst].1 {
                (along(0.5), reflected_value)
            } else {
                (along(-0.5), simplex[worst].1)
            };
            let contracted_value = objective(&contracted);
            evaluations += 1;
            if contracted_value < limit {
                simplex[worst] = (contracted, contracted_value);
                continue;
            }
            // Nothing along the line helps: shrink everything towards the best.
            let best = simplex[0].0.clone();
            for vertex in simplex.iter_mut().skip(1) {
                for (coordinate, anchor) in vertex.0.iter_mut().zip(&best) {
                    *coordinate = anchor + 0.5 * (*coordinate - anchor);
                }
                vertex.1 = objective(&vertex.0);
            }
            evaluations += dimension;
        }
        simplex.sort_by(|left, right| left.1.total_cmp(&right.1));
        let (point, value) = simplex.swap_remove(0);
        Minimum {
            point,
            value,
            iterations: 0,
            evaluations,
            converged,
        }
    }

    /// Small simplex and flat values: both, because on a plateau of +∞ the
    /// values agree long before the simplex has found anything.
    fn has_converged(&self, sorted: &[(Vec<f64>, f64)]) -> bool {
        let (best_point, best_value) = &sorted[0];
        let worst_value = sorted[sorted.len() - 1].1;
        if !best_value.is_finite() || !worst_value.is_finite() {
            return false;
        }
        let spread = worst_value - best_value;
        let size = sorted
            .iter()
            .skip(1)
            .flat_map(|(point, _)| point.iter().zip(best_point).map(|(x, b)| (x - b).abs()))
            .fold(0.0, f64::max);
        size <= self.x_tolerance && spread <= self.f_tolerance * (1.0 + best_value.abs())
    }
}

/// The fitting strategy shared by the models: quick Nelder–Mead runs from
/// each starting point on `explore` (a likelihood on sampled data when the
/// data is large: only the best start survives this stage, so it needs no
/// precision), then the best start polished on `full` to `options.tolerance`
/// with restarts. Several starts, because a single simplex can stop on the
/// flat ridges these likelihoods have. `None` when no start gives a finite
/// value.
pub(crate) fn fit_from_starts(
    explore: &mut impl FnMut(&[f64]) -> f64,
    full: &mut impl FnMut(&[f64]) -> f64,
    starts: &[Vec<f64>],
    options: &FitOptions,
) -> Option<Minimum> {
    let exploring = NelderMead {
        initial_step: 0.5,
        x_tolerance: 1e-3,
        f_tolerance: 1e-10,
        max_evaluations: options.max_evaluations.min(2_000),
        max_restarts: 0,
    };
    let mut iterations = 0;
    let mut evaluations = 0;
    let mut best: Option<Minimum> = None;
    for start in starts {
        let found = exploring.minimize(explore, start);
        iterations += found.iterations;
        evaluations += found.evaluations;
        if best.as_ref().is_none_or(|best| found.value < best.value) {
            best = Some(found);
        }
    }
    let best = best.filter(|best| best.value.is_finite())?;
    let polishing = NelderMead {
        initial_step: 0.05,
        x_tolerance: options.tolerance,
        f_tolerance: 1e-14,
        max_evaluations: options.max_evaluations,
        max_restarts: 3,
    };
    let mut polished = polishing.minimize(full, &best.point);
    polished.iterations += iterations;
    polished.evaluations += evaluations;
    Some(polished)
}

/// Centroid of all vertices but the worst (the last, once sorted).
fn centroid_of_best(sorted: &[(Vec<f64>, f64)]) -> Vec<f64> {
    let count = sorted.len() - 1;
    let mut centroid = vec![0.0; sorted[0].0.len()];
    for (point, _) in &sorted[..count] {
        for (sum, coordinate) in centroid.iter_mut().zip(point) {
            *sum += coordinate;
        }
    }
    for sum in &mut centroid {
        *sum /= count as f64;
    }
    centroid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimizer() -> NelderMead {
        NelderMead {
            initial_step: 0.5,
            x_tolerance: 1e-10,
            f_tolerance: 1e-14,
            max_evaluations: 20_000,
            max_restarts: 3,
        }
    }

    #[test]
    fn finds_the_minimum_of_the_rosenbrock_valley() {
        let mut rosenbrock =
            |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let minimum = minimizer().minimize(&mut rosenbrock, &[-1.2, 1.0]);
        assert!(minimum.converged);
        assert!((minimum.point[0] - 1.0).abs() < 1e-8, "{minimum:?}");
        assert!((minimum.point[1] - 1.0).abs() < 1e-8, "{minimum:?}");
    }

    #[test]
    fn non_finite_values_are_walls_not_failures() {
        // Undefined for x ≤ 0, minimum at (2, 3).
        let mut objective = |x: &[f64]| {
            let log_term = x[0].ln();
            (log_term - 2f64.ln()).powi(2) + (x[1] - 3.0).powi(2)
        };
        let minimum = minimizer().minimize(&mut objective, &[0.2, 0.0]);
        assert!(minimum.converged);
        assert!((minimum.point[0] - 2.0).abs() < 1e-7, "{minimum:?}");
        assert!((minimum.point[1] - 3.0).abs() < 1e-7, "{minimum:?}");
    }

    #[test]
    fn the_evaluation_cap_ends_an_unbounded_search_unconverged() {
        let mut unbounded = |x: &[f64]| x[0];
        let minimizer = NelderMead {
            max_evaluations: 200,
            ..minimizer()
        };
        let minimum = minimizer.minimize(&mut unbounded, &[0.0]);
        assert!(!minimum.converged);
        assert!(minimum.evaluations <= 200 + 2);
    }
}
