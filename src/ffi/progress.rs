//! Practice records, check-ins, goals and the progress screens' answers.
//!
//! Each function loads facts from the store and hands them to the pure
//! functions of [`crate::progress`], on the core's worker threads.

use super::instants::{CheckIn, CompletedSession, NewCheckIn};
use super::records::Session;
use super::{DataChange, RehabCore, RehabError};
use crate::model::{DailyGoal, LocalDate, Weekday, WeeklySchedule};
use crate::progress::{
    self, Adherence, DateRange, DayTotal, ExerciseTrend, Streaks, WeekTotal, WellbeingDay,
};
use crate::store::{self, StoreError};

#[uniffi::export]
impl RehabCore {
    /// Records a pain / stiffness / effort check-in, before or after a session
    /// or on its own.
    /// `recordedAt` before 1970 or past year 9999 throws `InvalidInput`.
    pub async fn record_check_in(&self, check_in: NewCheckIn) -> Result<CheckIn, RehabError> {
        let check_in = store::NewCheckIn::try_from(check_in)?;
        self.write_and_tell(move |s| {
            let stored: CheckIn = s.record_check_in(&check_in)?.into();
            let change = DataChange::CheckInRecorded {
                check_in: stored.clone(),
            };
            Ok::<_, StoreError>((stored, vec![change]))
        })
        .await
    }

    /// A profile's check-ins on the local days `from` to `to` (inclusive), oldest first.
    pub async fn check_ins(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
    ) -> Result<Vec<CheckIn>, RehabError> {
        let range = DateRange::new(from, to)?;
        self.blocking(move |s| -> store::Result<_> {
            let (start, end) = range.utc_window();
            let mut all = s.check_ins(profile_id, start, end)?;
            all.retain(|c| {
                let day =
                    crate::model::local_date(c.values.recorded_at_ms, c.values.utc_offset_min);
                range.index(day).is_some()
            });
            Ok(all.into_iter().map(CheckIn::from).collect())
        })
        .await
    }

    /// Stores a whole finished session (blocks, reps, attempts) at once; the
    /// live session engine records rep by rep instead. An instant before 1970
    /// or past year 9999 throws `InvalidInput` and stores nothing.
    pub async fn store_completed_session(
        &self,
        session: CompletedSession,
    ) -> Result<Session, RehabError> {
        let session = store::CompletedSession::try_from(session)?;
        self.write_and_tell(move |s| {
            let stored = s.store_completed_session(&session)?;
            let change = DataChange::SessionAdded {
                profile_id: stored.profile_id,
                session_id: stored.id,
            };
            Ok::<_, StoreError>((stored.into(), vec![change]))
        })
        .await
    }

    /// The profile's session left active by a crash or kill, if any.
    pub async fn unfinished_session(&self, profile_id: i64) -> Result<Option<Session>, RehabError> {
        let open = self
            .blocking(move |s| s.unfinished_session(profile_id))
            .await?;
        Ok(open.map(Session::from))
    }

    /// Closes a session a crash left active, as abandoned, keeping its reps.
    /// Throws `InvalidState` if another process or app instance is still driving it.
    pub async fn abandon_session(&self, session_id: i64) -> Result<Session, RehabError> {
        self.write_and_tell(move |s| {
            let closed = s.abandon_session(session_id)?;
            let change = DataChange::SessionAbandoned {
                profile_id: closed.profile_id,
                session_id: closed.id,
            };
            Ok::<_, StoreError>((closed.into(), vec![change]))
        })
        .await
    }

    /// Reps, attempts, sessions and active minutes for each local day from
    /// `from` to `to` (inclusive), empty days included.
    pub async fn daily_totals(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
    ) -> Result<Vec<DayTotal>, RehabError> {
        let range = DateRange::new(from, to)?;
        self.blocking(move |s| -> store::Result<_> {
            let (start, end) = range.utc_window();
            let facts = s.session_facts(profile_id, start, end)?;
            Ok(progress::daily_totals(&facts, range))
        })
        .await
    }

