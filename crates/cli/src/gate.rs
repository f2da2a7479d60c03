//! `--fail-on`: one vocabulary of gate conditions for every command (docs/cli.md has the table).

use clap::ValueEnum;

/// A condition that makes perfstat exit with status 1 when it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ValueEnum)]
pub(crate) enum Condition {
    /// Never exit 1 (any other condition given with it is an error).
    Never,
    /// `ab`: the treatment is significantly worse (by at least --min-effect);
    /// `regress`: a metric regressed against its baseline.
    #[value(alias = "regressed")]
    Regression,
    /// `ab`: the treatment is not significantly better.
    NotImproved,
    /// An `--slo` objective fails.
    Slo,
    /// An `--slo` objective fails or is uncertain.
    SloUncertain,
    /// `capacity`: an objective breaks below the highest level tested.
    Degradation,
}

impl Condition {
    /// The name on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::Regression => "regression",
            Self::NotImproved => "not-improved",
            Self::Slo => "slo",
            Self::SloUncertain => "slo-uncertain",
            Self::Degradation => "degradation",
        }
    }
}

/// The conditions a command was asked to fail on, checked against those it supports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Gate(Vec<Condition>);

impl Gate {
    /// Validates `given` (empty: the command's `default`) against `supported`.
    ///
    /// # Errors
    /// A condition the command does not support, or `never` together with another condition.
    pub(crate) fn new(
        command: &str,
        given: &[Condition],
        supported: &[Condition],
        default: &[Condition],
    ) -> anyhow::Result<Self> {
        let conditions = if given.is_empty() { default } else { given };
        for c in conditions {
            if !supported.contains(c) && *c != Condition::Never {
                let names: Vec<&str> = std::iter::once("never")
                    .chain(supported.iter().map(|s| s.name()))
                    .collect();
                anyhow::bail!(
                    "--fail-on {} does not apply to `perfstat {command}`; it takes: {}",
                    c.name(),
                    names.join(", ")
                );
            }
        }
        if conditions.contains(&Condition::Never) && conditions.len() > 1 {
            anyhow::bail!("--fail-on never cannot be combined with other conditions");
        }
        Ok(Self(
            conditions
                .iter()
                .copied()
                .filter(|c| *c != Condition::Never)
                .collect(),
        ))
    }

    /// Whether the gate includes `condition`.
    pub(crate) fn on(&self, condition: Condition) -> bool {
        self.0.contains(&condition)
            || (condition == Condition::Slo && self.0.contains(&Condition::SloUncertain))
    }

    /// Adds `condition` (for the older boolean flags such as `--fail-on-slo`).
    pub(crate) fn with(mut self, condition: Condition, yes: bool) -> Self {
        if yes && !self.0.contains(&condition) {
            self.0.push(condition);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Condition::*;

    #[test]
    fn defaults_and_support() {
        let g = Gate::new("regress", &[], &[Regression], &[Regression]).unwrap();
        assert!(g.on(Regression));
        assert!(!g.on(Slo));
        let g = Gate::new("regress", &[Never], &[Regression], &[Regression]).unwrap();
        assert!(!g.on(Regression));
        let err =
            Gate::new("ab", &[Degradation], &[Regression, NotImproved, Slo], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--fail-on degradation does not apply to `perfstat ab`; it takes: never, regression, not-improved, slo"
        );
        assert!(Gate::new("ab", &[Never, Slo], &[Slo], &[]).is_err());
    }

    #[test]
    fn slo_uncertain_implies_slo() {
        let g = Gate::new("describe", &[SloUncertain], &[Slo, SloUncertain], &[]).unwrap();
        assert!(g.on(Slo) && g.on(SloUncertain));
        let g = Gate::new("describe", &[], &[Slo, SloUncertain], &[]).unwrap();
        assert!(!g.on(Slo));
        assert!(g.with(Slo, true).on(Slo));
    }

    #[test]
    fn old_spelling_is_an_alias() {
        assert_eq!(Condition::from_str("regressed", true), Ok(Regression));
        assert_eq!(Condition::from_str("not-improved", true), Ok(NotImproved));
    }
}
