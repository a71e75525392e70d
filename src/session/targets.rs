//! Targets adapted across sessions, from the sets stored so far.

use super::SessionError;
use crate::routine::{adapt, Catalog, DailyPlan, SetOutcome, TargetChange, Targets};
use crate::store::{CheckInTiming, Store};
use std::collections::HashMap;

/// Days of sets that adaptation looks back over.
pub const ADAPT_WINDOW_DAYS: i64 = 28;

/// An exercise's targets for next time, and the change that led there (if the
/// last sets changed them).
#[derive(Debug, Clone, PartialEq)]
pub struct NextTargets {
    /// The targets to use.
    pub targets: Targets,
    /// The change from the targets of the last sets, with its reason.
    pub change: Option<TargetChange>,
}

/// Next targets for every exercise done since `since_ms`: each stored set is
/// judged against the targets its session's plan gave it (successful reps,
/// attempts, an early stop, pain reported before and after the session), then
/// [`adapt`] decides from the trailing sets done at the latest targets.
pub fn next_targets(
    store: &Store,
    catalog: &Catalog,
    profile_id: i64,
    since_ms: i64,
) -> Result<HashMap<String, NextTargets>, SessionError> {
    let mut sets: HashMap<String, Vec<SetOutcome>> = HashMap::new();
    for (session, blocks) in store.sessions_with_blocks(profile_id, since_ms)? {
        let Ok(plan) = serde_json::from_str::<DailyPlan>(&session.plan_json) else {
            continue; // a plan from an older format: its sets cannot be judged
        };
        let (mut pain_before, mut pain_after) = (None, None);
        for c in store.session_check_ins(session.id)? {
            match c.values.timing {
                CheckInTiming::BeforeSession { .. } => pain_before = c.values.pain.or(pain_before),
                CheckInTiming::AfterSession { .. } => pain_after = c.values.pain.or(pain_after),
                CheckInTiming::Standalone => {}
            }
        }
        for block in blocks.iter().filter(|b| b.ended_at_ms.is_some()) {
            // Positions are 1-based, in plan order.
            let Some(planned) = plan.blocks.get(block.position.saturating_sub(1) as usize) else {
                continue;
            };
            if planned.exercise_id != block.exercise_id {
                continue;
            }
            sets.entry(block.exercise_id.clone())
                .or_default()
                .push(SetOutcome {
                    targets: Targets {
                        reps: planned.target_reps,
                        range_fraction: planned.target_range_fraction,
                    },
                    attempts: block.reps + block.attempts,
                    successful: block.reps,
                    stopped_early: block.reps < planned.target_reps,
                    pain_before,
                    pain_after,
                });
        }
    }
    let mut out = HashMap::with_capacity(sets.len());
    for (id, sets) in sets {
        let Ok(exercise) = catalog.exercise(&id) else {
            continue; // no longer in the catalog
        };
        let current = sets.last().expect("at least one set").targets;
        let (targets, change) = adapt(exercise, current, &sets);
        out.insert(id, NextTargets { targets, change });
    }
    Ok(out)
}
