//! The capacity document's model additions: bounds, the unbounded fit beside
//! a bounded one, the Amdahl comparison, per-level fitted values, residuals
//! and efficiency, and `--predict` (wire types, their reasons, their text).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use perfstat_capacity::Analysis;
use serde::Serialize;

use super::{CapacityDoc, ParamDoc, ValueDoc, no_covariance, num, percent, range};
use crate::fmt::sig;

/// The unbounded fit, shown beside a bounded one that holds a parameter at a bound.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct UnboundedDoc {
    /// λ.
    pub lambda: ParamDoc,
    /// σ.
    pub sigma: ParamDoc,
    /// κ.
    pub kappa: ParamDoc,
    /// Its residual sum of squares.
    pub ssr: f64,
}

/// The USL compared with Amdahl's law (κ = 0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AmdahlDoc {
    /// Amdahl's λ.
    pub lambda: f64,
    /// Amdahl's σ.
    pub sigma: f64,
    /// Its residual sum of squares.
    pub ssr: f64,
    /// F = (SSR_Amdahl − SSR_USL) / (SSR_USL / dof).
    pub f_statistic: Option<f64>,
    /// P(F(1, dof) ≥ F).
    pub p_value: Option<f64>,
    /// AIC of the USL.
    pub aic_usl: Option<f64>,
    /// AIC of Amdahl's law.
    pub aic_amdahl: Option<f64>,
    /// `"usl"` when the F-test rejects Amdahl's law at 1 − confidence,
    /// `"amdahl"` when it does not (κ is not needed), null without a test.
    pub preferred: Option<&'static str>,
}

/// The model at one level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LevelModelDoc {
    /// X̂(N).
    pub fitted: f64,
    /// Throughput − X̂(N).
    pub residual: f64,
    /// X(N) / (N·X(1)).
    pub efficiency: f64,
}

/// One `--predict` load.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PredictionsDoc {
    /// The load.
    pub load: f64,
    /// X̂(N) with the interval of the curve.
    pub throughput: ValueDoc,
    /// Lower end of the interval of a new measurement.
    pub prediction_lower: Option<f64>,
    /// Upper end.
    pub prediction_upper: Option<f64>,
    /// R = N/X̂(N) (Little's law), in the latency unit, with the curve's interval.
    pub response_time: Option<ValueDoc>,
}

/// The names of the parameters held at a bound, with the bound.
pub(super) fn at_bound(a: &Analysis) -> BTreeMap<&'static str, f64> {
    let mut out = BTreeMap::new();
    if let Ok(f) = &a.fit {
        for (name, b) in ["lambda", "sigma", "kappa"].into_iter().zip(f.at_bound) {
            if let Some(b) = b {
                out.insert(name, b);
            }
        }
    }
    out
}

pub(super) fn unbounded(a: &Analysis) -> Option<UnboundedDoc> {
    a.unbounded_fit.as_ref().map(|u| UnboundedDoc {
        lambda: u.lambda.into(),
        sigma: u.sigma.into(),
        kappa: u.kappa.into(),
        ssr: u.ssr,
    })
}

pub(super) fn amdahl(a: &Analysis) -> Option<AmdahlDoc> {
    let alpha = 1.0 - a.options.confidence.level();
    a.amdahl.as_ref().ok().map(|c| AmdahlDoc {
        lambda: c.amdahl.lambda,
        sigma: c.amdahl.sigma,
        ssr: c.amdahl_ssr,
        f_statistic: c.f_statistic,
        p_value: c.p_value,
        aic_usl: c.aic_usl,
        aic_amdahl: c.aic_amdahl,
        preferred: c
            .usl_needed(alpha)
            .map(|needed| if needed { "usl" } else { "amdahl" }),
    })
}

pub(super) fn level_model(a: &Analysis, i: usize) -> Option<LevelModelDoc> {
    a.levels[i].model.map(|m| LevelModelDoc {
        fitted: m.fitted,
        residual: m.residual,
        efficiency: m.efficiency,
    })
}

pub(super) fn predictions(a: &Analysis) -> Vec<PredictionsDoc> {
    a.predictions
        .iter()
        .map(|p| PredictionsDoc {
            load: p.load,
            throughput: p.throughput.into(),
            prediction_lower: p.prediction_interval.map(|i| i.lower),
            prediction_upper: p.prediction_interval.map(|i| i.upper),
            response_time: p.response_time.map(Into::into),
        })
        .collect()
}

const RANGE: &str = "beyond the floating-point range";

/// Whether `v` serialises as a number (not null).
fn finite(v: Option<f64>) -> bool {
    v.is_some_and(f64::is_finite)
}

