//! Gate conditions: one vocabulary of conditions that make a run fail (the command line's
//! `--fail-on`; `docs/cli.md` has the table), which of them each command takes, and whether a
//! command's results meet them.

use std::fmt;
use std::str::FromStr;

use perfstat_stats::compare::Verdict;
use perfstat_stats::slo::{SloResult, SloStatus};

use crate::ab::AbReport;
use crate::describe::DescribeReport;

/// A condition that fails a run when it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Condition {
    /// Never fail (any other condition given with it is an error).
    Never,
    /// `ab`: the treatment is significantly worse (by at least the smallest effect);
    /// `regress`: a metric regressed against its baseline. Also spelled `regressed`.
    Regression,
    /// `ab`: the treatment is not significantly better.
    NotImproved,
    /// An objective fails.
    Slo,
    /// An objective fails or is uncertain.
    SloUncertain,
    /// `capacity`: an objective breaks below the highest level tested.
    Degradation,
    /// `regress`: a metric drifts in the worse direction (significant trend since its last change
    /// point whose fitted change reaches the metric's threshold).
    Drift,
}

impl Condition {
    /// Every condition, in the order of the documentation.
    pub const ALL: [Self; 7] = [
        Self::Never,
        Self::Regression,
        Self::NotImproved,
        Self::Slo,
        Self::SloUncertain,
        Self::Degradation,
        Self::Drift,
    ];

    /// The name on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::Regression => "regression",
            Self::NotImproved => "not-improved",
            Self::Slo => "slo",
            Self::SloUncertain => "slo-uncertain",
            Self::Degradation => "degradation",
            Self::Drift => "drift",
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A condition name that is not one, or a set of conditions a command does not take.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GateError {
    /// Not a condition name.
    #[error(
        "unknown condition {0:?}: expected one of never, regression, not-improved, slo, slo-uncertain, degradation, drift"
    )]
    Unknown(String),
    /// The command does not take this condition.
    #[error("{condition} does not apply to `perfstat {command}`; it takes: {}", takes.join(", "))]
    Unsupported {
        /// The condition given.
        condition: Condition,
        /// The command.
        command: String,
        /// The conditions it takes, `never` first.
        takes: Vec<&'static str>,
    },
    /// `never` with another condition.
    #[error("never cannot be combined with other conditions")]
    NeverWithOthers,
}

impl FromStr for Condition {
    type Err = GateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "regressed" {
            return Ok(Self::Regression);
        }
        Self::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| GateError::Unknown(s.to_owned()))
    }
}

/// The conditions `command` takes (besides `never`), and those it fails on when none is given:
/// `describe` slo, slo-uncertain; `ab` regression, not-improved, slo, slo-uncertain; `regress`
/// regression (also the default), drift; `capacity` slo, slo-uncertain, degradation; `pareto` (and
/// any other name) none.
#[must_use]
pub fn conditions(command: &str) -> (&'static [Condition], &'static [Condition]) {
    use Condition::{Degradation, Drift, NotImproved, Regression, Slo, SloUncertain};
    match command {
        "describe" => (&[Slo, SloUncertain], &[]),
        "ab" => (&[Regression, NotImproved, Slo, SloUncertain], &[]),
        "regress" => (&[Regression, Drift], &[Regression]),
        "capacity" => (&[Slo, SloUncertain, Degradation], &[]),
        _ => (&[], &[]),
    }
}

/// The conditions a command was asked to fail on, checked against those it supports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gate(Vec<Condition>);

impl Gate {
    /// Validates `given` (empty: the command's `default`) against `supported`.
    ///
    /// # Errors
    /// [`GateError::Unsupported`] for a condition the command does not take,
    /// [`GateError::NeverWithOthers`] for `never` with another condition.
    pub fn new(
        command: &str,
        given: &[Condition],
        supported: &[Condition],
        default: &[Condition],
    ) -> Result<Self, GateError> {
        let conditions = if given.is_empty() { default } else { given };
        if let Some(&condition) = conditions
            .iter()
            .find(|c| !supported.contains(c) && **c != Condition::Never)
        {
            return Err(GateError::Unsupported {
                condition,
                command: command.to_owned(),
                takes: std::iter::once("never")
                    .chain(supported.iter().map(|s| s.name()))
                    .collect(),
            });
        }
        if conditions.contains(&Condition::Never) && conditions.len() > 1 {
            return Err(GateError::NeverWithOthers);
        }
        Ok(Self(
            conditions
                .iter()
                .copied()
                .filter(|c| *c != Condition::Never)
                .collect(),
        ))
    }

