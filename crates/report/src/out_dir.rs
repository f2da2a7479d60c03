//! A report folder written atomically.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A report folder that appears whole or not at all.
///
/// Files are written into a hidden sibling folder; [`OutDir::commit`] renames
/// it into place (replacing an earlier report of the same name). Dropping an
/// `OutDir` without committing removes the temporary folder, so an error or
/// an interrupted run leaves no half-written report.
#[derive(Debug)]
pub struct OutDir {
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl OutDir {
    /// Starts a report that will end up at `target`.
    ///
    /// # Errors
    /// When the temporary folder cannot be created.
    pub fn create(target: &Path) -> Result<Self> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|source| Error::Io {
            path: parent.clone(),
            source,
        })?;
        let name = target
            .file_name()
            .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|source| Error::Io {
                path: tmp.clone(),
                source,
            })?;
        }
        fs::create_dir(&tmp).map_err(|source| Error::Io {
            path: tmp.clone(),
            source,
        })?;
        Ok(Self {
            target: target.to_path_buf(),
            tmp,
            committed: false,
        })
    }

    /// Writes one file (e.g. `report.md`) into the report.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        let path = self.tmp.join(name);
        fs::write(&path, contents).map_err(|source| Error::Io { path, source })
    }

    /// The temporary folder, for writers that need a path (plots).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Moves the finished report into place, replacing an older one.
    ///
    /// # Errors
    /// When the rename fails; the old report is then left as it was.
    pub fn commit(mut self) -> Result<PathBuf> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let old = self.tmp.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(io(&self.target))?;
        }
        if let Err(e) = fs::rename(&self.tmp, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(io(&self.target)(e));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_cleans_up() {
        let base = std::env::temp_dir().join(format!("perfstat-outdir-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let target = base.join("report");
        let out = OutDir::create(&target).unwrap();
        out.write("a.md", "one").unwrap();
        assert!(!target.exists(), "nothing visible before commit");
        out.commit().unwrap();
        assert_eq!(fs::read_to_string(target.join("a.md")).unwrap(), "one");

        let out = OutDir::create(&target).unwrap();
        out.write("b.md", "two").unwrap();
        drop(out);
        assert!(
            target.join("a.md").exists(),
            "an abandoned report leaves the old one"
        );
        assert!(!target.join("b.md").exists());
        let leftovers: Vec<_> = fs::read_dir(&base).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary folder removed");

        let out = OutDir::create(&target).unwrap();
        out.write("c.md", "three").unwrap();
        out.commit().unwrap();
        assert!(!target.join("a.md").exists(), "replaced whole");
        assert!(target.join("c.md").exists());
        fs::remove_dir_all(&base).unwrap();
    }
}
