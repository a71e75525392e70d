//! Today's plan from the stored history.

use super::SessionError;
use crate::model::{local_date, LocalDate};
use crate::routine::{generate_plan, Catalog, DailyPlan, PastExercise, PlanRequest};
use crate::store::Store;

/// Days of history the generator looks at (variety, prescriptions per week).
const HISTORY_DAYS: u64 = 14;

/// Today's plan for a profile: prescriptions due first, then variety from the
/// exercises done on the last two weeks' local days, at targets adapted from
/// the sets stored (unless `request.targets` names them).
pub fn plan_for_day(
    store: &Store,
    catalog: &Catalog,
    profile_id: i64,
    today: LocalDate,
    request: &PlanRequest,
) -> Result<DailyPlan, SessionError> {
    let from = today - chrono::Days::new(HISTORY_DAYS);
    let (from_ms, _) = crate::progress::DateRange::new(from, today)?.utc_window();
    let history: Vec<PastExercise> = store
        .block_facts(profile_id, from_ms, i64::MAX)?
        .into_iter()
        .map(|b| PastExercise {
            date: local_date(b.started_at_ms, b.utc_offset_min),
            exercise_id: b.exercise_id,
            reps: b.reps,
        })
        .collect();
    // Targets adapted from the last weeks' sets, where the shell gave none.
    let mut request = request.clone();
    let since = from_ms - (super::targets::ADAPT_WINDOW_DAYS - HISTORY_DAYS as i64) * 86_400_000;
    for (id, next) in super::targets::next_targets(store, catalog, profile_id, since)? {
        request.targets.entry(id).or_insert(next.targets);
    }
    Ok(generate_plan(catalog, today, &request, &history)?)
}
