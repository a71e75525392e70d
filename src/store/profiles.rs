//! Profiles: several survivors may share one device.

use super::{Result, Store, StoreError};
use crate::model::Side;
use rusqlite::{params, Row};

/// What the shell supplies to create a profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, uniffi::Record)]
pub struct NewProfile {
    /// Display name (1-200 characters).
    pub name: String,
    /// The side the stroke affected.
    pub affected_side: Side,
    /// IANA time-zone name, e.g. "Europe/Madrid" (for display; day boundaries
    /// use the UTC offset recorded with each session).
    pub time_zone: String,
}

/// A stored profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// Database id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// The side the stroke affected.
    pub affected_side: Side,
    /// IANA time-zone name.
    pub time_zone: String,
    /// When the profile was created, UTC milliseconds.
    pub created_at_ms: i64,
}

impl NewProfile {
    fn validate(&self) -> Result<()> {
        let len = self.name.chars().count();
        if len == 0 || len > 200 || self.name.trim().is_empty() {
            return Err(StoreError::Invalid {
                field: "name",
                reason: "a profile name needs 1 to 200 characters".into(),
            });
        }
        if self.time_zone.trim().is_empty() {
            return Err(StoreError::Invalid {
                field: "time_zone",
                reason: "empty time-zone name".into(),
            });
        }
        Ok(())
    }
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Profile> {
    Ok(Profile {
        id: row.get("id")?,
        name: row.get("name")?,
        affected_side: row.get("affected_side")?,
        time_zone: row.get("time_zone")?,
        created_at_ms: row.get("created_at_ms")?,
    })
}

const COLUMNS: &str = "id, name, affected_side, time_zone, created_at_ms";

impl Store {
    /// Creates a profile; `now_ms` is the creation time in UTC milliseconds.
    pub fn create_profile(&self, new: &NewProfile, now_ms: i64) -> Result<Profile> {
        new.validate()?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO profiles (name, affected_side, time_zone, created_at_ms)
                 VALUES (?1, ?2, ?3, ?4)",
                params![new.name, new.affected_side.as_str(), new.time_zone, now_ms],
            )?;
            Ok(Profile {
                id: tx.last_insert_rowid(),
                name: new.name.clone(),
                affected_side: new.affected_side,
                time_zone: new.time_zone.clone(),
                created_at_ms: now_ms,
            })
        })
    }

    /// All profiles, oldest first.
    pub fn profiles(&self) -> Result<Vec<Profile>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT {COLUMNS} FROM profiles ORDER BY id"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// One profile by id.
    pub fn profile(&self, id: i64) -> Result<Profile> {
        self.read(|conn| {
            conn.prepare_cached(&format!("SELECT {COLUMNS} FROM profiles WHERE id = ?1"))?
                .query_row([id], from_row)
                .map_err(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound {
                        what: "profile",
                        id,
                    },
                    e => e.into(),
                })
        })
    }
}
