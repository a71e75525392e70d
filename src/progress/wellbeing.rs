//! Pain and stiffness over time, next to the day's practice.

use super::{daily_totals, local_date, CheckInFact, DateRange, LocalDate, SessionFact};
use crate::model::Spasticity;

/// One local day: practice and how the person felt.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WellbeingDay {
    /// The local day.
    pub date: LocalDate,
    /// Reps counted that day.
    pub reps: u32,
    /// Minutes spent moving.
    pub active_minutes: f64,
    /// Check-ins recorded that day.
    pub check_ins: u32,
    /// Highest pain reported (0-10), if any.
    pub pain_max: Option<u8>,
    /// Mean pain reported, if any.
    pub pain_mean: Option<f64>,
    /// Stiffest Modified Ashworth grade reported, if any.
    pub stiffness_max: Option<Spasticity>,
    /// Mean perceived effort (0-10), if any.
    pub effort_mean: Option<f64>,
}

/// One entry per day of `range` (days without data included), pairing check-ins
/// with the reps and active minutes of the same local day.
pub fn pain_vs_reps(
    sessions: &[SessionFact],
    check_ins: &[CheckInFact],
    range: DateRange,
) -> Vec<WellbeingDay> {
    let mut days: Vec<WellbeingDay> = daily_totals(sessions, range)
        .into_iter()
        .map(|t| WellbeingDay {
            date: t.date,
            reps: t.reps,
            active_minutes: t.active_minutes,
            check_ins: 0,
            pain_max: None,
            pain_mean: None,
            stiffness_max: None,
            effort_mean: None,
        })
        .collect();
    // (pain sum, pain n, effort sum, effort n) per day.
    let mut sums = vec![(0u32, 0u32, 0u32, 0u32); days.len()];
    for c in check_ins {
        let Some(i) = range.index(local_date(c.recorded_at_ms, c.utc_offset_min)) else {
            continue;
        };
        let day = &mut days[i];
        day.check_ins += 1;
        if let Some(p) = c.pain {
            day.pain_max = day.pain_max.max(Some(p));
            sums[i].0 += u32::from(p);
            sums[i].1 += 1;
        }
        if let Some(s) = c.spasticity {
            day.stiffness_max = day.stiffness_max.max(Some(s));
        }
        if let Some(e) = c.effort {
            sums[i].2 += u32::from(e);
            sums[i].3 += 1;
        }
    }
    for (day, (ps, pn, es, en)) in days.iter_mut().zip(sums) {
        day.pain_mean = (pn > 0).then(|| f64::from(ps) / f64::from(pn));
        day.effort_mean = (en > 0).then(|| f64::from(es) / f64::from(en));
    }
    days
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn check_in(at: i64, pain: Option<u8>, spasticity: Option<Spasticity>) -> CheckInFact {
        CheckInFact {
            recorded_at_ms: at,
            utc_offset_min: 60,
            pain,
            spasticity,
            effort: Some(5),
        }
    }

    #[test]
    fn check_ins_sit_next_to_the_days_reps() {
        let sessions = [session(MONDAY_0H_UTC + 9 * HOUR, 60, 40)];
        let check_ins = [
            check_in(MONDAY_0H_UTC + 8 * HOUR, Some(6), Some(Spasticity::OnePlus)),
            check_in(MONDAY_0H_UTC + 10 * HOUR, Some(3), Some(Spasticity::One)),
            check_in(MONDAY_0H_UTC + DAY + 12 * HOUR, None, Some(Spasticity::Two)),
        ];
        let range = DateRange::new(d("2026-03-02"), d("2026-03-04")).unwrap();
        let days = pain_vs_reps(&sessions, &check_ins, range);
        assert_eq!(days.len(), 3);
        let monday = &days[0];
        assert_eq!((monday.reps, monday.check_ins), (40, 2));
        assert_eq!(monday.pain_max, Some(6));
        assert_eq!(monday.pain_mean, Some(4.5));
        assert_eq!(monday.stiffness_max, Some(Spasticity::OnePlus));
        assert_eq!(monday.effort_mean, Some(5.0));
        let tuesday = &days[1];
        assert_eq!((tuesday.reps, tuesday.pain_max), (0, None));
        assert_eq!(tuesday.stiffness_max, Some(Spasticity::Two));
        assert_eq!(days[2].check_ins, 0);
        assert_eq!(days[2].effort_mean, None);
    }
}
