//! Records the shells hand straight to the phone's health store: Android
//! Health Connect exercise sessions and Apple HealthKit workouts, one per
//! finished (or abandoned) session. Active sessions are left out until they end.
//!
//! Constants, checked against the platform references (November 2026):
//! - Health Connect `ExerciseSessionRecord.EXERCISE_TYPE_CALISTHENICS` = 13
//!   (androidx.health.connect.client.records.ExerciseSessionRecord; body-weight
//!   exercise, the closest to home rehabilitation movements), and
//!   `ExerciseSegment.EXERCISE_SEGMENT_TYPE_OTHER_WORKOUT` = 38, one of the
//!   "universal" segment types Health Connect accepts inside any session type
//!   (`ExerciseSegment.isSegmentTypeCompatibleWithSessionType`), carrying the
//!   set's `repetitions`. Health Connect requires each segment to start before
//!   it ends, lie inside its session and not overlap the next: segments are
//!   clipped to that, and a set with no duration left is dropped.
//! - HealthKit `HKWorkoutActivityType.preparationAndRecovery`, documented as
//!   "warm-up and therapeutic activities like foam rolling and stretching"
//!   (developer.apple.com/documentation/healthkit/hkworkoutactivitytype).
//!   The shell sets `HKMetadataKeySyncIdentifier` / `HKMetadataKeySyncVersion`
//!   from the record's fields (so a second export replaces instead of
//!   duplicating) and `HKMetadataKeyTimeZone` from `time_zone`; the app's own
//!   metadata keys (repetitions in total and per exercise) are in `metadata`.

use crate::store::export_queries::{BlockRow, ProfileHistory, SessionRow};
use std::collections::{BTreeMap, HashMap};

/// `ExerciseSessionRecord.EXERCISE_TYPE_CALISTHENICS`.
pub const HC_EXERCISE_TYPE_CALISTHENICS: i32 = 13;
/// `ExerciseSegment.EXERCISE_SEGMENT_TYPE_OTHER_WORKOUT` (allowed in every session type).
pub const HC_SEGMENT_TYPE_OTHER_WORKOUT: i32 = 38;
/// The `HKWorkoutActivityType` case used for every workout.
pub const HK_ACTIVITY_TYPE: &str = "preparationAndRecovery";
/// Metadata key: repetitions counted in the whole workout.
pub const HK_KEY_REPETITIONS: &str = "RehabCoreRepetitions";
/// Metadata key prefix: repetitions of one exercise, e.g. `RehabCoreRepetitions.wrist_flexion`.
pub const HK_KEY_REPETITIONS_PREFIX: &str = "RehabCoreRepetitions.";

/// One exercise session for Health Connect's `ExerciseSessionRecord`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HealthConnectExerciseSession {
    /// For `Metadata.clientRecordId`: stable per session, so writing again updates.
    pub client_record_id: String,
    /// For `Metadata.clientRecordVersion`.
    pub client_record_version: i64,
    /// `startTime`, UTC milliseconds.
    pub start_time_ms: i64,
    /// `endTime`, UTC milliseconds (after `start_time_ms`).
    pub end_time_ms: i64,
    /// `startZoneOffset` and `endZoneOffset`, seconds east of UTC.
    pub zone_offset_seconds: i32,
    /// `exerciseType`: `EXERCISE_TYPE_CALISTHENICS` (13).
    pub exercise_type: i32,
    /// `title`: the session's exercises, e.g. "wrist_flexion, elbow_flexion".
    pub title: String,
    /// `segments`: one per set, in order, inside the session, not overlapping.
    pub segments: Vec<HealthConnectExerciseSegment>,
}

/// One `ExerciseSegment`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HealthConnectExerciseSegment {
    /// `startTime`, UTC milliseconds.
    pub start_time_ms: i64,
    /// `endTime`, UTC milliseconds (after `start_time_ms`).
    pub end_time_ms: i64,
    /// `segmentType`: `EXERCISE_SEGMENT_TYPE_OTHER_WORKOUT` (38).
    pub segment_type: i32,
    /// `repetitions`: reps counted in the set (>= 0).
    pub repetitions: i32,
    /// The app's exercise id (for the shell's own use; Health Connect has no field for it).
    pub exercise_id: String,
}

/// One workout for HealthKit's `HKWorkout` / `HKWorkoutBuilder`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HealthKitWorkout {
    /// The `HKWorkoutActivityType` case name: "preparationAndRecovery".
    pub activity_type: String,
    /// Start, UTC milliseconds.
    pub start_ms: i64,
    /// End, UTC milliseconds (after the start).
    pub end_ms: i64,
    /// Time spent moving, seconds (the workout's duration; start to end includes rests).
    pub active_seconds: f64,
    /// Value for `HKMetadataKeySyncIdentifier`: stable per session.
    pub sync_identifier: String,
    /// Value for `HKMetadataKeySyncVersion`.
    pub sync_version: i64,
    /// Value for `HKMetadataKeyTimeZone` (the profile's IANA name).
    pub time_zone: String,
    /// The app's metadata: [`HK_KEY_REPETITIONS`] and one
    /// [`HK_KEY_REPETITIONS_PREFIX`]`<exercise id>` per exercise, values as decimal strings.
    pub metadata: HashMap<String, String>,
    /// One `HKWorkoutActivity` per set, in order, inside the workout and not
    /// overlapping (`HKWorkoutBuilder.addWorkoutActivity`, iOS 16 and later;
    /// earlier iOS saves the workout without them).
    pub activities: Vec<HealthKitWorkoutActivity>,
}

