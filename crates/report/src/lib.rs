//! Rendering of perfstat results.
//!
//! `perfstat-report` turns the typed results of the statistics crates into
//! what people read and scripts parse:
//!
//! - [`fmt`]: numbers with 3–4 significant digits, units, p-values;
//! - [`json`]: the wire types of the JSON contract (`docs/json-output.md`),
//!   kept apart from the library types so a rename cannot change the contract;
//! - [`describe`]: the terminal table and the Markdown of `perfstat describe`;
//! - [`warning`]: the advice an expert would give on a sample;
//! - [`plot`]: histograms, ECDFs, box plots and percentile ladders as SVG
//!   and PNG, with an embedded font (no system fonts needed);
//! - [`OutDir`]: a report folder written atomically (temporary name, rename).
//!
//! The crate prints nothing: renderers return strings and the CLI writes them.
//!
//! # Example
//!
//! ```
//! use perfstat_report::fmt::sig;
//! assert_eq!(sig(1234.5678, 4), "1235");
//! assert_eq!(sig(0.012345, 3), "0.0123");
//! ```

pub mod ab;
pub mod ab_runs;
pub mod build;
pub mod capacity;
pub mod describe;
mod error;
pub mod fmt;
pub mod gate;
mod input;
pub mod json;
pub mod out_dir;
pub mod pareto;
pub mod plot;
pub mod regress;
pub mod render;
pub mod warning;

pub use crate::error::{Error, Result};
pub use crate::out_dir::OutDir;
pub use crate::render::Render;
