//! Instants on the exported surface: `SystemTime`, which uniffi makes
//! `java.time.Instant` in Kotlin and `Date` in Swift. The domain keeps UTC
//! milliseconds (`i64`); the records here mirror the domain ones with their
//! instants converted, here and nowhere else.

use super::RehabError;
use crate::export::health as domain_health;
use crate::model::Side;
use crate::store::{self, CheckInTiming};
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The latest instant accepted: 9999-12-31T23:59:59.999Z, in milliseconds.
pub(crate) const MAX_MS: i64 = 253_402_300_799_999;

/// An instant for the shell from UTC milliseconds (sub-millisecond parts are zero).
pub(crate) fn to_time(ms: i64) -> SystemTime {
    let magnitude = Duration::from_millis(ms.unsigned_abs());
    let t = if ms >= 0 {
        UNIX_EPOCH.checked_add(magnitude)
    } else {
        UNIX_EPOCH.checked_sub(magnitude)
    };
    // Every i64 of milliseconds fits a SystemTime on the supported platforms;
    // the epoch is a harmless stand-in should one ever not.
    t.unwrap_or(UNIX_EPOCH)
}

/// UTC milliseconds from an instant the shell passed in (`what` names it in the
/// error): before 1970 or after year 9999 is `InvalidInput`; sub-millisecond
/// parts are dropped.
pub(crate) fn from_time(t: SystemTime, what: &str) -> Result<i64, RehabError> {
    let since = t.duration_since(UNIX_EPOCH).map_err(|e| {
        RehabError::invalid_input(format!(
            "{what}: {} s before 1970-01-01, an instant from 1970 on is expected",
            e.duration().as_secs()
        ))
    })?;
    match i64::try_from(since.as_millis()) {
        Ok(ms) if ms <= MAX_MS => Ok(ms),
        _ => Err(RehabError::invalid_input(format!(
            "{what}: {} s after 1970-01-01 is past year 9999",
            since.as_secs()
        ))),
    }
}

/// A stored profile.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Profile {
    /// Database id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// The side the stroke affected.
    pub affected_side: Side,
    /// IANA time-zone name.
    pub time_zone: String,
    /// When the profile was created.
    pub created_at: SystemTime,
}

impl From<store::Profile> for Profile {
    fn from(p: store::Profile) -> Self {
        Profile {
            id: p.id,
            name: p.name,
            affected_side: p.affected_side,
            time_zone: p.time_zone,
            created_at: to_time(p.created_at_ms),
        }
    }
}

/// What the person reports in a check-in.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NewCheckIn {
    /// Whose check-in it is.
    pub profile_id: i64,
    /// Before or after a session, or on its own.
    pub timing: CheckInTiming,
    /// When (from 1970 to year 9999; kept to the millisecond).
    pub recorded_at: SystemTime,
    /// The phone's UTC offset at that moment, minutes.
    pub utc_offset_min: i32,
    /// Pain on the 0-10 numeric rating scale.
    pub pain: Option<u8>,
    /// Stiffness of the affected limb, Modified Ashworth grade.
    pub spasticity: Option<crate::model::Spasticity>,
    /// Perceived effort, 0-10 (Borg CR10).
    pub effort: Option<u8>,
    /// Free note (up to 2,000 characters; may be empty).
    pub note: String,
}

impl From<store::NewCheckIn> for NewCheckIn {
    fn from(c: store::NewCheckIn) -> Self {
        NewCheckIn {
            profile_id: c.profile_id,
            timing: c.timing,
            recorded_at: to_time(c.recorded_at_ms),
            utc_offset_min: c.utc_offset_min,
            pain: c.pain,
            spasticity: c.spasticity,
            effort: c.effort,
            note: c.note,
        }
    }
}

impl TryFrom<NewCheckIn> for store::NewCheckIn {
    type Error = RehabError;
    fn try_from(c: NewCheckIn) -> Result<Self, RehabError> {
        Ok(store::NewCheckIn {
            profile_id: c.profile_id,
            timing: c.timing,
            recorded_at_ms: from_time(c.recorded_at, "recordedAt")?,
            utc_offset_min: c.utc_offset_min,
            pain: c.pain,
            spasticity: c.spasticity,
            effort: c.effort,
            note: c.note,
        })
    }
}

/// A stored check-in.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckIn {
    /// Database id.
    pub id: i64,
    /// What was reported.
    pub values: NewCheckIn,
}

impl From<store::CheckIn> for CheckIn {
    fn from(c: store::CheckIn) -> Self {
        CheckIn {
            id: c.id,
            values: c.values.into(),
        }
    }
}

