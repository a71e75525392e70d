//! Recent sessions with their blocks, for adapting targets across sessions.

use super::sessions::{block_from_row, session_from_row, BLOCK_COLUMNS, SESSION_COLUMNS};
use super::{Block, Result, Session, Store};

impl Store {
    /// A profile's sessions started at or after `since_ms`, oldest first, each
    /// with its blocks in order.
    pub fn sessions_with_blocks(
        &self,
        profile_id: i64,
        since_ms: i64,
    ) -> Result<Vec<(Session, Vec<Block>)>> {
        self.read(|conn| {
            let sessions = conn
                .prepare_cached(&format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions
                      WHERE profile_id = ?1 AND started_at_ms >= ?2
                      ORDER BY started_at_ms, id"
                ))?
                .query_map(rusqlite::params![profile_id, since_ms], session_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {BLOCK_COLUMNS} FROM blocks WHERE session_id = ?1 ORDER BY position"
            ))?;
            let mut out = Vec::with_capacity(sessions.len());
            for s in sessions {
                let blocks = stmt
                    .query_map([s.id], block_from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                out.push((s, blocks));
            }
            Ok(out)
        })
    }
}
