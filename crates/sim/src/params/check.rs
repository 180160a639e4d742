//! The collector every parameter group reports its problems to, so that validation names all
//! of them at once.

use crate::SimError;

/// Collects problems so a caller sees all of them at once.
#[derive(Default)]
pub(super) struct Check(Vec<String>);

impl Check {
    pub(super) fn fail(&mut self, msg: &str) {
        self.0.push(msg.to_owned());
    }

    pub(super) fn range(&mut self, name: &str, x: f64, lo: f64, hi: f64) {
        if !(x.is_finite() && (lo..=hi).contains(&x)) {
            self.0
                .push(format!("{name} must be between {lo} and {hi}, not {x}"));
        }
    }

    pub(super) fn prob(&mut self, name: &str, p: f64) {
        self.range(name, p, 0.0, 1.0);
    }

    pub(super) fn shares(&mut self, name: &str, shares: &[f64]) {
        for &s in shares {
            self.range(name, s, 0.0, 1.0);
        }
        if shares.iter().sum::<f64>() <= 0.0 {
            self.0.push(format!("{name} must not all be zero"));
        }
    }

    pub(super) fn finish(self) -> Result<(), SimError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(SimError::Invalid(self.0))
        }
    }
}
