//! Records for the phone's health store: Health Connect on Android, HealthKit on iOS.

use super::instants::{HealthConnectExerciseSession, HealthKitWorkout};
use super::{RehabCore, RehabError};
use crate::export::csv::history_in_range;
use crate::export::health;
use crate::model::LocalDate;
use crate::progress::DateRange;

#[uniffi::export]
impl RehabCore {
    /// One Health Connect exercise session (with a segment and repetition
    /// count per set) for each ended session on the local days `from` to `to`
    /// (inclusive), ready for `ExerciseSessionRecord`.
    pub async fn health_connect_sessions(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
    ) -> Result<Vec<HealthConnectExerciseSession>, RehabError> {
        let range = DateRange::new(from, to)?;
        self.blocking(move |s| {
            history_in_range(s, profile_id, range).map(|h| {
                health::health_connect_sessions(&h)
                    .into_iter()
                    .map(HealthConnectExerciseSession::from)
                    .collect()
            })
        })
        .await
    }

    /// One HealthKit workout (activity type, times, repetitions in metadata)
    /// for each ended session on the local days `from` to `to` (inclusive).
    pub async fn healthkit_workouts(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
    ) -> Result<Vec<HealthKitWorkout>, RehabError> {
        let range = DateRange::new(from, to)?;
        self.blocking(move |s| {
            history_in_range(s, profile_id, range).map(|h| {
                health::healthkit_workouts(&h)
                    .into_iter()
                    .map(HealthKitWorkout::from)
                    .collect()
            })
        })
        .await
    }
}
