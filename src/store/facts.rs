//! The facts progress computes from, loaded in one query each.

use super::{Result, Store};
use crate::model::{BlockFact, SessionFact};
use rusqlite::params;

impl Store {
    /// A profile's sessions started in `[from_ms, to_ms)`. An active session's
    /// active time is the sum of its finished blocks'.
    pub fn session_facts(
        &self,
        profile_id: i64,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<SessionFact>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT started_at_ms, utc_offset_min,
                        CASE WHEN status = 'active'
                             THEN (SELECT coalesce(sum(active_ms), 0) FROM blocks
                                    WHERE session_id = sessions.id)
                             ELSE active_ms END AS active_ms,
                        rep_count, attempt_count
                   FROM sessions
                  WHERE profile_id = ?1 AND started_at_ms >= ?2 AND started_at_ms < ?3",
            )?;
            let rows = stmt.query_map(params![profile_id, from_ms, to_ms], |r| {
                Ok(SessionFact {
                    started_at_ms: r.get("started_at_ms")?,
                    utc_offset_min: r.get("utc_offset_min")?,
                    active_ms: r.get("active_ms")?,
                    reps: r.get("rep_count")?,
                    attempts: r.get("attempt_count")?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The blocks of a profile's sessions started in `[from_ms, to_ms)`.
    pub fn block_facts(&self, profile_id: i64, from_ms: i64, to_ms: i64) -> Result<Vec<BlockFact>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT b.exercise_id, b.started_at_ms, s.utc_offset_min, b.active_ms,
                        b.rep_count, b.amplitude_sum, b.amplitude_max
                   FROM sessions s JOIN blocks b ON b.session_id = s.id
                  WHERE s.profile_id = ?1 AND s.started_at_ms >= ?2 AND s.started_at_ms < ?3",
            )?;
            let rows = stmt.query_map(params![profile_id, from_ms, to_ms], |r| {
                Ok(BlockFact {
                    exercise_id: r.get("exercise_id")?,
                    started_at_ms: r.get("started_at_ms")?,
                    utc_offset_min: r.get("utc_offset_min")?,
                    active_ms: r.get("active_ms")?,
                    reps: r.get("rep_count")?,
                    amplitude_sum: r.get("amplitude_sum")?,
                    amplitude_max: r.get("amplitude_max")?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
