//! A report folder written atomically, and the rules for where one may go.
//!
//! - [`check_target`] says whether a report may be written at a path: a new
//!   name, an empty folder, or (when asked to) an earlier perfstat report,
//!   recognised by its [`MARKER`] file. A file, a symbolic link, an input of
//!   the run, a folder holding an input, and a folder perfstat did not write
//!   are refused.
//! - [`OutDir`] writes into a hidden sibling `.NAME.perfstat-tmp-PID` and
//!   moves it into place at the end. On Linux an earlier report is swapped
//!   with the new one in one `renameat2(RENAME_EXCHANGE)`, so the target
//!   always holds the old or the new report; elsewhere (or on a file system
//!   without the exchange) the old report is first renamed to
//!   `.NAME.perfstat-old-PID` and restored by the next run if a crash
//!   falls between the two renames.
//! - [`remove_temporaries`] removes the temporary folders of this process
//!   (for a signal handler); [`OutDir::create`] removes the ones a killed
//!   perfstat left next to the same target.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::{Error, Result};

/// The file every report holds: `perfstat COMMAND VERSION`.
pub const MARKER: &str = ".perfstat-report";

/// The tag in the name of a folder being written (`.NAME.perfstat-tmp-PID`).
const TMP_TAG: &str = "perfstat-tmp";
/// The tag of an old report set aside where no exchange is available.
const OLD_TAG: &str = "perfstat-old";

/// Why a report may not be written at a path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The path exists and is a file (or a device, a socket…), not a folder.
    #[error("{} exists and is not a folder", target.display())]
    NotAFolder {
        /// The path as given.
        target: PathBuf,
    },
    /// The path is a symbolic link (replacing it would replace the link).
    #[error("{} is a symbolic link", target.display())]
    SymbolicLink {
        /// The path as given.
        target: PathBuf,
    },
    /// The path names no folder that can be replaced (`/`).
    #[error("{} names no folder that can be replaced", target.display())]
    NoName {
        /// The path as given.
        target: PathBuf,
    },
    /// The path is one of the run's input files.
    #[error("{} is an input of this run", target.display())]
    IsInput {
        /// The path as given.
        target: PathBuf,
    },
    /// The folder holds one of the run's input files.
    #[error("{} holds {}, an input of this run", target.display(), input.display())]
    ContainsInput {
        /// The path as given.
        target: PathBuf,
        /// The input, as given.
        input: PathBuf,
    },
    /// A non-empty folder that perfstat did not write.
    #[error("{} is a folder that is not a perfstat report (it has no {MARKER} file)", target.display())]
    NotAReport {
        /// The path as given.
        target: PathBuf,
    },
    /// An earlier perfstat report, and replacing was not asked for.
    #[error("{} is an existing perfstat report", target.display())]
    ExistingReport {
        /// The path as given.
        target: PathBuf,
    },
}

/// What is at a report's target path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Nothing.
    Absent,
    /// An empty folder.
    EmptyFolder,
    /// A folder holding a perfstat report.
    Report,
}

/// The contents of the [`MARKER`] file of a report written by `command`.
#[must_use]
pub fn marker_text(command: &str, version: &str) -> String {
    format!("perfstat {command} {version}\n")
}

/// Whether the folder `dir` is a perfstat report: it holds the [`MARKER`]
/// file, or (reports written before the marker) only `.md`, `.json`, `.png`
/// and `.svg` files, among them `report.md` titled `# perfstat COMMAND` and
/// `COMMAND.json`.
#[must_use]
pub fn is_report(dir: &Path) -> bool {
    let marker = dir.join(MARKER);
    if fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file())
        && fs::read(&marker).is_ok_and(|t| t.starts_with(b"perfstat "))
    {
        return true;
    }
    is_legacy_report(dir)
}

fn is_legacy_report(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    for entry in entries {
        let Ok(entry) = entry else { return false };
        let plain_file = entry.file_type().is_ok_and(|t| t.is_file());
        let name = entry.file_name();
        let known = Path::new(&name)
            .extension()
            .is_some_and(|e| ["md", "json", "png", "svg"].iter().any(|k| e == *k));
        if !plain_file || !known {
            return false;
        }
    }
    let Ok(text) = fs::read_to_string(dir.join("report.md")) else {
        return false;
    };
    let Some(command) = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# perfstat "))
        .map(str::trim)
        .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_lowercase()))
    else {
        return false;
    };
    fs::symlink_metadata(dir.join(format!("{command}.json"))).is_ok_and(|m| m.is_file())
}