/// Reasons of the values of a level's `model` that are not finite (JSON null).
pub(super) fn level_reasons(doc: &mut CapacityDoc) {
    for l in &mut doc.levels {
        let Some(m) = l.model else { continue };
        for (key, v) in [
            ("fitted", m.fitted),
            ("residual", m.residual),
            ("efficiency", m.efficiency),
        ] {
            if !v.is_finite() {
                l.reasons.insert(format!("model.{key}"), RANGE.to_owned());
            }
        }
    }
}

/// Reasons of the nulls the additions can hold.
pub(super) fn reasons(out: &mut BTreeMap<String, String>, doc: &CapacityDoc, a: &Analysis) {
    let mut put = |key: String, why: String| {
        out.insert(key, why);
    };
    if let Some(m) = &doc.model {
        if !m.efficiency_base.is_finite() {
            put("model.efficiency_base".into(), RANGE.to_owned());
        }
        if let Some(c) = &m.amdahl {
            for (key, v) in [
                ("lambda", Some(c.lambda)),
                ("sigma", Some(c.sigma)),
                ("ssr", Some(c.ssr)),
                ("f_statistic", c.f_statistic),
                ("p_value", c.p_value),
                ("aic_usl", c.aic_usl),
                ("aic_amdahl", c.aic_amdahl),
            ] {
                if v.is_some_and(|v| !v.is_finite()) {
                    put(format!("model.amdahl.{key}"), RANGE.to_owned());
                }
            }
        }
        if let Some(u) = &m.unbounded {
            if !u.ssr.is_finite() {
                put("model.unbounded.ssr".into(), RANGE.to_owned());
            }
            for (name, p) in [("lambda", u.lambda), ("sigma", u.sigma), ("kappa", u.kappa)] {
                if !p.estimate.is_finite() {
                    put(format!("model.unbounded.{name}.estimate"), RANGE.to_owned());
                }
            }
        }
    }
    for (i, p) in doc.predictions.iter().enumerate() {
        for (key, v) in [
            ("load", Some(p.load)),
            ("throughput.estimate", Some(p.throughput.estimate)),
            ("throughput.lower", p.throughput.lower),
            ("throughput.upper", p.throughput.upper),
            ("prediction_lower", p.prediction_lower),
            ("prediction_upper", p.prediction_upper),
        ] {
            if v.is_some_and(|v| !v.is_finite()) {
                put(format!("predictions.{i}.{key}"), RANGE.to_owned());
            }
        }
        if let Some(r) = p.response_time {
            for (key, v) in [
                ("estimate", Some(r.estimate)),
                ("lower", r.lower),
                ("upper", r.upper),
            ] {
                if v.is_some_and(|v| !v.is_finite()) {
                    put(
                        format!("predictions.{i}.response_time.{key}"),
                        RANGE.to_owned(),
                    );
                }
            }
        }
    }
    if let Some(s) = &doc.saturation
        && s.model_lower.is_some()
        && !(finite(s.model_lower) && finite(s.model_upper))
    {
        put("saturation.model_lower".into(), RANGE.to_owned());
        put("saturation.model_upper".into(), RANGE.to_owned());
    }
    if let Some(m) = &doc.model {
        match (&m.amdahl, &a.amdahl) {
            (None, Err(e)) => put("model.amdahl".into(), e.clone()),
            (Some(c), _) => {
                let why = || {
                    if m.dof == 0 {
                        "no residual degrees of freedom for an F-test".to_owned()
                    } else {
                        "the USL fits every point exactly (SSR = 0)".to_owned()
                    }
                };
                for (key, v) in [
                    ("f_statistic", c.f_statistic),
                    ("p_value", c.p_value),
                    ("preferred", c.p_value),
                ] {
                    if v.is_none() {
                        put(format!("model.amdahl.{key}"), why());
                    }
                }
                for (key, v) in [("aic_usl", c.aic_usl), ("aic_amdahl", c.aic_amdahl)] {
                    if v.is_none() {
                        put(
                            format!("model.amdahl.{key}"),
                            "a residual sum of squares of 0 has no likelihood".to_owned(),
                        );
                    }
                }
            }
            (None, Ok(_)) => {}
        }
        if let Some(u) = &m.unbounded {
            for (name, p) in [("lambda", u.lambda), ("sigma", u.sigma), ("kappa", u.kappa)] {
                for (key, v) in [
                    ("std_error", p.std_error),
                    ("lower", p.lower),
                    ("upper", p.upper),
                ] {
                    if v.is_none() {
                        put(format!("model.unbounded.{name}.{key}"), no_covariance(a));
                    }
                }
            }
        }
    }
    if let Some(s) = &doc.saturation
        && s.model_lower.is_none()
    {
        let why = format!("no delta-method interval: {}", no_covariance(a));
        put("saturation.model_lower".into(), why.clone());
        put("saturation.model_upper".into(), why);
    }
    for (i, p) in doc.predictions.iter().enumerate() {
        if p.throughput.lower.is_none() {
            let why = format!("no delta-method interval: {}", no_covariance(a));
            put(format!("predictions.{i}.throughput.lower"), why.clone());
            put(format!("predictions.{i}.throughput.upper"), why);
        }
        if p.prediction_lower.is_none() {
            let why = if a.fit.as_ref().is_ok_and(|f| f.weighted) {
                "a weighted fit: the spread of a new measurement at this load is not known"
                    .to_owned()
            } else {
                no_covariance(a)
            };
            put(format!("predictions.{i}.prediction_lower"), why.clone());
            put(format!("predictions.{i}.prediction_upper"), why);
        }
        match p.response_time {
            None => put(
                format!("predictions.{i}.response_time"),
                if a.levels.iter().all(|l| l.mean_latency.is_none()) {
                    "no latency was measured: Little's law needs one".to_owned()
                } else if a.options.latency_unit_s.is_none() {
                    "the latency unit is unknown".to_owned()
                } else {
                    "the predicted throughput is not positive".to_owned()
                },
            ),
            Some(r) if r.lower.is_none() => {
                let why = "the throughput's interval reaches 0 or has none".to_owned();
                put(format!("predictions.{i}.response_time.lower"), why.clone());
                put(format!("predictions.{i}.response_time.upper"), why);
            }
            Some(_) => {}
        }
    }
}