/// One counted repetition, as the counter reports it.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct RepRecord {
    /// Start of the movement.
    pub started_at: SystemTime,
    /// End of the movement.
    pub ended_at: SystemTime,
    /// Amplitude (range of motion proxy), in the exercise's unit, >= 0.
    pub amplitude: f64,
    /// Peak speed, in the exercise's unit per second, >= 0.
    pub peak_speed: f64,
    /// Whether the rep reached the target range (full rather than partial).
    pub target_reached: bool,
}

/// A movement that started like a rep but did not count.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct AttemptRecord {
    /// Start.
    pub started_at: SystemTime,
    /// End.
    pub ended_at: SystemTime,
    /// Amplitude reached, >= 0.
    pub amplitude: f64,
    /// Peak speed, >= 0.
    pub peak_speed: f64,
}

/// A whole session recorded at once (imports, demos, tests); the live engine
/// uses the step-by-step calls instead. Instants run from 1970 to year 9999.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CompletedSession {
    /// Whose session it is.
    pub profile_id: i64,
    /// Start.
    pub started_at: SystemTime,
    /// UTC offset at the start, minutes.
    pub utc_offset_min: i32,
    /// End.
    pub ended_at: SystemTime,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// The plan, as JSON ("{}" if none).
    pub plan_json: String,
    /// The blocks, in order.
    pub blocks: Vec<CompletedBlock>,
}

/// One block of a [`CompletedSession`].
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CompletedBlock {
    /// Catalog id of the exercise.
    pub exercise_id: String,
    /// The side exercised.
    pub side: Side,
    /// Reps aimed for.
    pub target_reps: Option<u32>,
    /// Target amplitude.
    pub target_range: Option<f64>,
    /// Start.
    pub started_at: SystemTime,
    /// End.
    pub ended_at: SystemTime,
    /// Time spent moving, milliseconds.
    pub active_ms: i64,
    /// The reps, in order.
    pub reps: Vec<RepRecord>,
    /// The attempts, in order.
    pub attempts: Vec<AttemptRecord>,
}

impl TryFrom<CompletedSession> for store::CompletedSession {
    type Error = RehabError;
    fn try_from(s: CompletedSession) -> Result<Self, RehabError> {
        let blocks = s
            .blocks
            .into_iter()
            .map(|b| {
                Ok(store::CompletedBlock {
                    exercise_id: b.exercise_id,
                    side: b.side,
                    target_reps: b.target_reps,
                    target_range: b.target_range,
                    started_at_ms: from_time(b.started_at, "block startedAt")?,
                    ended_at_ms: from_time(b.ended_at, "block endedAt")?,
                    active_ms: b.active_ms,
                    reps: b
                        .reps
                        .into_iter()
                        .map(|r| {
                            Ok(store::RepRecord {
                                started_at_ms: from_time(r.started_at, "rep startedAt")?,
                                ended_at_ms: from_time(r.ended_at, "rep endedAt")?,
                                amplitude: r.amplitude,
                                peak_speed: r.peak_speed,
                                target_reached: r.target_reached,
                            })
                        })
                        .collect::<Result<_, RehabError>>()?,
                    attempts: b
                        .attempts
                        .into_iter()
                        .map(|a| {
                            Ok(store::AttemptRecord {
                                started_at_ms: from_time(a.started_at, "attempt startedAt")?,
                                ended_at_ms: from_time(a.ended_at, "attempt endedAt")?,
                                amplitude: a.amplitude,
                                peak_speed: a.peak_speed,
                            })
                        })
                        .collect::<Result<_, RehabError>>()?,
                })
            })
            .collect::<Result<_, RehabError>>()?;
        Ok(store::CompletedSession {
            profile_id: s.profile_id,
            started_at_ms: from_time(s.started_at, "startedAt")?,
            utc_offset_min: s.utc_offset_min,
            ended_at_ms: from_time(s.ended_at, "endedAt")?,
            active_ms: s.active_ms,
            plan_json: s.plan_json,
            blocks,
        })
    }
}

/// One exercise session for Health Connect's `ExerciseSessionRecord`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HealthConnectExerciseSession {
    /// For `Metadata.clientRecordId`: stable per session, so writing again updates.
    pub client_record_id: String,
    /// For `Metadata.clientRecordVersion`.
    pub client_record_version: i64,
    /// `startTime`.
    pub start_time: SystemTime,
    /// `endTime` (after `start_time`).
    pub end_time: SystemTime,
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HealthConnectExerciseSegment {
    /// `startTime`.
    pub start_time: SystemTime,
    /// `endTime` (after `start_time`).
    pub end_time: SystemTime,
    /// `segmentType`: `EXERCISE_SEGMENT_TYPE_OTHER_WORKOUT` (38).
    pub segment_type: i32,
    /// `repetitions`: reps counted in the set (>= 0).
    pub repetitions: i32,
    /// The app's exercise id (for the shell's own use; Health Connect has no field for it).
    pub exercise_id: String,
}

