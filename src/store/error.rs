use super::values::UnknownValue;
use std::path::PathBuf;

/// What the app can do with a damaged database file (part of the message).
const RECOVER: &str = "move the file aside and restore the last backup; \
what is still readable can be recovered from the moved file (e.g. sqlite3's `.recover`)";

/// Everything that can go wrong in the store. Messages never contain health data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not an SQLite database.
    #[error("{path} is not a RehabCore database (not an SQLite file); it was left untouched")]
    NotADatabase { path: PathBuf },
    /// The file is an SQLite database of another program.
    #[error("{path} is an SQLite database of another program, not a RehabCore database; it was left untouched")]
    NotOurs { path: PathBuf },
    /// The path names something that is not a regular file (a folder, a pipe, a device).
    #[error("{path} is not a regular file, so it cannot hold a database; nothing was opened")]
    NotAFile { path: PathBuf },
    /// The file (or its folder) cannot be written, so practice could not be stored.
    #[error("the database {path} is read-only; make the file and its folder writable. Nothing was written")]
    ReadOnly { path: PathBuf },
    /// SQLite reports the file as damaged (at open, by `PRAGMA quick_check`, or later).
    /// `detail` is SQLite's first finding, kept short.
    #[error("the database file is damaged ({detail}); nothing more was written to it: {RECOVER}")]
    Corrupt { detail: String },
    /// The file was written by a newer RehabCore.
    #[error("the database has schema version {found}, newer than this app supports ({supported}); update the app. The file was left untouched")]
    TooNew { found: u32, supported: u32 },
    /// A lookup named a row that does not exist.
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: i64 },
    /// An upgrade step from an older schema failed; the whole upgrade was rolled
    /// back and the file keeps its old version.
    #[error("upgrading the database from schema version {from} failed ({detail}); it was left at version {from}")]
    UpgradeFailed { from: u32, detail: String },
    /// The call does not fit the stored state (a rep for a finished block, a
    /// second active session for one profile, ...).
    #[error("{0}")]
    State(String),
    /// The profile's session is being driven by another process or app instance
    /// (it holds the session's lock): it cannot be started, resumed or closed here.
    #[error("a session of this profile is live in another process or app instance; finish it there first")]
    SessionLive,
    /// A value was rejected before it reached the database.
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// A stored value this version does not know (a session status, a side, a
    /// stiffness grade): written by another program, or damage. Nothing is guessed.
    #[error(
        "the database holds an {0}, which this app version does not know; it was left untouched"
    )]
    UnknownValue(UnknownValue),
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A file-system failure around the database file.
    #[error("cannot access the database file: {0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for StoreError {
    /// Damage SQLite finds at any time (`SQLITE_CORRUPT`, `SQLITE_NOTADB`) is
    /// [`StoreError::Corrupt`]; everything else stays an SQLite error.
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = &e {
            if let Some(unknown) = inner.downcast_ref::<UnknownValue>() {
                return StoreError::UnknownValue(unknown.clone());
            }
        }
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Corrupt {
                    detail: short_detail(&e),
                }
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

/// Longest detail kept from an SQLite message.
const DETAIL_MAX: usize = 160;

/// SQLite's message without the SQL text it may quote (a schema batch is kilobytes),
/// first line only, at most [`DETAIL_MAX`] characters.
pub(super) fn short_detail(e: &rusqlite::Error) -> String {
    let text = match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(err, Some(msg)) => format!("{msg} ({:?})", err.code),
        other => other.to_string(),
    };
    shorten(&text)
}

/// First line of `text`, at most [`DETAIL_MAX`] characters.
pub(super) fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(DETAIL_MAX) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}
