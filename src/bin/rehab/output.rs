//! Files the tool writes: never the database or one of its side files (compared
//! by canonical path and by file identity, so `./x/../p.db` or a hard link is
//! caught), and written whole: to a temporary file in the same folder, then
//! renamed into place, so a failure leaves no half-written file.

use rehab_core::store::side_file;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files of a database: the file itself and what SQLite keeps beside it.
const DATABASE_SUFFIXES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Writes `bytes` to `out`, refusing a path that is `db` or one of its side files.
pub fn write_output(out: &Path, db: &Path, bytes: &[u8]) -> Result<(), String> {
    refuse_database_path(out, db)?;
    let (dir, name) = split(out)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, out));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", out.display())
    })
}

/// Refuses `out` when it names the database at `db` or one of its side files.
pub fn refuse_database_path(out: &Path, db: &Path) -> Result<(), String> {
    let refuse = || {
        Err(format!(
            "{} is the database or one of its files; choose another output file",
            out.display()
        ))
    };
    let db = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let out_canonical = canonical_target(out)?;
    for suffix in DATABASE_SUFFIXES {
        let file = side_file(&db, suffix);
        if out_canonical == file || same_file(out, &file) {
            return refuse();
        }
    }
    Ok(())
}

/// The canonical path `out` would be written at (its folder resolved when the
/// file does not exist yet).
fn canonical_target(out: &Path) -> Result<PathBuf, String> {
    if let Ok(p) = std::fs::canonicalize(out) {
        return Ok(p);
    }
    let (dir, name) = split(out)?;
    let dir =
        std::fs::canonicalize(&dir).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(dir.join(name))
}

/// The folder and file name of an output path.
fn split(out: &Path) -> Result<(PathBuf, std::ffi::OsString), String> {
    let name = out
        .file_name()
        .ok_or_else(|| format!("{} does not name a file", out.display()))?;
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name.to_owned()))
}

/// Whether both paths exist and are one file (hard links included).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false // canonical paths only
}
