//! The daily plan generator: due prescriptions first, then exercises for the
//! person's body areas until the time budget or rep goal is met.
//!
//! Deterministic: the same inputs give the same plan. Variety comes from the
//! history (exercises not done lately come first) and a hash of the date that
//! breaks ties differently each day.

use super::adapt::Targets;
use super::catalog::{BodyRegion, Catalog, Exercise, Laterality, Placement};
use super::prescription::{PastExercise, PrescribedAmount, Prescription};
use super::RoutineError;
use crate::model::Side;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Shortest and longest time budget, minutes.
pub const BUDGET_MINUTES: (u32, u32) = (5, 120);
/// Smallest and largest rep goal.
pub const REP_GOAL: (u32, u32) = (10, 1000);
/// Fewest repetitions worth a block of their own.
pub const MIN_BLOCK_REPS: u32 = 5;
/// Most blocks in one plan.
pub const MAX_BLOCKS: usize = 80;
/// Fewest exercises per region the generator wants to rotate through.
const MIN_REGION_CHOICE: usize = 3;
/// Most sets (blocks) of one exercise and side in a time-budget plan.
pub const MAX_SETS_PER_EXERCISE: usize = 4;

/// How many different exercises a plan uses: enough for variety within the
/// day, few enough that each gets a real dose (several sets) and the rest of
/// the catalog comes on the next days.
fn distinct_exercises(goal: PlanGoal) -> usize {
    let n = match goal {
        PlanGoal::Minutes { minutes } => minutes / 3,
        PlanGoal::Reps { reps } => reps / 35,
    };
    n.clamp(3, 20) as usize
}

/// What a day's plan aims at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(tag = "goal", rename_all = "snake_case")]
pub enum PlanGoal {
    /// A time budget, e.g. 30 minutes.
    Minutes {
        /// Minutes of practice including rests and setup.
        minutes: u32,
    },
    /// A number of repetitions, e.g. 300.
    Reps {
        /// Repetitions in total.
        reps: u32,
    },
}

/// Everything the generator needs besides the date and history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct PlanRequest {
    /// The person's level, 1 (least movement) to 3.
    pub level: u8,
    /// The body areas the person works on.
    pub areas: Vec<BodyRegion>,
    /// The side the stroke affected.
    pub affected_side: Side,
    /// Time budget or rep goal.
    pub goal: PlanGoal,
    /// Therapist prescriptions; those due today come first.
    pub prescriptions: Vec<Prescription>,
    /// Current targets per exercise id, from adaptation (missing = catalog
    /// defaults; ids no longer in the catalog are ignored).
    pub targets: HashMap<String, Targets>,
}

/// Where a planned block comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum BlockSource {
    /// A therapist prescription due today.
    Prescription,
    /// Chosen by the generator.
    Generated,
    /// From a routine the person built.
    Routine,
}

/// One block of a plan: one exercise, one side, a number of reps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct PlannedBlock {
    /// Catalog exercise id.
    pub exercise_id: String,
    /// The side to train: Left/Right, Both for bilateral exercises, None when
    /// the person has no affected side (either side).
    pub side: Side,
    /// Repetitions to do.
    pub target_reps: u32,
    /// Range to reach, as a fraction of the person's calibrated range.
    pub target_range_fraction: f32,
    /// Seconds to put the phone or sensor in place before the block (0 when
    /// the previous block used the same placement and side).
    pub setup_s: u32,
    /// Estimated seconds of movement.
    pub est_duration_s: u32,
    /// Rest after the block, seconds (0 after the last block).
    pub rest_after_s: u32,
    /// Prescription, generated, or user routine.
    pub source: BlockSource,
}

/// A day's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
pub struct DailyPlan {
    /// The blocks, in order.
    pub blocks: Vec<PlannedBlock>,
    /// Estimated seconds for the whole plan: setup, movement and rests.
    pub est_total_s: u32,
    /// Repetitions over all blocks.
    pub total_reps: u32,
    /// The prescriptions due today alone exceed the time budget.
    pub over_budget: bool,
}

/// Rest between blocks for a person at `level`, seconds.
pub fn rest_between_blocks_s(level: u8) -> u32 {
    match level {
        0 | 1 => 45,
        2 => 30,
        _ => 25,
    }
}

