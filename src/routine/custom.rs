//! Routines a person builds: a named list of exercises with reps and rests,
//! checked against the catalog and turned into a plan.

use super::adapt::Targets;
use super::plan::{block, finish, sides, BlockSource, DailyPlan};
use super::{Catalog, RoutineError};
use crate::model::Side;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most characters in a routine name.
pub const MAX_ROUTINE_NAME_CHARS: usize = 100;
/// Most blocks in a routine.
pub const MAX_ROUTINE_BLOCKS: usize = 50;
/// Most reps in one routine block.
pub const MAX_ROUTINE_REPS: u32 = 500;
/// Longest rest after a routine block, seconds.
pub const MAX_ROUTINE_REST_S: u32 = 600;

/// One step of a routine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct RoutineBlock {
    /// Catalog exercise id.
    pub exercise_id: String,
    /// Repetitions (1-500); for a per-side exercise with both sides, per side.
    pub reps: u32,
    /// The side to train; `None` = the person's affected side.
    pub side: Option<Side>,
    /// Rest after the block, seconds (0-600).
    pub rest_after_s: u32,
}

/// A routine the person built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct Routine {
    /// Name shown in the list (1-100 characters).
    pub name: String,
    /// The blocks, in order (1-50).
    pub blocks: Vec<RoutineBlock>,
}

impl Routine {
    /// Checks the name, the number of blocks, every exercise id and the amounts.
    pub fn validate(&self, catalog: &Catalog) -> Result<(), RoutineError> {
        let invalid = |reason: String| Err(RoutineError::InvalidRoutine { reason });
        let name_len = self.name.trim().chars().count();
        if name_len == 0 || self.name.chars().count() > MAX_ROUTINE_NAME_CHARS {
            return invalid(format!(
                "a name needs 1 to {MAX_ROUTINE_NAME_CHARS} characters"
            ));
        }
        if self.blocks.is_empty() || self.blocks.len() > MAX_ROUTINE_BLOCKS {
            return invalid(format!("a routine needs 1 to {MAX_ROUTINE_BLOCKS} blocks"));
        }
        for (i, b) in self.blocks.iter().enumerate() {
            catalog.exercise(&b.exercise_id)?;
            if !(1..=MAX_ROUTINE_REPS).contains(&b.reps) {
                return invalid(format!(
                    "block {}: {} reps is not 1-{MAX_ROUTINE_REPS}",
                    i + 1,
                    b.reps
                ));
            }
            if b.rest_after_s > MAX_ROUTINE_REST_S {
                return invalid(format!(
                    "block {}: a rest of {} s is longer than {MAX_ROUTINE_REST_S} s",
                    i + 1,
                    b.rest_after_s
                ));
            }
        }
        Ok(())
    }

    /// The routine as a plan for a person at `level` (1-3) with `affected_side`,
    /// using their current range targets (missing = catalog defaults). Reps are
    /// the routine's own; the order is kept.
    pub fn to_plan(
        &self,
        catalog: &Catalog,
        level: u8,
        affected_side: Side,
        targets: &HashMap<String, Targets>,
    ) -> Result<DailyPlan, RoutineError> {
        self.validate(catalog)?;
        if !(1..=3).contains(&level) {
            return Err(RoutineError::InvalidInput {
                field: "level",
                reason: format!("{level} is not 1-3"),
            });
        }
        let mut blocks = Vec::new();
        for b in &self.blocks {
            let e = catalog.exercise(&b.exercise_id)?;
            let range = targets
                .get(&e.id)
                .copied()
                .unwrap_or_else(|| Targets::defaults(e))
                .clamped(e)
                .range_fraction;
            let rep_s = e.hint.estimated_rep_s(level);
            for side in sides(e, b.side.unwrap_or(affected_side)) {
                blocks.push(block(
                    e,
                    side,
                    b.reps,
                    range,
                    rep_s,
                    b.rest_after_s,
                    BlockSource::Routine,
                ));
            }
        }
        Ok(finish(catalog, blocks))
    }
}
