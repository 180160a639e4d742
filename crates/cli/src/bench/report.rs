//! Latency statistics and the SPEC §10 result line.

use serde_json::{json, Value};

/// The `q` quantile (0–1) of sorted samples, in the samples' unit.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// The SPEC §10 object, with extra figures beside the required keys.
pub(crate) fn result(
    name: &str,
    value: f64,
    unit: &str,
    reference: f64,
    reference_unit: &str,
    extra: Value,
) -> Value {
    let mut v = json!({
        "name": name,
        "value": round(value),
        "unit": unit,
        "reference": round(reference),
        "reference_unit": reference_unit,
        "ratio": round(value / reference),
    });
    if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), extra) {
        obj.extend(more);
    }
    v
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_pick_ranks() {
        let s: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&s, 0.5), 51.0);
        assert_eq!(quantile(&s, 0.99), 99.0);
        assert!(quantile(&[], 0.5).is_nan());
        let r = result("x", 10.0, "a/s", 4.0, "b/s", json!({"p99_ms": 1.5}));
        assert_eq!(r["ratio"], 2.5);
        assert_eq!(r["p99_ms"], 1.5);
    }
}
