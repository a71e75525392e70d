//! Therapist prescriptions: an exercise, an amount, and how many days a week.
//! Due prescriptions come first in a plan and are never cut by the budget.

use super::{Catalog, RoutineError};
use crate::model::Side;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How much of the exercise a prescription asks for per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum PrescribedAmount {
    /// A number of repetitions (1-500).
    Reps {
        /// Repetitions per day.
        reps: u32,
    },
    /// Minutes of practice (1-60).
    Minutes {
        /// Minutes per day.
        minutes: u32,
    },
}

/// What a therapist prescribed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct Prescription {
    /// Catalog exercise id.
    pub exercise_id: String,
    /// Repetitions or minutes per practice day.
    pub amount: PrescribedAmount,
    /// Practice days per week (1-7), spread over the week.
    pub days_per_week: u8,
    /// The side to train; `None` = the person's affected side.
    pub side: Option<Side>,
}

/// One exercise done on one day, from the stored history.
///
/// Not a uniffi record (its date is a `chrono::NaiveDate`); the shell-facing
/// layer builds it from stored sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastExercise {
    /// The local day it was done.
    pub date: NaiveDate,
    /// Catalog exercise id.
    pub exercise_id: String,
    /// Repetitions done that day.
    pub reps: u32,
}

impl Prescription {
    /// Checks the exercise id and the amounts.
    pub fn validate(&self, catalog: &Catalog) -> Result<(), RoutineError> {
        catalog.exercise(&self.exercise_id)?;
        if !(1..=7).contains(&self.days_per_week) {
            return Err(RoutineError::InvalidInput {
                field: "days_per_week",
                reason: format!("{} is not 1-7", self.days_per_week),
            });
        }
        match self.amount {
            PrescribedAmount::Reps { reps } if !(1..=500).contains(&reps) => {
                Err(RoutineError::InvalidInput {
                    field: "prescription reps",
                    reason: format!("{reps} is not 1-500"),
                })
            }
            PrescribedAmount::Minutes { minutes } if !(1..=60).contains(&minutes) => {
                Err(RoutineError::InvalidInput {
                    field: "prescription minutes",
                    reason: format!("{minutes} is not 1-60"),
                })
            }
            _ => Ok(()),
        }
    }

    /// Whether the prescription is due on `today`, given the days this ISO week
    /// (Monday to Sunday) before today on which the exercise was done.
    ///
    /// The remaining days are spread evenly over the rest of the week: due when
    /// `remaining / days_left >= days_per_week / 7`, so 3 days a week falls on
    /// Monday, Thursday and Saturday when nothing is missed, and a missed day is
    /// caught up as soon as the week runs short.
    pub fn is_due(&self, today: NaiveDate, history: &[PastExercise]) -> bool {
        let weekday = today.weekday().num_days_from_monday();
        let week_start = today - chrono::Days::new(u64::from(weekday));
        let mut done_days: Vec<NaiveDate> = history
            .iter()
            .filter(|p| p.exercise_id == self.exercise_id && p.reps > 0)
            .filter(|p| p.date >= week_start && p.date < today)
            .map(|p| p.date)
            .collect();
        done_days.sort_unstable();
        done_days.dedup();
        let per_week = u32::from(self.days_per_week.min(7));
        let remaining = per_week.saturating_sub(done_days.len() as u32);
        let days_left = 7 - weekday; // today included
        remaining > 0 && remaining * 7 >= days_left * per_week
    }
}
