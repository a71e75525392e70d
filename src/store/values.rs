//! How stored text columns read back as typed values: strictly. A value this
//! version does not know (a status or side written by another program, or damage)
//! is [`StoreError::UnknownValue`](super::StoreError::UnknownValue), never a default.

use super::SessionStatus;
use crate::model::{Side, Spasticity};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};

/// A stored text that names no value of its kind (carried inside rusqlite's
/// conversion error, turned into `StoreError::UnknownValue` by `From`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownValue {
    /// What kind of value: "session status", "side", "spasticity grade".
    pub kind: &'static str,
    /// The stored text (at most 40 characters of it).
    pub value: String,
}

/// Reads `value` as text and parses it, or fails with [`UnknownValue`].
fn parse_text<T>(
    value: ValueRef<'_>,
    kind: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> FromSqlResult<T> {
    let text = value.as_str()?;
    parse(text).ok_or_else(|| {
        FromSqlError::Other(Box::new(UnknownValue {
            kind,
            value: text.chars().take(40).collect(),
        }))
    })
}

impl FromSql for Side {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        parse_text(value, "side", Side::parse)
    }
}

impl FromSql for Spasticity {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        parse_text(value, "spasticity grade", Spasticity::parse)
    }
}

impl FromSql for SessionStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        parse_text(value, "session status", SessionStatus::parse)
    }
}
