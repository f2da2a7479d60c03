//! Placeholder: readers are being built.