impl From<domain_health::HealthConnectExerciseSession> for HealthConnectExerciseSession {
    fn from(s: domain_health::HealthConnectExerciseSession) -> Self {
        HealthConnectExerciseSession {
            client_record_id: s.client_record_id,
            client_record_version: s.client_record_version,
            start_time: to_time(s.start_time_ms),
            end_time: to_time(s.end_time_ms),
            zone_offset_seconds: s.zone_offset_seconds,
            exercise_type: s.exercise_type,
            title: s.title,
            segments: s
                .segments
                .into_iter()
                .map(|g| HealthConnectExerciseSegment {
                    start_time: to_time(g.start_time_ms),
                    end_time: to_time(g.end_time_ms),
                    segment_type: g.segment_type,
                    repetitions: g.repetitions,
                    exercise_id: g.exercise_id,
                })
                .collect(),
        }
    }
}

/// One workout for HealthKit's `HKWorkout` / `HKWorkoutBuilder`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HealthKitWorkout {
    /// The `HKWorkoutActivityType` case name: "preparationAndRecovery".
    pub activity_type: String,
    /// Start.
    pub start: SystemTime,
    /// End (after the start).
    pub end: SystemTime,
    /// Time spent moving, seconds (the workout's duration; start to end includes rests).
    pub active_seconds: f64,
    /// Value for `HKMetadataKeySyncIdentifier`: stable per session.
    pub sync_identifier: String,
    /// Value for `HKMetadataKeySyncVersion`.
    pub sync_version: i64,
    /// Value for `HKMetadataKeyTimeZone` (the profile's IANA name).
    pub time_zone: String,
    /// The app's metadata: "RehabCoreRepetitions" and one
    /// "RehabCoreRepetitions.<exercise id>" per exercise, values as decimal strings.
    pub metadata: HashMap<String, String>,
    /// One `HKWorkoutActivity` per set, in order, inside the workout and not
    /// overlapping (`HKWorkoutBuilder.addWorkoutActivity`, iOS 16 and later;
    /// earlier iOS saves the workout without them).
    pub activities: Vec<HealthKitWorkoutActivity>,
}

/// One set of a workout, for an `HKWorkoutActivity`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HealthKitWorkoutActivity {
    /// The activity's `HKWorkoutConfiguration.activityType` case name (as the workout's).
    pub activity_type: String,
    /// Start.
    pub start: SystemTime,
    /// End (after the start).
    pub end: SystemTime,
    /// The app's exercise id, for the activity's metadata.
    pub exercise_id: String,
    /// Reps counted in the set (>= 0), for the activity's metadata under "RehabCoreRepetitions".
    pub repetitions: i32,
}

impl From<domain_health::HealthKitWorkout> for HealthKitWorkout {
    fn from(w: domain_health::HealthKitWorkout) -> Self {
        HealthKitWorkout {
            activity_type: w.activity_type,
            start: to_time(w.start_ms),
            end: to_time(w.end_ms),
            active_seconds: w.active_seconds,
            sync_identifier: w.sync_identifier,
            sync_version: w.sync_version,
            time_zone: w.time_zone,
            metadata: w.metadata,
            activities: w
                .activities
                .into_iter()
                .map(|a| HealthKitWorkoutActivity {
                    activity_type: a.activity_type,
                    start: to_time(a.start_ms),
                    end: to_time(a.end_ms),
                    exercise_id: a.exercise_id,
                    repetitions: a.repetitions,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_round_trip_through_an_instant() {
        for ms in [0, 1, 1_772_442_000_123, MAX_MS] {
            assert_eq!(from_time(to_time(ms), "t").unwrap(), ms);
        }
    }

    #[test]
    fn sub_millisecond_parts_are_dropped() {
        let t = UNIX_EPOCH + Duration::new(1_772_442_000, 123_999_999);
        assert_eq!(from_time(t, "t").unwrap(), 1_772_442_000_123);
    }

    #[test]
    fn an_instant_before_1970_is_invalid_input_naming_it() {
        let t = UNIX_EPOCH - Duration::from_secs(86_400);
        match from_time(t, "recordedAt") {
            Err(RehabError::InvalidInput { reason }) => {
                assert!(reason.contains("recordedAt"), "{reason}");
                assert!(reason.contains("before 1970"), "{reason}");
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn an_instant_past_year_9999_is_invalid_input() {
        let t = to_time(MAX_MS) + Duration::from_millis(1);
        assert!(matches!(
            from_time(t, "startedAt"),
            Err(RehabError::InvalidInput { reason }) if reason.contains("past year 9999")
        ));
        let far = UNIX_EPOCH + Duration::from_secs(i64::MAX as u64 / 2);
        assert!(matches!(
            from_time(far, "t"),
            Err(RehabError::InvalidInput { .. })
        ));
    }
}
