//! Calibrations per profile and exercise; every calibration is kept as history.

use super::sessions::{ensure_profile, invalid};
use super::{Result, Store};
use crate::model::Side;
use rusqlite::{params, OptionalExtension, Row};

/// What a calibration measured for one exercise and side.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCalibration {
    /// Whose calibration it is.
    pub profile_id: i64,
    /// Catalog id of the exercise.
    pub exercise_id: String,
    /// The side calibrated.
    pub side: Side,
    /// When, UTC milliseconds.
    pub recorded_at_ms: i64,
    /// Signal level at rest (tremor floor), in the exercise's unit.
    pub rest_noise: f64,
    /// Amplitude of a full comfortable movement, in the exercise's unit.
    pub full_range: f64,
}

/// A stored calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// Database id.
    pub id: i64,
    /// What was measured.
    pub values: NewCalibration,
}

impl NewCalibration {
    fn validate(&self) -> Result<()> {
        let len = self.exercise_id.chars().count();
        if len == 0 || len > 100 {
            return Err(invalid("exercise_id", "needs 1 to 100 characters"));
        }
        if !(self.rest_noise.is_finite() && self.rest_noise >= 0.0) {
            return Err(invalid("rest_noise", "must be a finite number >= 0"));
        }
        if !(self.full_range.is_finite() && self.full_range > 0.0) {
            return Err(invalid("full_range", "must be a finite number > 0"));
        }
        Ok(())
    }
}

const COLUMNS: &str = "id, profile_id, exercise_id, side, recorded_at_ms, rest_noise, full_range";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Calibration> {
    Ok(Calibration {
        id: row.get("id")?,
        values: NewCalibration {
            profile_id: row.get("profile_id")?,
            exercise_id: row.get("exercise_id")?,
            side: row.get("side")?,
            recorded_at_ms: row.get("recorded_at_ms")?,
            rest_noise: row.get("rest_noise")?,
            full_range: row.get("full_range")?,
        },
    })
}

impl Store {
    /// Stores a calibration (earlier ones are kept).
    pub fn record_calibration(&self, new: &NewCalibration) -> Result<Calibration> {
        new.validate()?;
        self.write(|tx| {
            ensure_profile(tx, new.profile_id)?;
            tx.prepare_cached(
                "INSERT INTO calibrations (profile_id, exercise_id, side, recorded_at_ms,
                                           rest_noise, full_range)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                new.profile_id,
                new.exercise_id,
                new.side.as_str(),
                new.recorded_at_ms,
                new.rest_noise,
                new.full_range,
            ])?;
            Ok(Calibration {
                id: tx.last_insert_rowid(),
                values: new.clone(),
            })
        })
    }

    /// The most recent calibration of one exercise and side, if any.
    pub fn latest_calibration(
        &self,
        profile_id: i64,
        exercise_id: &str,
        side: Side,
    ) -> Result<Option<Calibration>> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM calibrations
                      WHERE profile_id = ?1 AND exercise_id = ?2 AND side = ?3
                      ORDER BY recorded_at_ms DESC, id DESC LIMIT 1"
                ))?
                .query_row(params![profile_id, exercise_id, side.as_str()], from_row)
                .optional()?)
        })
    }

    /// Every calibration of one exercise (all sides), oldest first.
    pub fn calibration_history(
        &self,
        profile_id: i64,
        exercise_id: &str,
    ) -> Result<Vec<Calibration>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM calibrations WHERE profile_id = ?1 AND exercise_id = ?2
                  ORDER BY recorded_at_ms, id"
            ))?;
            let rows = stmt.query_map(params![profile_id, exercise_id], from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
