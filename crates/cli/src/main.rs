//! The `perfstat` command-line tool.
fn main() {}