/// What is at `target` (not following a symbolic link).
///
/// # Errors
/// [`Error::Refused`] for anything a report may not replace, [`Error::OutDir`]
/// when the path cannot be inspected.
pub fn existing(target: &Path) -> Result<Existing> {
    let refuse = |r: fn(PathBuf) -> Refusal| Err(Error::Refused(r(target.to_path_buf())));
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        // A parent that is a file (ENOTDIR): creating the folder says so.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Existing::Absent);
        }
        Err(source) => {
            return Err(Error::OutDir {
                path: target.to_path_buf(),
                what: "cannot inspect it",
                source,
            });
        }
    };
    if meta.file_type().is_symlink() {
        return refuse(|target| Refusal::SymbolicLink { target });
    }
    if !meta.is_dir() {
        return refuse(|target| Refusal::NotAFolder { target });
    }
    let mut entries = fs::read_dir(target).map_err(|source| Error::OutDir {
        path: target.to_path_buf(),
        what: "cannot list it",
        source,
    })?;
    if entries.next().is_none() {
        Ok(Existing::EmptyFolder)
    } else if is_report(target) {
        Ok(Existing::Report)
    } else {
        refuse(|target| Refusal::NotAReport { target })
    }
}

/// Checks that a report may be written at `target` by a run reading
/// `inputs` (`-`, stdin, is skipped): `target` is not an input, holds no
/// input, and is absent, an empty folder, or — with `replace` — a perfstat
/// report. Paths are compared canonically (symbolic links resolved).
///
/// # Errors
/// [`Error::Refused`] saying why not, or [`Error::OutDir`] when the target
/// cannot be inspected.
pub fn check_target(target: &Path, inputs: &[PathBuf], replace: bool) -> Result<Existing> {
    let given = target.to_path_buf();
    if let Ok(canonical) = fs::canonicalize(target) {
        for input in inputs.iter().filter(|p| p.as_os_str() != "-") {
            let Ok(input_canonical) = fs::canonicalize(input) else {
                continue;
            };
            if input_canonical == canonical {
                return Err(Refusal::IsInput { target: given }.into());
            }
            if input_canonical.starts_with(&canonical) {
                return Err(Refusal::ContainsInput {
                    target: given,
                    input: input.clone(),
                }
                .into());
            }
        }
    }
    let target = resolve(target)?;
    let found = existing(&target).map_err(|e| with_given(e, &given))?;
    if found == Existing::Report && !replace {
        return Err(Refusal::ExistingReport { target: given }.into());
    }
    Ok(found)
}

/// Puts the path the user gave back into a refusal about the resolved one.
fn with_given(err: Error, given: &Path) -> Error {
    let target = given.to_path_buf();
    match err {
        Error::Refused(r) => Error::Refused(match r {
            Refusal::NotAFolder { .. } => Refusal::NotAFolder { target },
            Refusal::SymbolicLink { .. } => Refusal::SymbolicLink { target },
            Refusal::NotAReport { .. } => Refusal::NotAReport { target },
            other => other,
        }),
        other => other,
    }
}

/// A target with a last component to rename (`.` and `..` resolved).
fn resolve(target: &Path) -> Result<PathBuf> {
    if target.file_name().is_some() {
        return Ok(target.to_path_buf());
    }
    let resolved = fs::canonicalize(target).map_err(|source| Error::OutDir {
        path: target.to_path_buf(),
        what: "cannot resolve it",
        source,
    })?;
    if resolved.file_name().is_none() {
        return Err(Refusal::NoName {
            target: target.to_path_buf(),
        }
        .into());
    }
    Ok(resolved)
}

/// The folders of this process being written (and the lock that orders
/// their removal by a signal handler against [`OutDir::commit`]).
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Every temporary folder this process made, with its target: error
/// messages name the target.
static NAMES: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes the temporary folders of this process and keeps any other
/// [`OutDir`] from committing: for a signal handler that then exits.
/// The lock taken here is held until the process exits, so a commit in
/// progress finishes its rename first and none starts after.
pub fn remove_temporaries() {
    let guard = live();
    for dir in guard.iter() {
        remove_folder(dir);
    }
    // Exit without releasing: no OutDir may commit after this.
    std::mem::forget(guard);
}

