use std::path::PathBuf;

/// Everything that can go wrong in the store. Messages never contain health data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not an SQLite database.
    #[error("{path} is not a RehabCore database (not an SQLite file); it was left untouched")]
    NotADatabase { path: PathBuf },
    /// SQLite reports the file as damaged.
    #[error("the database {path} is corrupt ({detail}); it was left untouched")]
    Corrupt { path: PathBuf, detail: String },
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
    /// A value was rejected before it reached the database.
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// Any other SQLite failure.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file-system failure around the database file.
    #[error("cannot access the database file: {0}")]
    Io(#[from] std::io::Error),
}