/// One set of a workout, for an `HKWorkoutActivity`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HealthKitWorkoutActivity {
    /// The activity's `HKWorkoutConfiguration.activityType` case name (as the workout's).
    pub activity_type: String,
    /// Start, UTC milliseconds.
    pub start_ms: i64,
    /// End, UTC milliseconds (after the start).
    pub end_ms: i64,
    /// The app's exercise id, for the activity's metadata.
    pub exercise_id: String,
    /// Reps counted in the set (>= 0), for the activity's metadata under [`HK_KEY_REPETITIONS`].
    pub repetitions: i32,
}

fn ended(h: &ProfileHistory) -> impl Iterator<Item = (&SessionRow, i64)> {
    h.sessions
        .iter()
        .filter_map(|s| match (s.status.as_str(), s.ended_at_ms) {
            ("active", _) | (_, None) => None,
            (_, Some(end)) if end <= s.started_at_ms => None,
            (_, Some(end)) => Some((s, end)),
        })
}

/// The record id both health stores get: from the session's stable UUID, so a
/// restored backup (which carries it) names the same records.
fn record_id(h: &ProfileHistory, s: &SessionRow) -> String {
    let uuid = s.uuid.clone().unwrap_or_else(|| {
        crate::store::legacy_session_uuid(h.profile.id, h.profile.created_at_ms, s.id)
    });
    format!("rehabcore.session.{uuid}")
}

/// Each set's span inside the session, clipped so none overlaps the one before
/// or runs past the session's end; empty spans are left out.
fn set_spans(s: &SessionRow, end: i64) -> Vec<(i64, i64, &BlockRow)> {
    let mut spans = Vec::new();
    let mut floor = s.started_at_ms;
    for b in &s.blocks {
        let start = b.started_at_ms.max(floor);
        let stop = b.ended_at_ms.unwrap_or(end).min(end);
        if stop <= start {
            continue;
        }
        floor = stop;
        spans.push((start, stop, b));
    }
    spans
}

fn rep_count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Health Connect sessions for a history (already limited to a date range).
pub fn health_connect_sessions(h: &ProfileHistory) -> Vec<HealthConnectExerciseSession> {
    ended(h)
        .map(|(s, end)| {
            let segments = set_spans(s, end)
                .into_iter()
                .map(|(start, stop, b)| HealthConnectExerciseSegment {
                    start_time_ms: start,
                    end_time_ms: stop,
                    segment_type: HC_SEGMENT_TYPE_OTHER_WORKOUT,
                    repetitions: rep_count(b.reps.len()),
                    exercise_id: b.exercise_id.clone(),
                })
                .collect();
            let mut names: Vec<&str> = Vec::new();
            for b in &s.blocks {
                if !names.contains(&b.exercise_id.as_str()) {
                    names.push(&b.exercise_id);
                }
            }
            HealthConnectExerciseSession {
                client_record_id: record_id(h, s),
                client_record_version: 1,
                start_time_ms: s.started_at_ms,
                end_time_ms: end,
                zone_offset_seconds: s.utc_offset_min * 60,
                exercise_type: HC_EXERCISE_TYPE_CALISTHENICS,
                title: names.join(", "),
                segments,
            }
        })
        .collect()
}