    /// Totals for each whole week (starting on `first_day_of_week`) touching
    /// `from` to `to`, empty weeks included.
    pub async fn weekly_totals(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
        first_day_of_week: Weekday,
    ) -> Result<Vec<WeekTotal>, RehabError> {
        let range = DateRange::new(from, to)?;
        self.blocking(move |s| -> store::Result<_> {
            let (start, end) = range.whole_weeks(first_day_of_week).utc_window();
            let facts = s.session_facts(profile_id, start, end)?;
            Ok(progress::weekly_totals(&facts, range, first_day_of_week))
        })
        .await
    }

    /// Current and longest practice streak as of the local date `today`.
    pub async fn streaks(&self, profile_id: i64, today: LocalDate) -> Result<Streaks, RehabError> {
        self.blocking(move |s| -> store::Result<_> {
            let facts = s.session_facts(profile_id, i64::MIN, i64::MAX)?;
            Ok(progress::streaks(&facts, today))
        })
        .await
    }

    /// Per-exercise trends (reps per minute, range of motion) day by day from
    /// `from` to `to` (inclusive).
    pub async fn exercise_trends(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
    ) -> Result<Vec<ExerciseTrend>, RehabError> {
        let range = DateRange::new(from, to)?;
        self.blocking(move |s| -> store::Result<_> {
            let (start, end) = range.utc_window();
            let facts = s.block_facts(profile_id, start, end)?;
            Ok(progress::exercise_trends(&facts, range))
        })
        .await
    }

    /// Pain, stiffness and effort next to each day's reps and active minutes,
    /// from `from` to `to` (inclusive), empty days included.
    pub async fn pain_vs_reps(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
    ) -> Result<Vec<WellbeingDay>, RehabError> {
        let range = DateRange::new(from, to)?;
        self.blocking(move |s| -> store::Result<_> {
            let (start, end) = range.utc_window();
            let sessions = s.session_facts(profile_id, start, end)?;
            let check_ins = s.check_in_facts(profile_id, start, end)?;
            Ok(progress::pain_vs_reps(&sessions, &check_ins, range))
        })
        .await
    }

    /// How the days from `from` to `to` (up to `today`) measured up to the
    /// daily goal in force and to the weekly schedule.
    pub async fn adherence(
        &self,
        profile_id: i64,
        from: LocalDate,
        to: LocalDate,
        today: LocalDate,
    ) -> Result<Adherence, RehabError> {
        let range = DateRange::new(from, to)?;
        self.blocking(move |s| -> store::Result<_> {
            let (start, end) = range.utc_window();
            let sessions = s.session_facts(profile_id, start, end)?;
            let goals = s.daily_goals(profile_id)?;
            let schedule = s.weekly_schedule(profile_id)?;
            Ok(progress::adherence(
                &sessions,
                &goals,
                schedule.as_ref(),
                range,
                today,
            ))
        })
        .await
    }

    /// Sets the daily goal from `goal.effective_from` on; earlier goals stay in
    /// force for earlier days. A goal with neither reps nor minutes clears it.
    pub async fn set_daily_goal(&self, profile_id: i64, goal: DailyGoal) -> Result<(), RehabError> {
        let now = self.clock.now_ms();
        self.write_and_tell(move |s| {
            s.set_daily_goal(profile_id, &goal, now)?;
            Ok::<_, StoreError>(((), vec![DataChange::GoalChanged { profile_id, goal }]))
        })
        .await
    }

    /// The daily goal in force on the local date `on`, if any.
    pub async fn daily_goal(
        &self,
        profile_id: i64,
        on: LocalDate,
    ) -> Result<Option<DailyGoal>, RehabError> {
        self.blocking(move |s| -> store::Result<_> {
            let goals = s.daily_goals(profile_id)?;
            Ok(goals
                .into_iter()
                .rev()
                .find(|g| g.effective_from <= on)
                .filter(|g| g.reps.is_some() || g.active_minutes.is_some()))
        })
        .await
    }

    /// Replaces the weekly schedule (practice days and reminder times).
    pub async fn set_weekly_schedule(
        &self,
        profile_id: i64,
        schedule: WeeklySchedule,
    ) -> Result<(), RehabError> {
        let now = self.clock.now_ms();
        self.write_and_tell(move |s| {
            s.set_weekly_schedule(profile_id, &schedule, now)?;
            let change = DataChange::ScheduleChanged {
                profile_id,
                schedule,
            };
            Ok::<_, StoreError>(((), vec![change]))
        })
        .await
    }

