//! Per-exercise trends: reps per minute and range of motion, day by day.

use super::{local_date, minutes, BlockFact, DateRange, LocalDate};
use std::collections::BTreeMap;

/// One exercise's days in a range.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ExerciseTrend {
    /// Catalog id of the exercise.
    pub exercise_id: String,
    /// Days on which the exercise was practised, oldest first.
    pub points: Vec<TrendPoint>,
    /// Least-squares change of reps per minute per week (None with fewer than two days).
    pub reps_per_minute_change_per_week: Option<f64>,
    /// Least-squares change of the mean range of motion per week (None with fewer than two days).
    pub mean_range_change_per_week: Option<f64>,
}

/// One day of one exercise.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TrendPoint {
    /// The local day.
    pub date: LocalDate,
    /// Reps counted.
    pub reps: u32,
    /// Minutes spent moving in this exercise.
    pub active_minutes: f64,
    /// Reps per active minute (None without active time).
    pub reps_per_minute: Option<f64>,
    /// Mean amplitude of the reps (None without reps), in the exercise's unit.
    pub mean_range: Option<f64>,
    /// Largest amplitude of a rep that day (None without reps).
    pub max_range: Option<f64>,
}

#[derive(Default)]
struct Acc {
    reps: u32,
    active_ms: i64,
    amplitude_sum: f64,
    amplitude_max: f64,
}

/// Trends per exercise (sorted by exercise id) for the blocks inside `range`.
pub fn exercise_trends(blocks: &[BlockFact], range: DateRange) -> Vec<ExerciseTrend> {
    let mut by_exercise: BTreeMap<&str, BTreeMap<LocalDate, Acc>> = BTreeMap::new();
    for b in blocks {
        let date = local_date(b.started_at_ms, b.utc_offset_min);
        if range.index(date).is_none() || (b.reps == 0 && b.active_ms == 0) {
            continue;
        }
        let acc = by_exercise
            .entry(&b.exercise_id)
            .or_default()
            .entry(date)
            .or_default();
        acc.reps += b.reps;
        acc.active_ms += b.active_ms;
        acc.amplitude_sum += b.amplitude_sum;
        acc.amplitude_max = acc.amplitude_max.max(b.amplitude_max);
    }
    by_exercise
        .into_iter()
        .map(|(exercise_id, days)| {
            let points: Vec<TrendPoint> = days
                .into_iter()
                .map(|(date, a)| TrendPoint {
                    date,
                    reps: a.reps,
                    active_minutes: minutes(a.active_ms),
                    reps_per_minute: (a.active_ms > 0)
                        .then(|| f64::from(a.reps) / minutes(a.active_ms)),
                    mean_range: (a.reps > 0).then(|| a.amplitude_sum / f64::from(a.reps)),
                    max_range: (a.reps > 0).then_some(a.amplitude_max),
                })
                .collect();
            let origin = range.from;
            let x = |p: &TrendPoint| (p.date - origin).num_days() as f64;
            let rpm: Vec<_> = points
                .iter()
                .filter_map(|p| Some((x(p), p.reps_per_minute?)))
                .collect();
            let rom: Vec<_> = points
                .iter()
                .filter_map(|p| Some((x(p), p.mean_range?)))
                .collect();
            ExerciseTrend {
                exercise_id: exercise_id.to_string(),
                reps_per_minute_change_per_week: slope(&rpm).map(|s| s * 7.0),
                mean_range_change_per_week: slope(&rom).map(|s| s * 7.0),
                points,
            }
        })
        .collect()
}

/// Least-squares slope of y over x; None with fewer than two distinct x.
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn block(exercise: &str, day: i64, reps: u32, active_s: i64, mean_amp: f64) -> BlockFact {
        BlockFact {
            exercise_id: exercise.into(),
            started_at_ms: MONDAY_0H_UTC + day * DAY + 9 * HOUR,
            utc_offset_min: 60,
            active_ms: active_s * 1000,
            reps,
            amplitude_sum: mean_amp * f64::from(reps),
            amplitude_max: mean_amp * 1.5,
        }
    }

    #[test]
    fn rates_and_ranges_per_exercise_and_day() {
        let blocks = [
            block("wrist_flexion", 0, 20, 120, 30.0),
            block("wrist_flexion", 0, 10, 60, 36.0),
            block("elbow_flexion", 1, 12, 60, 80.0),
            block("wrist_flexion", 7, 30, 120, 40.0),
            block("wrist_flexion", 40, 99, 60, 99.0), // outside
        ];
        let range = DateRange::new(d("2026-03-02"), d("2026-03-31")).unwrap();
        let trends = exercise_trends(&blocks, range);
        let ids: Vec<_> = trends.iter().map(|t| t.exercise_id.as_str()).collect();
        assert_eq!(ids, ["elbow_flexion", "wrist_flexion"]);
        let wrist = &trends[1];
        assert_eq!(wrist.points.len(), 2);
        let first = &wrist.points[0];
        assert_eq!((first.date, first.reps), (d("2026-03-02"), 30));
        assert_eq!(first.reps_per_minute, Some(10.0));
        assert_eq!(first.mean_range, Some(32.0));
        assert_eq!(first.max_range, Some(54.0));
        let second = &wrist.points[1];
        assert_eq!(second.reps_per_minute, Some(15.0));
        // +5 reps/min and +8 degrees over exactly one week.
        assert!((wrist.reps_per_minute_change_per_week.unwrap() - 5.0).abs() < 1e-9);
        assert!((wrist.mean_range_change_per_week.unwrap() - 8.0).abs() < 1e-9);
        assert_eq!(trends[0].reps_per_minute_change_per_week, None);
    }

    #[test]
    fn blocks_without_reps_or_time_are_no_points() {
        let range = DateRange::new(d("2026-03-02"), d("2026-03-08")).unwrap();
        let trends = exercise_trends(&[block("x", 0, 0, 0, 0.0)], range);
        assert!(trends.is_empty());
        let timed = exercise_trends(&[block("x", 0, 0, 60, 0.0)], range);
        assert_eq!(timed[0].points[0].reps_per_minute, Some(0.0));
        assert_eq!(timed[0].points[0].mean_range, None);
    }
}
