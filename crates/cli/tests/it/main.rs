//! Integration tests of the `perfstat` binary: one test binary.

mod bad_input;
mod describe;
mod util;