/// Starts a thread that, on SIGINT, SIGTERM or SIGHUP, calls [`remove_temporaries`] and exits
/// the process with 128 + the signal (130, 143, 129); a second signal while that runs exits at
/// once. For a binary that writes reports; elsewhere (not Unix) it does nothing.
///
/// # Errors
/// When the handlers cannot be registered.
#[cfg(unix)]
pub fn remove_temporaries_on_signal() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let signals = [SIGINT, SIGTERM, SIGHUP];
    let again = Arc::new(AtomicBool::new(false));
    for sig in signals {
        signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&again))?;
    }
    let mut iter = signal_hook::iterator::Signals::new(signals)?;
    std::thread::spawn(move || {
        if let Some(sig) = iter.forever().next() {
            again.store(true, Ordering::SeqCst);
            remove_temporaries();
            #[allow(clippy::exit)]
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}

/// Does nothing: signals are Unix's.
///
/// # Errors
/// Never.
#[cfg(not(unix))]
pub fn remove_temporaries_on_signal() -> std::io::Result<()> {
    Ok(())
}

/// Replaces each temporary folder's name in `text` by its target's (for
/// error messages written by code that only saw [`OutDir::path`]).
#[must_use]
pub fn name_targets(text: &str) -> String {
    let names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    let mut text = text.to_owned();
    for (tmp, target) in names.iter() {
        text = text.replace(&*tmp.to_string_lossy(), &target.to_string_lossy());
    }
    text
}

/// `remove_dir_all` that retries while another thread still adds files.
fn remove_folder(dir: &Path) {
    for _ in 0..20 {
        match fs::remove_dir_all(dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {}
            _ => return,
        }
    }
}

/// A report folder that appears whole or not at all.
///
/// Files are written into a hidden sibling folder `.NAME.perfstat-tmp-PID`;
/// [`OutDir::commit`] moves it into place (replacing an earlier report of
/// the same name atomically where the platform can). Dropping an `OutDir`
/// without committing removes the temporary folder, so an error leaves no
/// half-written report; [`remove_temporaries`] does the same on a signal.
#[derive(Debug)]
pub struct OutDir {
    /// The path as given (for messages).
    given: PathBuf,
    /// The path renamed into (`.` and `..` resolved).
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

fn name_of(target: &Path) -> String {
    target
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned())
}

fn sibling(target: &Path, tag: &str, pid: u32) -> PathBuf {
    target.with_file_name(format!(".{}.{tag}-{pid}", name_of(target)))
}

impl OutDir {
    /// Starts a report that will end up at `target`, first removing the
    /// temporary folders a killed perfstat left next to it (see
    /// [`clean_stale`]).
    ///
    /// # Errors
    /// [`Error::Refused`] when the target may not hold a report (see
    /// [`existing`]), [`Error::OutDir`] when the temporary folder cannot be
    /// created; both name `target`, not the temporary folder.
    pub fn create(target: &Path) -> Result<Self> {
        let given = target.to_path_buf();
        let target = resolve(target)?;
        let fail = |what, source| Error::OutDir {
            path: given.clone(),
            what,
            source,
        };
        clean_stale(&target);
        existing(&target).map_err(|e| with_given(e, &given))?;
        let tmp = sibling(&target, TMP_TAG, std::process::id());
        if fs::symlink_metadata(&tmp).is_ok() {
            // Ours by name and PID: a process with this PID that died.
            fs::remove_dir_all(&tmp)
                .map_err(|e| fail("cannot remove an old temporary folder", e))?;
        }
        let mut live = live();
        if let Err(e) = fs::create_dir(&tmp) {
            if e.kind() != io::ErrorKind::NotFound {
                return Err(fail("cannot create it", e));
            }
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(|e| fail("cannot create it", e))?;
            }
            fs::create_dir(&tmp).map_err(|e| fail("cannot create it", e))?;
        }
        live.push(tmp.clone());
        drop(live);
        NAMES
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((tmp.clone(), given.clone()));
        Ok(Self {
            given,
            target,
            tmp,
            committed: false,
        })
    }

    /// Writes one file (e.g. `report.md`) into the report.
    ///
    /// # Errors
    /// When the file cannot be written (the error names the file in the target).
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        fs::write(self.tmp.join(name), contents).map_err(|source| Error::Io {
            path: self.given.join(name),
            source,
        })
    }

    /// The temporary folder, for writers that need a path (plots).
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Finishes a report: `report.md` (titled `# perfstat COMMAND`) and `COMMAND.json` next to
    /// whatever is already in the folder (plots), then [`OutDir::commit`]; returns the path of
    /// `report.md` in its place.
    ///
    /// # Errors
    /// As [`OutDir::write`] and [`OutDir::commit`].
    pub fn finish(
        self,
        command: &str,
        version: &str,
        markdown: &str,
        json: &str,
    ) -> Result<PathBuf> {
        self.write("report.md", format!("# perfstat {command}\n\n{markdown}"))?;
        self.write(&format!("{command}.json"), format!("{json}\n"))?;
        Ok(self.commit(command, version)?.join("report.md"))
    }

    /// Writes the [`MARKER`] (`perfstat COMMAND VERSION`) and moves the
    /// finished report into place, replacing an empty folder or an earlier
    /// perfstat report (never anything else: the target is checked again).
    ///
    /// # Errors
    /// When the target may no longer be replaced or a rename fails; the old
    /// report is then left in place.
    pub fn commit(mut self, command: &str, version: &str) -> Result<PathBuf> {
        self.write(MARKER, marker_text(command, version))?;
        let mut live = live();
        let found = existing(&self.target).map_err(|e| with_given(e, &self.given))?;
        let fail = |what, source| Error::OutDir {
            path: self.given.clone(),
            what,
            source,
        };
        match found {
            Existing::Absent | Existing::EmptyFolder => {
                // rename(2) replaces an empty folder and fails on anything else.
                fs::rename(&self.tmp, &self.target)
                    .map_err(|e| fail("cannot move it into place", e))?;
                live.retain(|p| p != &self.tmp);
                self.committed = true;
            }
            Existing::Report => match exchange(&self.tmp, &self.target) {
                Ok(()) => {
                    // The temporary name now holds the old report; a kill
                    // before it is removed leaves it for the next run.
                    self.committed = true;
                    drop(live);
                    remove_folder(&self.tmp);
                    live = self::live();
                    live.retain(|p| p != &self.tmp);
                }
                Err(e) if exchange_unsupported(&e) => {
                    let old = sibling(&self.target, OLD_TAG, std::process::id());
                    live.push(old.clone());
                    fs::rename(&self.target, &old)
                        .map_err(|e| fail("cannot move the old report aside", e))?;
                    if let Err(e) = fs::rename(&self.tmp, &self.target) {
                        let _ = fs::rename(&old, &self.target);
                        return Err(fail("cannot move it into place", e));
                    }
                    self.committed = true;
                    live.retain(|p| p != &self.tmp);
                    drop(live);
                    remove_folder(&old);
                    live = self::live();
                    live.retain(|p| p != &old);
                }
                Err(e) => return Err(fail("cannot replace the old report", e)),
            },
        }
        drop(live);
        Ok(self.given.clone())
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if !self.committed {
            let mut live = live();
            remove_folder(&self.tmp);
            live.retain(|p| p != &self.tmp);
        }
    }
}

