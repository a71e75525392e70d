//! Daily goals (with their history) and the weekly schedule with reminder times.

use super::sessions::{ensure_profile, invalid};
use super::{Result, Store, StoreError};
use crate::model::{DailyGoal, LocalDate, ScheduleSlot, Weekday, WeeklySchedule};
use rusqlite::{params, OptionalExtension};

fn parse_date(s: &str) -> rusqlite::Result<LocalDate> {
    s.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Store {
    /// Sets the daily goal from `goal.effective_from` on (replacing a goal set
    /// for that same day). Earlier goals are kept: past days are judged by the
    /// goal in force then. A goal with neither part clears the goal from that day.
    pub fn set_daily_goal(&self, profile_id: i64, goal: &DailyGoal, now_ms: i64) -> Result<()> {
        if goal.reps == Some(0) || goal.active_minutes == Some(0) {
            return Err(invalid("goal", "a goal is more than zero"));
        }
        self.write(|tx| {
            ensure_profile(tx, profile_id)?;
            tx.execute(
                "INSERT OR REPLACE INTO daily_goals
                    (profile_id, effective_from, reps, active_minutes, set_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    profile_id,
                    goal.effective_from.to_string(),
                    goal.reps,
                    goal.active_minutes,
                    now_ms
                ],
            )?;
            Ok(())
        })
    }

    /// Every goal the profile has had, oldest first.
    pub fn daily_goals(&self, profile_id: i64) -> Result<Vec<DailyGoal>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT effective_from, reps, active_minutes FROM daily_goals
                  WHERE profile_id = ?1 ORDER BY effective_from",
            )?;
            let rows = stmt.query_map([profile_id], |r| {
                Ok(DailyGoal {
                    effective_from: parse_date(&r.get::<_, String>("effective_from")?)?,
                    reps: r.get("reps")?,
                    active_minutes: r.get("active_minutes")?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Replaces the profile's weekly schedule.
    pub fn set_weekly_schedule(
        &self,
        profile_id: i64,
        schedule: &WeeklySchedule,
        now_ms: i64,
    ) -> Result<()> {
        for slot in &schedule.slots {
            if slot.hour > 23 || slot.minute > 59 {
                return Err(invalid("reminder", "a reminder time is 00:00 to 23:59"));
            }
        }
        self.write(|tx| {
            ensure_profile(tx, profile_id)?;
            tx.execute(
                "INSERT OR REPLACE INTO schedules (profile_id, effective_from, set_at_ms)
                 VALUES (?1, ?2, ?3)",
                params![profile_id, schedule.effective_from.to_string(), now_ms],
            )?;
            tx.execute(
                "DELETE FROM schedule_slots WHERE profile_id = ?1",
                [profile_id],
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO schedule_slots (profile_id, weekday, reminder_minute)
                 VALUES (?1, ?2, ?3)",
            )?;
            for slot in &schedule.slots {
                let minute = u16::from(slot.hour) * 60 + u16::from(slot.minute);
                insert.execute(params![profile_id, slot.weekday.number(), minute])?;
            }
            Ok(())
        })
    }

    /// The profile's weekly schedule (slots by weekday and time), if one was set.
    pub fn weekly_schedule(&self, profile_id: i64) -> Result<Option<WeeklySchedule>> {
        self.read(|conn| {
            let from: Option<String> = conn
                .prepare_cached("SELECT effective_from FROM schedules WHERE profile_id = ?1")?
                .query_row([profile_id], |r| r.get(0))
                .optional()?;
            let Some(from) = from else {
                return Ok(None);
            };
            let mut stmt = conn.prepare_cached(
                "SELECT weekday, reminder_minute FROM schedule_slots WHERE profile_id = ?1
                  ORDER BY weekday, reminder_minute",
            )?;
            let slots = stmt
                .query_map([profile_id], |r| {
                    Ok((r.get::<_, u8>(0)?, r.get::<_, u16>(1)?))
                })?
                .map(|row| {
                    let (weekday, minute) = row?;
                    Ok(ScheduleSlot {
                        weekday: Weekday::from_number(weekday).ok_or_else(|| {
                            StoreError::Invalid {
                                field: "weekday",
                                reason: format!("stored weekday {weekday}"),
                            }
                        })?,
                        hour: (minute / 60) as u8,
                        minute: (minute % 60) as u8,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Some(WeeklySchedule {
                effective_from: parse_date(&from)?,
                slots,
            }))
        })
    }
}
