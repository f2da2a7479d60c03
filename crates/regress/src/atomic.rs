//! Replacing a file so that a reader (or a kill at any moment) sees the old content or the new one,
//! never a mix: a temporary file next to the real file, fsync, rename.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically.
///
/// - A symbolic link is followed: the file it points to is replaced, the link stays.
/// - The temporary file `.<name>.tmp-<pid>` is created in the real file's directory, written,
///   given the old file's permissions (and, on Unix, its owner and group where allowed), synced,
///   and renamed over the real file; the directory is synced after.
/// - Temporary files of this name left by processes that no longer run (killed mid-write) are
///   removed first (on Linux, where `/proc` says which processes run).
///
/// # Errors
/// Any I/O error; the old file is then untouched and the temporary file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let real = resolve(path)?;
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = real
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.tmp-");
    remove_stale(&dir, &prefix);
    let tmp = dir.join(format!("{prefix}{}", std::process::id()));
    let old = fs::metadata(&real).ok();
    let result = (|| {
        let _ = fs::remove_file(&tmp);
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        if let Some(meta) = &old {
            keep_owner_and_mode(&tmp, meta);
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, &real)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The file a path names, with symbolic links followed (also a dangling link's target).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

#[cfg(unix)]
fn keep_owner_and_mode(tmp: &Path, old: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt as _;
    // Owner first (it may clear set-id bits), then the mode; either may be refused.
    let _ = std::os::unix::fs::chown(tmp, Some(old.uid()), Some(old.gid()));
    let _ = fs::set_permissions(tmp, old.permissions());
}

#[cfg(not(unix))]
fn keep_owner_and_mode(tmp: &Path, old: &fs::Metadata) {
    let _ = fs::set_permissions(tmp, old.permissions());
}

/// Removes `<prefix><pid>` files of processes that no longer run (Linux only).
fn remove_stale(dir: &Path, prefix: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_through_a_link_keeps_the_mode_and_cleans_stale_files() {
        let dir = std::env::temp_dir().join(format!("perfstat-atomic-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let real = dir.join("real.csv");
        fs::write(&real, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
            std::os::unix::fs::symlink("real.csv", dir.join("link.csv")).unwrap();
            // A temporary file of a process that cannot exist.
            fs::write(dir.join(".real.csv.tmp-4294967295"), "half").unwrap();
            write_atomic(&dir.join("link.csv"), b"new\n").unwrap();
            assert!(
                fs::symlink_metadata(dir.join("link.csv"))
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
            let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
            let left: Vec<_> = fs::read_dir(&dir)
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            assert_eq!(left.len(), 2, "{left:?}");
        }
        write_atomic(&real, b"newer\n").unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "newer\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