/// HealthKit workouts for a history (already limited to a date range).
pub fn healthkit_workouts(h: &ProfileHistory) -> Vec<HealthKitWorkout> {
    ended(h)
        .map(|(s, end)| {
            let mut per_exercise: BTreeMap<&str, usize> = BTreeMap::new();
            for b in &s.blocks {
                *per_exercise.entry(&b.exercise_id).or_default() += b.reps.len();
            }
            let total: usize = per_exercise.values().sum();
            let mut metadata: HashMap<String, String> = per_exercise
                .into_iter()
                .map(|(ex, n)| (format!("{HK_KEY_REPETITIONS_PREFIX}{ex}"), n.to_string()))
                .collect();
            metadata.insert(HK_KEY_REPETITIONS.into(), total.to_string());
            HealthKitWorkout {
                activity_type: HK_ACTIVITY_TYPE.into(),
                start_ms: s.started_at_ms,
                end_ms: end,
                active_seconds: s.active_ms as f64 / 1000.0,
                sync_identifier: record_id(h, s),
                sync_version: 1,
                time_zone: h.profile.time_zone.clone(),
                metadata,
                activities: set_spans(s, end)
                    .into_iter()
                    .map(|(start, stop, b)| HealthKitWorkoutActivity {
                        activity_type: HK_ACTIVITY_TYPE.into(),
                        start_ms: start,
                        end_ms: stop,
                        exercise_id: b.exercise_id.clone(),
                        repetitions: rep_count(b.reps.len()),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::backup::tests::{seed, temp_store, T0};
    use crate::export::csv::history_in_range;
    use crate::progress::DateRange;

    fn history() -> ProfileHistory {
        let (_d, s) = temp_store();
        let id = seed(&s, "Ana");
        let range =
            DateRange::new("2026-03-01".parse().unwrap(), "2026-04-30".parse().unwrap()).unwrap();
        history_in_range(&s, id, range).unwrap()
    }

    #[test]
    fn health_connect_sessions_follow_its_rules() {
        let h = history();
        let sessions = health_connect_sessions(&h);
        assert_eq!(sessions.len(), 2, "the active session is left out");
        let s = &sessions[0];
        assert_eq!(s.start_time_ms, T0);
        assert_eq!(s.end_time_ms, T0 + 130_000);
        assert_eq!(s.zone_offset_seconds, 3600);
        assert_eq!(s.exercise_type, 13);
        assert_eq!(s.title, "wrist_flexion, elbow_flexion");
        assert_eq!(
            s.segments.iter().map(|g| g.repetitions).collect::<Vec<_>>(),
            [4, 3]
        );
        for s in &sessions {
            let mut floor = s.start_time_ms;
            for g in &s.segments {
                assert_eq!(g.segment_type, 38);
                assert!(
                    g.start_time_ms < g.end_time_ms,
                    "a segment starts before it ends"
                );
                assert!(
                    g.start_time_ms >= floor && g.end_time_ms <= s.end_time_ms,
                    "inside, no overlap"
                );
                floor = g.end_time_ms;
            }
        }
        assert_ne!(sessions[0].client_record_id, sessions[1].client_record_id);
        assert_eq!(
            health_connect_sessions(&h)[0].client_record_id,
            sessions[0].client_record_id
        );
    }

    #[test]
    fn overlapping_and_empty_sets_are_clipped_or_dropped() {
        let mut h = history();
        let s = &mut h.sessions[0];
        s.blocks[1].started_at_ms = s.blocks[0].started_at_ms + 10_000; // overlaps the first
        s.blocks[0].ended_at_ms = Some(s.blocks[0].started_at_ms); // zero length
        let g = &health_connect_sessions(&h)[0].segments;
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].repetitions, 3);
    }

    #[test]
    fn healthkit_workouts_carry_reps_in_metadata() {
        let h = history();
        let w = healthkit_workouts(&h);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].activity_type, "preparationAndRecovery");
        assert_eq!(w[0].metadata[HK_KEY_REPETITIONS], "7");
        assert_eq!(w[0].metadata["RehabCoreRepetitions.wrist_flexion"], "4");
        assert_eq!(w[0].metadata["RehabCoreRepetitions.elbow_flexion"], "3");
        assert_eq!(w[0].active_seconds, 90.0);
        assert_eq!(w[0].time_zone, "Europe/Madrid");
        assert!(w[0].start_ms < w[0].end_ms);
        // One activity per set, inside the workout, in order, with its reps.
        let a = &w[0].activities;
        let sets: Vec<(&str, i32)> = a
            .iter()
            .map(|a| (a.exercise_id.as_str(), a.repetitions))
            .collect();
        assert_eq!(sets, [("wrist_flexion", 4), ("elbow_flexion", 3)]);
        assert!(
            a[0].start_ms >= w[0].start_ms
                && a[0].end_ms <= a[1].start_ms
                && a[1].end_ms <= w[0].end_ms
        );
        assert_eq!(
            w[0].sync_identifier,
            health_connect_sessions(&h)[0].client_record_id
        );
    }

    /// The record ids come from the session's uuid: a restored backup keeps them,
    /// though every row id changes.
    #[test]
    fn record_ids_survive_a_backup_restore() {
        let h = history();
        let (_d, other) = temp_store();
        seed(&other, "Bea"); // so the restored rows get other ids
        let json = crate::export::backup::to_json(crate::export::backup::Backup {
            format: crate::export::backup::FORMAT.into(),
            version: crate::export::backup::VERSION,
            exported_at_ms: T0,
            profiles: vec![h.clone()],
        })
        .unwrap();
        let done = crate::export::backup::import(&other, &json).unwrap();
        let range =
            DateRange::new("2026-03-01".parse().unwrap(), "2026-04-30".parse().unwrap()).unwrap();
        let restored = history_in_range(&other, done.profile_ids[0], range).unwrap();
        assert_ne!(restored.sessions[0].id, h.sessions[0].id, "row ids are new");
        let ids = |h: &ProfileHistory| {
            health_connect_sessions(h)
                .into_iter()
                .map(|r| r.client_record_id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&restored), ids(&h));
        assert!(ids(&h)
            .iter()
            .all(|id| id.starts_with("rehabcore.session.")));
    }
}