/// Swaps two folders in one step (`renameat2(RENAME_EXCHANGE)`).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// No atomic exchange here: the caller sets the old report aside first.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The kernel or file system has no `RENAME_EXCHANGE`.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange_unsupported(e: &io::Error) -> bool {
    use rustix::io::Errno;
    matches!(
        Errno::from_io_error(e),
        Some(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP)
    )
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
}

/// Whether a process with this PID is running (unknown: assumed running).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return true;
    };
    // ESRCH: no such process; EPERM: one that is not ours, but alive.
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

#[cfg(not(unix))]
fn alive(_: u32) -> bool {
    true
}

/// Removes what a killed perfstat left next to `target`: folders named
/// `.NAME.perfstat-tmp-PID` or `.NAME.perfstat-old-PID` whose process is
/// no longer running. An old report set aside (`perfstat-old`) is put back
/// when `target` is missing. Nothing else is touched; failures are ignored
/// (they cost only litter). Returns what was removed or restored.
pub fn clean_stale(target: &Path) -> Vec<PathBuf> {
    let mut done = Vec::new();
    let Some(parent) = target.parent() else {
        return done;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return done;
    };
    let prefix = format!(".{}.", name_of(target));
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some((tag, pid)) = rest.rsplit_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if (tag != TMP_TAG && tag != OLD_TAG)
            || pid == me
            || !entry.file_type().is_ok_and(|t| t.is_dir())
            || alive(pid)
        {
            continue;
        }
        let path = target.with_file_name(&name);
        if tag == OLD_TAG
            && fs::symlink_metadata(target).is_err()
            && fs::rename(&path, target).is_ok()
        {
            done.push(path);
            continue;
        }
        if fs::remove_dir_all(&path).is_ok() {
            done.push(path);
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn commit_replaces_and_drop_cleans_up() {
        let base = tempfile::tempdir().unwrap();
        let target = base.path().join("report");
        let out = OutDir::create(&target).unwrap();
        out.write("a.md", "one").unwrap();
        assert!(!target.exists(), "nothing visible before commit");
        out.commit("describe", "9.9").unwrap();
        assert_eq!(fs::read_to_string(target.join("a.md")).unwrap(), "one");
        assert_eq!(
            fs::read_to_string(target.join(MARKER)).unwrap(),
            "perfstat describe 9.9\n"
        );

        let out = OutDir::create(&target).unwrap();
        out.write("b.md", "two").unwrap();
        drop(out);
        assert_eq!(
            files(&target),
            [MARKER, "a.md"],
            "an abandoned report leaves the old one"
        );
        assert_eq!(files(base.path()), ["report"], "temporary folder removed");

        let out = OutDir::create(&target).unwrap();
        out.write("c.md", "three").unwrap();
        out.commit("describe", "9.9").unwrap();
        assert_eq!(files(&target), [MARKER, "c.md"], "replaced whole");
        assert_eq!(files(base.path()), ["report"], "the old report is removed");
    }

    #[test]
    fn the_old_report_survives_a_failed_run() {
        let base = tempfile::tempdir().unwrap();
        let target = base.path().join("rep");
        let out = OutDir::create(&target).unwrap();
        out.write("report.md", "old").unwrap();
        out.commit("ab", "1").unwrap();
        let out = OutDir::create(&target).unwrap();
        out.write("report.md", "new, half").unwrap();
        // A writer fails mid-way: a name that cannot be a file.
        let err = out.write("no/such/dir.png", "x").unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: ", target.join("no/such/dir.png").display())),
            "names the file in the target: {err}"
        );
        // Text from writers that only saw the temporary path names the target too.
        let plot_error = format!(
            "cannot plot {}: no values",
            out.path().join("ecdf").display()
        );
        assert_eq!(
            name_targets(&plot_error),
            format!("cannot plot {}: no values", target.join("ecdf").display())
        );
        drop(out);
        assert_eq!(fs::read_to_string(target.join("report.md")).unwrap(), "old");
        assert_eq!(files(base.path()), ["rep"]);
    }

    #[test]
    fn marker_and_legacy_reports_are_recognised() {
        let base = tempfile::tempdir().unwrap();
        let d = base.path();
        assert!(!is_report(d), "empty is not a report");
        fs::write(d.join("report.md"), "# perfstat ab\n\ntext").unwrap();
        fs::write(d.join("ab.json"), "{}").unwrap();
        fs::write(d.join("ecdf.png"), "").unwrap();
        assert!(is_report(d), "a report written before the marker");
        fs::write(d.join("thesis.tex"), "mine").unwrap();
        assert!(!is_report(d), "a file perfstat never writes");
        fs::write(d.join(MARKER), marker_text("ab", "0.1.0")).unwrap();
        assert!(is_report(d), "the marker");
        fs::write(d.join(MARKER), "something else").unwrap();
        assert!(!is_report(d), "a marker must say perfstat");

        let e = tempfile::tempdir().unwrap();
        fs::write(e.path().join("report.md"), "# my notes\n").unwrap();
        fs::write(e.path().join("ab.json"), "{}").unwrap();
        assert!(!is_report(e.path()), "report.md with another title");
    }

    #[test]
    fn refusals() {
        let base = tempfile::tempdir().unwrap();
        let d = base.path();
        let file = d.join("data.csv");
        fs::write(&file, "1\n2\n").unwrap();
        let refused = |target: &Path, inputs: &[PathBuf], replace: bool| match check_target(
            target, inputs, replace,
        ) {
            Err(Error::Refused(r)) => r,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(
            refused(&file, &[], true),
            Refusal::NotAFolder {
                target: file.clone()
            }
        );
        assert_eq!(
            refused(&file, std::slice::from_ref(&file), true),
            Refusal::IsInput {
                target: file.clone()
            }
        );
        let dir = d.join("runs");
        fs::create_dir(&dir).unwrap();
        assert_eq!(
            check_target(&dir, &[], false).unwrap(),
            Existing::EmptyFolder
        );
        let inside = dir.join("a.csv");
        fs::write(&inside, "1\n").unwrap();
        assert_eq!(
            refused(&dir, std::slice::from_ref(&inside), true),
            Refusal::ContainsInput {
                target: dir.clone(),
                input: inside.clone()
            }
        );
        assert_eq!(
            refused(&dir, &[], true),
            Refusal::NotAReport {
                target: dir.clone()
            }
        );
        let rep = d.join("rep");
        fs::create_dir(&rep).unwrap();
        fs::write(rep.join(MARKER), marker_text("ab", "0")).unwrap();
        assert_eq!(
            refused(&rep, &[], false),
            Refusal::ExistingReport {
                target: rep.clone()
            }
        );
        assert_eq!(check_target(&rep, &[], true).unwrap(), Existing::Report);
        assert_eq!(
            check_target(&d.join("new"), &[file.clone(), "-".into()], false).unwrap(),
            Existing::Absent
        );
        #[cfg(unix)]
        {
            let link = d.join("link");
            std::os::unix::fs::symlink(&rep, &link).unwrap();
            assert_eq!(
                refused(&link, &[], true),
                Refusal::SymbolicLink {
                    target: link.clone()
                }
            );
        }
        assert_eq!(
            refused(Path::new("/"), &[], true),
            Refusal::NoName { target: "/".into() }
        );
        // OutDir::create refuses too, and leaves the file alone.
        assert!(matches!(OutDir::create(&file), Err(Error::Refused(_))));
        assert_eq!(fs::read_to_string(&file).unwrap(), "1\n2\n");
    }

    #[cfg(unix)]
    #[test]
    fn stale_temporaries_of_dead_processes_are_removed() {
        let base = tempfile::tempdir().unwrap();
        let target = base.path().join("rep");
        fs::create_dir(&target).unwrap();
        // A PID that is surely not running (above the kernel's pid_max).
        let dead = 4_194_400;
        let stale = sibling(&target, TMP_TAG, dead);
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("report.md"), "half").unwrap();
        // A live process (this one's parent) and things perfstat did not make.
        let running = sibling(&target, TMP_TAG, std::os::unix::process::parent_id());
        fs::create_dir(&running).unwrap();
        let unrelated = [
            ".rep.perfstat-tmp-x",
            ".rep.backup-1",
            ".other.perfstat-tmp-4194400",
        ];
        for u in unrelated {
            fs::create_dir(base.path().join(u)).unwrap();
        }
        let file = sibling(&target, TMP_TAG, dead + 1);
        fs::write(&file, "a file, not a folder").unwrap();

        assert_eq!(clean_stale(&target), vec![stale.clone()]);
        assert!(!stale.exists());
        assert!(running.exists() && file.exists());
        for u in unrelated {
            assert!(base.path().join(u).exists(), "{u} kept");
        }

        // An old report set aside by a killed run comes back when the target is missing.
        fs::remove_dir(&target).unwrap();
        let old = sibling(&target, OLD_TAG, dead);
        fs::create_dir(&old).unwrap();
        fs::write(old.join("report.md"), "old").unwrap();
        assert_eq!(clean_stale(&target), vec![old.clone()]);
        assert_eq!(fs::read_to_string(target.join("report.md")).unwrap(), "old");
    }

    #[test]
    fn errors_name_the_target() {
        let base = tempfile::tempdir().unwrap();
        let file = base.path().join("a.csv");
        fs::write(&file, "1\n").unwrap();
        let target = file.join("rep");
        let err = OutDir::create(&target).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "report folder {}: cannot create it: ",
                target.display()
            )),
            "{text}"
        );
        assert!(!text.contains(TMP_TAG), "{text}");
        #[cfg(unix)]
        assert!(text.contains("os error 20"), "ENOTDIR: {text}");
    }
}