    /// [`Gate::new`] with the conditions `command` takes and its default ([`conditions`]).
    ///
    /// # Errors
    /// As [`Gate::new`].
    pub fn for_command(command: &str, given: &[Condition]) -> Result<Self, GateError> {
        let (supported, default) = conditions(command);
        Self::new(command, given, supported, default)
    }

    /// Whether the gate includes `condition` (`slo-uncertain` includes `slo`).
    #[must_use]
    pub fn on(&self, condition: Condition) -> bool {
        self.0.contains(&condition)
            || (condition == Condition::Slo && self.0.contains(&Condition::SloUncertain))
    }

    /// Adds `condition` when `yes` (for older boolean flags such as `--fail-on-slo`).
    #[must_use]
    pub fn with(mut self, condition: Condition, yes: bool) -> Self {
        if yes && !self.0.contains(&condition) {
            self.0.push(condition);
        }
        self
    }

    /// Whether `slo` (a failed objective) or `slo-uncertain` (failed or uncertain) holds.
    #[must_use]
    pub fn slo(&self, results: &[SloResult]) -> bool {
        results.iter().any(|r| match r.status {
            SloStatus::Fail => self.on(Condition::Slo),
            SloStatus::Uncertain => self.on(Condition::SloUncertain),
            SloStatus::Pass => false,
        })
    }

    /// Whether a condition holds for `describe`'s report (its objectives).
    #[must_use]
    pub fn describe(&self, report: &DescribeReport) -> bool {
        report.slos.iter().any(|r| self.slo(r))
    }

    /// Whether a condition holds in any group of `ab`'s report: the treatment's objectives, a
    /// regression, or no improvement (neither improved nor equivalent).
    #[must_use]
    pub fn ab(&self, report: &AbReport) -> bool {
        report.groups.iter().any(|g| {
            self.slo(&g.treatment_slos)
                || (self.on(Condition::Regression) && g.verdict == Verdict::Regressed)
                || (self.on(Condition::NotImproved)
                    && !matches!(g.verdict, Verdict::Improved | Verdict::Equivalent))
        })
    }

    /// Whether a condition holds for `ab` over repeated runs: a regression, or no improvement
    /// (neither improved nor equivalent), on the run-level verdict.
    #[must_use]
    pub fn ab_runs(&self, report: &crate::ab_runs::AbRunsReport) -> bool {
        let v = report.comparison.verdict.verdict;
        (self.on(Condition::Regression) && v == Verdict::Regressed)
            || (self.on(Condition::NotImproved)
                && !matches!(v, Verdict::Improved | Verdict::Equivalent))
    }

    /// Whether a condition holds for `capacity`: an objective counted at a level, or a degradation
    /// below the highest level tested.
    #[must_use]
    pub fn capacity(&self, analysis: &perfstat_capacity::Analysis) -> bool {
        let counted: Vec<SloResult> = analysis
            .counted_slo_results()
            .into_iter()
            .map(|(_, r)| r.clone())
            .collect();
        self.slo(&counted)
            || (self.on(Condition::Degradation) && analysis.degrades_below_highest_level())
    }

    /// Whether a metric of `regress` regressed (with `regression` on) or drifts in the worse
    /// direction (with `drift` on).
    #[must_use]
    pub fn regress(&self, analysis: &perfstat_regress::Analysis) -> bool {
        (self.on(Condition::Regression)
            && analysis.count(perfstat_regress::analyze::Status::Regression) > 0)
            || (self.on(Condition::Drift)
                && analysis.drifts(perfstat_regress::DriftStatus::Worse) > 0)
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
            "degradation does not apply to `perfstat ab`; it takes: never, regression, not-improved, slo"
        );
        assert_eq!(
            Gate::new("ab", &[Never, Slo], &[Slo], &[]),
            Err(GateError::NeverWithOthers)
        );
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
    fn each_command_takes_its_conditions() {
        assert!(Gate::for_command("regress", &[]).unwrap().on(Regression));
        assert!(!Gate::for_command("ab", &[]).unwrap().on(Regression));
        assert!(Gate::for_command("capacity", &[Degradation]).is_ok());
        assert!(Gate::for_command("describe", &[Drift]).is_err());
        let err = Gate::for_command("pareto", &[Slo]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "slo does not apply to `perfstat pareto`; it takes: never"
        );
        assert!(Gate::for_command("pareto", &[Never]).is_ok());
    }

    #[test]
    fn names_round_trip_and_the_old_spelling_is_an_alias() {
        for c in Condition::ALL {
            assert_eq!(c.name().parse::<Condition>(), Ok(c));
        }
        assert_eq!("regressed".parse::<Condition>(), Ok(Regression));
        assert!("bogus".parse::<Condition>().is_err());
    }
}
