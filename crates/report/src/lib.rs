//! Placeholder: rendering is being built.