/// Findings of the additions: the bounds, the Amdahl comparison, the predictions.
pub(super) fn findings(doc: &CapacityDoc) -> Vec<String> {
    let mut out = Vec::new();
    let Some(m) = &doc.model else { return out };
    if let (Some(u), false) = (&m.unbounded, m.at_bound.is_empty()) {
        let held: Vec<String> = m
            .at_bound
            .iter()
            .map(|(name, b)| format!("{} = {}", greek(name), num(*b)))
            .collect();
        out.push(format!(
            "Bounded fit: {} held at its bound; the unbounded fit gives λ = {}, σ = {}, κ = {}.",
            held.join(", "),
            sig(u.lambda.estimate, 4),
            sig(u.sigma.estimate, 4),
            sig(u.kappa.estimate, 4)
        ));
    }
    if m.at_bound.get("kappa") == Some(&0.0) {
        out.push(
            "With κ held at 0 the fit is Amdahl's law: no coherency delay is measurable."
                .to_owned(),
        );
    } else if let Some(c) = &m.amdahl {
        match (c.f_statistic, c.p_value, c.preferred) {
            (Some(f), Some(p), Some("usl")) => out.push(format!(
                "Amdahl's law (κ = 0) fits worse: F = {}, p = {} — the coherency term is needed.",
                sig(f, 4),
                sig(p, 2)
            )),
            (Some(f), Some(p), Some(_)) => out.push(format!(
                "Amdahl's law (κ = 0) fits as well (F = {}, p = {}): the data show no \
                 coherency delay.",
                sig(f, 4),
                sig(p, 2)
            )),
            _ => {}
        }
    }
    for p in &doc.predictions {
        let mut s = format!(
            "At N = {} the model predicts {}/s ({} curve",
            num(p.load),
            num(p.throughput.estimate),
            range(p.throughput)
        );
        if let (Some(a), Some(b)) = (p.prediction_lower, p.prediction_upper) {
            let _ = write!(s, "; a new run: [{}, {}]", num(a), num(b));
        }
        s.push(')');
        if let Some(r) = p.response_time {
            let _ = write!(
                s,
                ", a mean response time of {}{} ({}) by Little's law",
                num(r.estimate),
                doc.unit_suffix(),
                range(r)
            );
        }
        s.push('.');
        out.push(s);
    }
    out
}

fn greek(name: &str) -> &'static str {
    match name {
        "lambda" => "λ",
        "sigma" => "σ",
        _ => "κ",
    }
}

/// The Markdown table of the model per level.
pub(super) fn markdown_levels(doc: &CapacityDoc) -> String {
    let mut out = String::new();
    let Some(m) = &doc.model else { return out };
    if doc.levels.iter().all(|l| l.model.is_none()) {
        return out;
    }
    let _ = writeln!(
        out,
        "| level | throughput/s | fitted | residual | efficiency |\n|---:|---:|---:|---:|---:|"
    );
    for l in &doc.levels {
        let Some(lm) = l.model else { continue };
        let _ = writeln!(
            out,
            "| {} | {}{} | {} | {} | {} |",
            num(l.level),
            num(l.throughput.estimate),
            if l.replicates.is_empty() {
                String::new()
            } else {
                format!(" ({} runs)", l.replicates.len())
            },
            num(lm.fitted),
            sig(lm.residual, 3),
            percent(lm.efficiency)
        );
    }
    let _ = writeln!(
        out,
        "\nEfficiency X(N)/(N·X(1)) with X(1) = {}/s ({}).\n",
        num(m.efficiency_base),
        if m.efficiency_base_measured {
            "measured at level 1"
        } else {
            "the model's λ: level 1 was not measured"
        }
    );
    out
}