/// Builds the plan for `today`. `history` holds the exercises done on earlier
/// days (any order; entries on or after `today` are ignored).
///
/// A time budget is filled with up to [`MAX_SETS_PER_EXERCISE`] sets of a
/// budget-dependent number of exercises, so a long budget over very few
/// exercises may end early rather than repeat one movement all session.
pub fn generate_plan(
    catalog: &Catalog,
    today: NaiveDate,
    request: &PlanRequest,
    history: &[PastExercise],
) -> Result<DailyPlan, RoutineError> {
    validate_request(catalog, request)?;
    let level = request.level;
    let rest = rest_between_blocks_s(level);
    let targets_for = |e: &Exercise| {
        request
            .targets
            .get(&e.id)
            .copied()
            .unwrap_or_else(|| Targets::defaults(e))
            .clamped(e)
    };

    // 1. Due prescriptions, in the order given, never trimmed.
    let mut prescribed = Vec::new();
    for p in request
        .prescriptions
        .iter()
        .filter(|p| p.is_due(today, history))
    {
        let e = catalog.exercise(&p.exercise_id)?;
        let rep_s = e.hint.estimated_rep_s(level);
        let total = match p.amount {
            PrescribedAmount::Reps { reps } => reps,
            PrescribedAmount::Minutes { minutes } => {
                ((minutes * 60) as f32 / rep_s).round().max(1.0) as u32
            }
        };
        let range = targets_for(e).range_fraction;
        for side in sides(e, p.side.unwrap_or(request.affected_side)) {
            for reps in split_reps(total, e.target.reps_max) {
                prescribed.push(block(
                    e,
                    side,
                    reps,
                    range,
                    rep_s,
                    rest,
                    BlockSource::Prescription,
                ));
            }
        }
    }

    // 2. Candidates from the chosen areas, best first, regions interleaved.
    let due_ids: Vec<&str> = prescribed.iter().map(|b| b.exercise_id.as_str()).collect();
    let mut candidates = rank_candidates(catalog, today, request, history, &due_ids);
    candidates.truncate(distinct_exercises(request.goal));
    if prescribed.is_empty() && candidates.is_empty() {
        return Err(RoutineError::NoExercises);
    }

    // 3. Fill.
    let mut fill = Filler {
        blocks: prescribed,
        seen: Vec::new(),
        rest,
    };
    for b in &fill.blocks {
        if !fill.seen.contains(&(placement_of(catalog, b), b.side)) {
            fill.seen.push((placement_of(catalog, b), b.side));
        }
    }
    let prescribed_count = fill.blocks.len();
    let mut over_budget = false;
    match request.goal {
        PlanGoal::Minutes { minutes } => {
            let budget = minutes * 60;
            over_budget = fill.total_s() > budget;
            'passes: for _ in 0..MAX_SETS_PER_EXERCISE {
                for e in &candidates {
                    if fill.blocks.len() >= MAX_BLOCKS || fill.total_s() >= budget {
                        break 'passes;
                    }
                    fill.try_add_within(e, request, targets_for(e), budget);
                }
            }
        }
        PlanGoal::Reps { reps: goal } => {
            let mut i = 0;
            while !candidates.is_empty()
                && fill.total_reps() < goal
                && fill.blocks.len() < MAX_BLOCKS
            {
                let e = candidates[i % candidates.len()];
                fill.add_reps_toward(e, request, targets_for(e), goal - fill.total_reps());
                i += 1;
            }
        }
    }

    // 4. Order generated blocks by placement so the phone is strapped once per
    //    placement, then finish timings.
    let generated = fill.blocks.split_off(prescribed_count);
    let mut blocks = fill.blocks;
    blocks.extend(group_by_placement(catalog, generated, blocks.last()));
    let mut plan = finish(catalog, blocks);
    if let PlanGoal::Minutes { minutes } = request.goal {
        while plan.est_total_s > minutes * 60
            && plan
                .blocks
                .last()
                .is_some_and(|b| b.source == BlockSource::Generated)
        {
            plan.blocks.pop();
            plan = finish(catalog, plan.blocks);
        }
    }
    plan.over_budget = over_budget;
    Ok(plan)
}

fn validate_request(catalog: &Catalog, request: &PlanRequest) -> Result<(), RoutineError> {
    if !(1..=3).contains(&request.level) {
        return Err(RoutineError::InvalidInput {
            field: "level",
            reason: format!("{} is not 1-3", request.level),
        });
    }
    match request.goal {
        PlanGoal::Minutes { minutes }
            if !(BUDGET_MINUTES.0..=BUDGET_MINUTES.1).contains(&minutes) =>
        {
            return Err(RoutineError::InvalidBudget {
                reason: format!(
                    "{minutes} minutes is outside {}-{} minutes",
                    BUDGET_MINUTES.0, BUDGET_MINUTES.1
                ),
            })
        }
        PlanGoal::Reps { reps } if !(REP_GOAL.0..=REP_GOAL.1).contains(&reps) => {
            return Err(RoutineError::InvalidBudget {
                reason: format!(
                    "a goal of {reps} reps is outside {}-{} reps",
                    REP_GOAL.0, REP_GOAL.1
                ),
            })
        }
        _ => {}
    }
    for p in &request.prescriptions {
        p.validate(catalog)?;
    }
    Ok(())
}