    /// The weekly schedule, if one was set.
    pub async fn weekly_schedule(
        &self,
        profile_id: i64,
    ) -> Result<Option<WeeklySchedule>, RehabError> {
        self.blocking(move |s| s.weekly_schedule(profile_id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::ffi::instants::{to_time, CompletedBlock, RepRecord};
    use crate::model::{ScheduleSlot, Side, Spasticity};
    use crate::store::{CheckInTiming, NewProfile};
    use std::sync::Arc;

    /// 2026-03-02 09:00 UTC, 10:00 in Madrid.
    const MONDAY_9H: i64 = 1_772_442_000_000;

    fn d(s: &str) -> crate::model::LocalDate {
        s.parse().unwrap()
    }

    fn run<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn session(profile_id: i64, start: i64, reps: usize) -> CompletedSession {
        CompletedSession {
            profile_id,
            started_at: to_time(start),
            utc_offset_min: 60,
            ended_at: to_time(start + 900_000),
            active_ms: 600_000,
            plan_json: "{}".into(),
            blocks: vec![CompletedBlock {
                exercise_id: "wrist_flexion".into(),
                side: Side::Left,
                target_reps: Some(10),
                target_range: Some(30.0),
                started_at: to_time(start + 60_000),
                ended_at: to_time(start + 660_000),
                active_ms: 600_000,
                reps: (0..reps)
                    .map(|i| RepRecord {
                        started_at: to_time(start + 70_000 + i as i64 * 5_000),
                        ended_at: to_time(start + 72_000 + i as i64 * 5_000),
                        amplitude: 30.0,
                        peak_speed: 45.0,
                        target_reached: true,
                    })
                    .collect(),
                attempts: vec![],
            }],
        }
    }

    /// A core on a fresh database (clock at [`MONDAY_9H`]) with one profile, Ana.
    fn core_with_ana() -> (tempfile::TempDir, RehabCore, i64) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("core.db");
        let core =
            RehabCore::open_with_clock(path.to_str().unwrap(), Arc::new(FixedClock(MONDAY_9H)))
                .unwrap();
        let p = run(core.create_profile(NewProfile {
            name: "Ana".into(),
            affected_side: Side::Left,
            time_zone: "Europe/Madrid".into(),
        }))
        .unwrap()
        .id;
        (dir, core, p)
    }

    /// The round trip the Kotlin and Swift tests do, through the exported API.
    #[test]
    fn a_session_with_check_ins_comes_back_as_progress() {
        let (_dir, core, p) = core_with_ana();
        run(async {
            let monday = core
                .store_completed_session(session(p, MONDAY_9H, 12))
                .await
                .unwrap();
            let tuesday = MONDAY_9H + 86_400_000;
            core.store_completed_session(session(p, tuesday, 20))
                .await
                .unwrap();
            for (timing, pain) in [
                (
                    CheckInTiming::BeforeSession {
                        session_id: monday.id,
                    },
                    6,
                ),
                (
                    CheckInTiming::AfterSession {
                        session_id: monday.id,
                    },
                    4,
                ),
            ] {
                core.record_check_in(NewCheckIn {
                    profile_id: p,
                    timing,
                    recorded_at: to_time(MONDAY_9H),
                    utc_offset_min: 60,
                    pain: Some(pain),
                    spasticity: Some(Spasticity::OnePlus),
                    effort: Some(5),
                    note: String::new(),
                })
                .await
                .unwrap();
            }

            let days = core
                .daily_totals(p, d("2026-03-01"), d("2026-03-03"))
                .await
                .unwrap();
            let reps: Vec<u32> = days.iter().map(|t| t.reps).collect();
            assert_eq!(reps, [0, 12, 20]);
            assert_eq!(days[1].active_minutes, 10.0);
            let weeks = core
                .weekly_totals(p, d("2026-03-02"), d("2026-03-08"), Weekday::Monday)
                .await
                .unwrap();
            assert_eq!(
                (weeks.len(), weeks[0].reps, weeks[0].active_days),
                (1, 32, 2)
            );
            let streaks = core.streaks(p, d("2026-03-04")).await.unwrap();
            assert_eq!((streaks.current_days, streaks.longest_days), (2, 2));
            let trends = core
                .exercise_trends(p, d("2026-03-02"), d("2026-03-03"))
                .await
                .unwrap();
            assert_eq!(trends[0].exercise_id, "wrist_flexion");
            assert_eq!(trends[0].points[1].reps_per_minute, Some(2.0));
            let wellbeing = core
                .pain_vs_reps(p, d("2026-03-02"), d("2026-03-02"))
                .await
                .unwrap();
            assert_eq!((wellbeing[0].reps, wellbeing[0].pain_max), (12, Some(6)));
            assert_eq!(wellbeing[0].pain_mean, Some(5.0));
            let check_ins = core
                .check_ins(p, d("2026-03-02"), d("2026-03-02"))
                .await
                .unwrap();
            assert_eq!(check_ins.len(), 2);

            let goal = DailyGoal {
                effective_from: d("2026-03-01"),
                reps: Some(15),
                active_minutes: None,
            };
            core.set_daily_goal(p, goal.clone()).await.unwrap();
            assert_eq!(
                core.daily_goal(p, d("2026-03-03")).await.unwrap(),
                Some(goal)
            );
            assert_eq!(core.daily_goal(p, d("2026-02-28")).await.unwrap(), None);
            let schedule = WeeklySchedule {
                effective_from: d("2026-03-01"),
                slots: vec![ScheduleSlot {
                    weekday: Weekday::Monday,
                    hour: 10,
                    minute: 0,
                }],
            };
            core.set_weekly_schedule(p, schedule.clone()).await.unwrap();
            assert_eq!(core.weekly_schedule(p).await.unwrap(), Some(schedule));
            let adherence = core
                .adherence(p, d("2026-03-02"), d("2026-03-08"), d("2026-03-04"))
                .await
                .unwrap();
            assert_eq!((adherence.goal_days, adherence.goal_days_met), (2, 1));
            assert_eq!(adherence.schedule_rate, Some(1.0));

            let err = core
                .daily_totals(p, d("2026-03-03"), d("2026-03-01"))
                .await
                .unwrap_err();
            assert!(matches!(err, RehabError::InvalidInput { .. }), "{err}");
            assert_eq!(core.unfinished_session(p).await.unwrap(), None);
        });
    }

    /// Instants the shell passes in outside 1970..=9999 are typed errors, and
    /// nothing is stored.
    #[test]
    fn instants_out_of_range_are_invalid_input_and_store_nothing() {
        use std::time::{Duration, UNIX_EPOCH};
        let (_dir, core, p) = core_with_ana();
        run(async {
            let mut early = session(p, MONDAY_9H, 3);
            early.blocks[0].reps[1].started_at = UNIX_EPOCH - Duration::from_secs(1);
            let err = core.store_completed_session(early).await.unwrap_err();
            assert!(
                matches!(&err, RehabError::InvalidInput { reason } if reason.contains("rep startedAt") && reason.contains("before 1970")),
                "{err}"
            );
            let mut late = session(p, MONDAY_9H, 3);
            late.ended_at = UNIX_EPOCH + Duration::from_secs(400_000_000_000);
            let err = core.store_completed_session(late).await.unwrap_err();
            assert!(
                matches!(&err, RehabError::InvalidInput { reason } if reason.contains("endedAt") && reason.contains("past year 9999")),
                "{err}"
            );
            let err = core
                .record_check_in(NewCheckIn {
                    profile_id: p,
                    timing: CheckInTiming::Standalone,
                    recorded_at: UNIX_EPOCH - Duration::from_millis(1),
                    utc_offset_min: 60,
                    pain: Some(3),
                    spasticity: None,
                    effort: None,
                    note: String::new(),
                })
                .await
                .unwrap_err();
            assert!(matches!(err, RehabError::InvalidInput { .. }), "{err}");
            let week = core
                .check_ins(p, d("2026-03-01"), d("2026-03-03"))
                .await
                .unwrap();
            assert!(week.is_empty());
            let totals = core
                .daily_totals(p, d("2026-03-02"), d("2026-03-02"))
                .await
                .unwrap();
            assert_eq!(totals[0].reps, 0, "no session was stored");
        });
    }
}
