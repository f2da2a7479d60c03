//! `perfstat pareto`: configs → the analysis and [`ParetoDoc`].

use std::path::Path;

use perfstat_pareto::input::{self, Input, ReadOptions};
use perfstat_pareto::{Analysis, Options};

use crate::pareto::{ParetoDoc, ParetoJson};

/// Why the document could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParetoError {
    /// The configs could not be read.
    #[error(transparent)]
    Read(#[from] input::Error),
    /// Neither the options nor the file name an objective.
    #[error("{source_name}: no objectives")]
    NoObjectives {
        /// The configs' name.
        source_name: String,
    },
    /// The reference point does not fit the objectives.
    #[error("{source_name}")]
    Reference {
        /// The configs' name.
        source_name: String,
        /// Why.
        #[source]
        error: perfstat_pareto::Error,
    },
    /// The analysis failed.
    #[error("{source_name}")]
    Analysis {
        /// The configs' name.
        source_name: String,
        /// Why.
        #[source]
        error: perfstat_pareto::Error,
    },
}

/// What [`pareto`] built.
#[derive(Debug)]
pub struct ParetoRun {
    /// The configs as read.
    pub input: Input,
    /// The options of the analysis (with the reference point resolved).
    pub options: Options,
    /// The analysis.
    pub analysis: Analysis,
}

impl ParetoRun {
    /// The wire document, owned (what the table, the Markdown and the plots read).
    #[must_use]
    pub fn doc(&self) -> ParetoDoc {
        ParetoDoc::new(&self.input, &self.options, &self.analysis)
    }

    /// The same document as JSON, borrowed from the analysis: for writing it without
    /// building the [`ParetoDoc`] (the bytes are the same; see [`ParetoJson::with_layout`]).
    #[must_use]
    pub fn json(&self) -> ParetoJson<'_> {
        ParetoJson::new(&self.input, &self.options, &self.analysis)
    }
}

/// Reads the configs at `path`, resolves the reference point `reference` (`NAME=VALUE` pairs,
/// parsed by [`perfstat_pareto::parse_reference`]) against their objectives, and analyses them;
/// `note` hears of objectives whose direction was inferred from their name.
///
/// # Errors
/// [`ParetoError`].
pub fn pareto(
    path: &Path,
    read: &ReadOptions,
    reference: Option<&[(String, f64)]>,
    mut options: Options,
    note: &mut dyn FnMut(String),
) -> Result<ParetoRun, ParetoError> {
    let input = input::read_path(path, read)?;
    let source_name = input.source.clone();
    for name in &input.inferred {
        if let Some(o) = input.objectives.iter().find(|o| &o.name == name) {
            note(format!(
                "note: objective `{name}`: {} ({}), inferred from its name; write \
                 {name}:min or {name}:max to choose",
                o.direction,
                o.direction.words()
            ));
        }
    }
    if input.objectives.is_empty() {
        return Err(ParetoError::NoObjectives { source_name });
    }
    if let Some(pairs) = reference {
        options.reference = Some(
            perfstat_pareto::reference_from_pairs(&input.objectives, pairs).map_err(|error| {
                ParetoError::Reference {
                    source_name: source_name.clone(),
                    error,
                }
            })?,
        );
    }
    let analysis = perfstat_pareto::analyze(&input.objectives, &input.configs, &options)
        .map_err(|error| ParetoError::Analysis { source_name, error })?;
    Ok(ParetoRun {
        input,
        options,
        analysis,
    })
}