/// The sides a block of `e` is planned for, given the side to train.
pub(crate) fn sides(e: &Exercise, side: Side) -> Vec<Side> {
    match (e.laterality, side) {
        (Laterality::Bilateral, _) => vec![Side::Both],
        (Laterality::PerSide, Side::Both) => vec![Side::Left, Side::Right],
        (Laterality::PerSide, s) => vec![s],
    }
}

/// Splits `total` reps into nearly equal blocks of at most `max` each.
fn split_reps(total: u32, max: u32) -> Vec<u32> {
    let n = total.div_ceil(max.max(1)).max(1);
    (0..n)
        .map(|i| total / n + u32::from(i < total % n))
        .collect()
}

pub(crate) fn block(
    e: &Exercise,
    side: Side,
    reps: u32,
    range_fraction: f32,
    rep_s: f32,
    rest_after_s: u32,
    source: BlockSource,
) -> PlannedBlock {
    PlannedBlock {
        exercise_id: e.id.clone(),
        side,
        target_reps: reps,
        target_range_fraction: range_fraction,
        setup_s: e.placement.setup_s(),
        est_duration_s: (reps as f32 * rep_s).round() as u32,
        rest_after_s,
        source,
    }
}

fn placement_of(catalog: &Catalog, b: &PlannedBlock) -> Placement {
    catalog
        .exercise(&b.exercise_id)
        .map(|e| e.placement)
        .unwrap_or(Placement::HandHeld)
}

/// Recomputes setup times (only when placement or side changes), the last
/// rest, and the totals.
pub(crate) fn finish(catalog: &Catalog, mut blocks: Vec<PlannedBlock>) -> DailyPlan {
    let mut previous: Option<(Placement, Side)> = None;
    for b in &mut blocks {
        let key = (placement_of(catalog, b), b.side);
        b.setup_s = if previous == Some(key) {
            0
        } else {
            key.0.setup_s()
        };
        previous = Some(key);
    }
    if let Some(last) = blocks.last_mut() {
        last.rest_after_s = 0;
    }
    DailyPlan {
        est_total_s: blocks
            .iter()
            .map(|b| b.setup_s + b.est_duration_s + b.rest_after_s)
            .sum(),
        total_reps: blocks.iter().map(|b| b.target_reps).sum(),
        blocks,
        over_budget: false,
    }
}

