//! Helpers: run the binary, write temporary inputs.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `perfstat` binary, run from the workspace root (so `data/...` paths work).
pub fn perfstat() -> Command {
    let mut cmd = Command::cargo_bin("perfstat").unwrap();
    cmd.current_dir(workspace_root());
    cmd.env_remove("RUST_BACKTRACE");
    cmd
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A temporary folder holding test inputs.
pub struct Inputs {
    pub dir: tempfile::TempDir,
}

impl Inputs {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(bytes.as_ref())
            .unwrap();
        path
    }

    pub fn gzip(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        self.file(name, enc.finish().unwrap())
    }
}

/// Runs perfstat, expecting exit status 2 and a one-paragraph error; returns stderr.
pub fn input_error(args: &[&std::ffi::OsStr]) -> String {
    let out = perfstat().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit status for {args:?}; stderr: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout on error, got {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "stderr: {stderr}"
    );
    stderr
}