/// FNV-1a over the day number and an id: a stable, date-dependent tie-break.
fn day_hash(today: NaiveDate, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in today
        .num_days_from_ce()
        .to_le_bytes()
        .iter()
        .chain(id.as_bytes())
    {
        h ^= u64::from(*byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Exercises for the chosen areas, best first. Per region: levels at the
/// person's level or one below (any level up to theirs if that leaves fewer
/// than [`MIN_REGION_CHOICE`]), sorted by days since last done (most first,
/// so yesterday's come last), then closeness to the person's level, then a
/// date hash. Regions are then interleaved, starting at one that rotates with
/// the date.
fn rank_candidates<'c>(
    catalog: &'c Catalog,
    today: NaiveDate,
    request: &PlanRequest,
    history: &[PastExercise],
    exclude: &[&str],
) -> Vec<&'c Exercise> {
    let mut areas: Vec<BodyRegion> = Vec::new();
    for a in &request.areas {
        if !areas.contains(a) {
            areas.push(*a);
        }
    }
    if areas.is_empty() {
        return Vec::new();
    }
    let days_since = |id: &str| -> i64 {
        history
            .iter()
            .filter(|p| p.exercise_id == id && p.date < today && p.reps > 0)
            .map(|p| (today - p.date).num_days())
            .min()
            .unwrap_or(i64::MAX)
            .min(7)
    };
    let level = request.level;
    let mut per_region: Vec<Vec<&Exercise>> = areas
        .iter()
        .map(|region| {
            let usable: Vec<&Exercise> = catalog
                .exercises()
                .iter()
                .filter(|e| e.region == *region && e.level <= level)
                .filter(|e| !exclude.contains(&e.id.as_str()))
                .collect();
            let near: Vec<&Exercise> = usable
                .iter()
                .copied()
                .filter(|e| e.level + 1 >= level)
                .collect();
            let pool = if near.len() >= MIN_REGION_CHOICE {
                near
            } else {
                usable
            };
            let mut list: Vec<(i64, u8, u64, &Exercise)> = pool
                .into_iter()
                .map(|e| {
                    (
                        days_since(&e.id),
                        level - e.level,
                        day_hash(today, &e.id),
                        e,
                    )
                })
                .collect();
            list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            list.into_iter().map(|(_, _, _, e)| e).collect()
        })
        .collect();
    let start = (day_hash(today, "regions") % areas.len() as u64) as usize;
    per_region.rotate_left(start);
    let longest = per_region.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    for round in 0..longest {
        for list in &per_region {
            if let Some(e) = list.get(round) {
                out.push(*e);
            }
        }
    }
    out
}

/// Puts generated blocks in groups of the same placement and side, groups in
/// order of first appearance, a group matching `after` first.
fn group_by_placement(
    catalog: &Catalog,
    blocks: Vec<PlannedBlock>,
    after: Option<&PlannedBlock>,
) -> Vec<PlannedBlock> {
    let mut keys: Vec<(Placement, Side)> = Vec::new();
    if let Some(b) = after {
        keys.push((placement_of(catalog, b), b.side));
    }
    for b in &blocks {
        let k = (placement_of(catalog, b), b.side);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let mut out = Vec::with_capacity(blocks.len());
    for k in keys {
        out.extend(
            blocks
                .iter()
                .filter(|b| (placement_of(catalog, b), b.side) == k)
                .cloned(),
        );
    }
    out
}

/// Accumulates blocks while tracking the estimated time.
struct Filler {
    blocks: Vec<PlannedBlock>,
    /// Placements and sides already set up (each costs its setup time once
    /// after grouping).
    seen: Vec<(Placement, Side)>,
    rest: u32,
}

impl Filler {
    fn total_s(&self) -> u32 {
        let n = self.blocks.len() as u32;
        self.blocks.iter().map(|b| b.est_duration_s).sum::<u32>()
            + self.seen.iter().map(|(p, _)| p.setup_s()).sum::<u32>()
            + self.rest * n.saturating_sub(1)
    }

    fn total_reps(&self) -> u32 {
        self.blocks.iter().map(|b| b.target_reps).sum()
    }

    fn push(&mut self, e: &Exercise, side: Side, reps: u32, range: f32, rep_s: f32) {
        if !self.seen.contains(&(e.placement, side)) {
            self.seen.push((e.placement, side));
        }
        self.blocks.push(block(
            e,
            side,
            reps,
            range,
            rep_s,
            self.rest,
            BlockSource::Generated,
        ));
    }

    /// Adds `e` (one block per side) at its target reps if it fits the budget,
    /// or with fewer reps (not below its minimum) if that fits.
    fn try_add_within(&mut self, e: &Exercise, request: &PlanRequest, t: Targets, budget: u32) {
        let level = request.level;
        let rep_s = e.hint.estimated_rep_s(level);
        let sides = sides(e, request.affected_side);
        let n = sides.len() as u32;
        let new_setup: u32 = sides
            .iter()
            .filter(|s| !self.seen.contains(&(e.placement, **s)))
            .map(|_| e.placement.setup_s())
            .sum();
        let rests = if self.blocks.is_empty() { n - 1 } else { n } * self.rest;
        let Some(room) = budget.checked_sub(self.total_s() + new_setup + rests) else {
            return;
        };
        let fit = (room as f32 / (rep_s * n as f32)).floor() as u32;
        let reps = t.reps.min(fit);
        if reps < t.reps && reps < e.target.reps_min.max(MIN_BLOCK_REPS) {
            return;
        }
        for side in sides {
            self.push(e, side, reps, t.range_fraction, rep_s);
        }
    }

    /// Adds `e` (one block per side) with its target reps or the reps still
    /// `missing`; a remainder too small for a block goes to the last block.
    fn add_reps_toward(&mut self, e: &Exercise, request: &PlanRequest, t: Targets, missing: u32) {
        let rep_s = e.hint.estimated_rep_s(request.level);
        let sides = sides(e, request.affected_side);
        let n = sides.len() as u32;
        let per_side = t.reps.min(missing.div_ceil(n));
        if per_side < MIN_BLOCK_REPS {
            if let Some(last) = self
                .blocks
                .iter_mut()
                .rev()
                .find(|b| b.source == BlockSource::Generated)
            {
                let per_rep = last.est_duration_s as f32 / last.target_reps.max(1) as f32;
                last.target_reps += missing;
                last.est_duration_s = (last.target_reps as f32 * per_rep).round() as u32;
                return;
            }
        }
        for side in sides {
            self.push(e, side, per_side.max(1), t.range_fraction, rep_s);
        }
    }
}
