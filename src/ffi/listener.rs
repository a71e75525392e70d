//! Listeners implemented in Kotlin or Swift, and the handles that end them.

use super::export::ImportSummary;
use super::instants::{CheckIn, Profile};
use super::ListenerError;
use crate::model::{DailyGoal, WeeklySchedule};
use crate::session::{ExerciseResult, SessionEvent, SessionSummary};
use crate::sync::lock;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// Something that changed in the stored data, for screens that show it. Each
/// variant names the profile it concerns, so a screen can ignore the others.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum DataChange {
    /// A profile was created (or restored from a backup).
    ProfileAdded {
        /// The new profile.
        profile: Profile,
    },
    /// A live session started, or an unfinished one was resumed.
    SessionStarted {
        /// Whose session.
        profile_id: i64,
        /// The session's database id.
        session_id: i64,
        /// True when a session a crash left unfinished was picked up again.
        resumed: bool,
    },
    /// A block (one exercise's set) ended and is stored.
    BlockDone {
        /// Whose session.
        profile_id: i64,
        /// The session's database id.
        session_id: i64,
        /// What the block achieved.
        result: ExerciseResult,
    },
    /// Reps were stored during a block. Coalesced: at most one every
    /// 250 ms per session; `BlockDone` and `SessionFinished` carry the rest.
    RepsStored {
        /// Whose session.
        profile_id: i64,
        /// The session's database id.
        session_id: i64,
        /// Reps stored in the session so far.
        reps_in_session: u32,
    },
    /// A live session ended and is stored.
    SessionFinished {
        /// Whose session.
        profile_id: i64,
        /// Totals and per-exercise results.
        summary: SessionSummary,
    },
    /// A session a crash left unfinished was closed as abandoned.
    SessionAbandoned {
        /// Whose session.
        profile_id: i64,
        /// The session's database id.
        session_id: i64,
    },
    /// A whole finished session was stored at once (`storeCompletedSession`).
    SessionAdded {
        /// Whose session.
        profile_id: i64,
        /// The session's database id.
        session_id: i64,
    },
    /// A pain / stiffness / effort check-in was stored.
    CheckInRecorded {
        /// The stored check-in.
        check_in: CheckIn,
    },
    /// The daily goal changed.
    GoalChanged {
        /// Whose goal.
        profile_id: i64,
        /// The goal as set (neither reps nor minutes: cleared).
        goal: DailyGoal,
    },
    /// The weekly schedule was replaced.
    ScheduleChanged {
        /// Whose schedule.
        profile_id: i64,
        /// The new schedule.
        schedule: WeeklySchedule,
    },
    /// A live session calibrated the person's range for an exercise and stored it.
    CalibrationStored {
        /// Whose calibration.
        profile_id: i64,
        /// Catalog id of the exercise.
        exercise_id: String,
        /// The reference range measured.
        reference_range: f32,
    },
    /// A backup was restored (each of its profiles is also announced by `ProfileAdded`).
    Imported {
        /// What it added.
        summary: ImportSummary,
    },
}

/// Reps are announced at most this often per session.
const REPS_EVERY: Duration = Duration::from_millis(250);

/// Turns one live session's events into [`DataChange`]s for the data listeners,
/// coalescing reps. Holds no reference to the core.
pub(crate) struct SessionChanges {
    listeners: SharedListeners,
    profile_id: i64,
    session_id: i64,
    reps: Mutex<RepGate>,
}

#[derive(Default)]
struct RepGate {
    last_sent: Option<Instant>,
    /// Reps in the session not yet announced.
    pending: Option<u32>,
}

impl SessionChanges {
    pub(crate) fn new(listeners: SharedListeners, profile_id: i64, session_id: i64) -> Self {
        SessionChanges {
            listeners,
            profile_id,
            session_id,
            reps: Mutex::new(RepGate::default()),
        }
    }

    /// Announces the session's start (or resumption).
    pub(crate) fn started(&self, resumed: bool) {
        Listeners::notify(
            &self.listeners,
            &DataChange::SessionStarted {
                profile_id: self.profile_id,
                session_id: self.session_id,
                resumed,
            },
        );
    }

    /// Tells the data listeners what one call's events changed on disk.
    pub(crate) fn after(&self, events: &[SessionEvent]) {
        let (profile_id, session_id) = (self.profile_id, self.session_id);
        let mut changes = Vec::new();
        let mut gate = lock(&self.reps);
        for event in events {
            match event {
                SessionEvent::Rep {
                    reps_in_session, ..
                } => gate.pending = Some(*reps_in_session),
                SessionEvent::Calibrated {
                    exercise_id,
                    reference_range,
                    ..
                } => changes.push(DataChange::CalibrationStored {
                    profile_id,
                    exercise_id: exercise_id.clone(),
                    reference_range: *reference_range,
                }),
                SessionEvent::BlockComplete { result } => {
                    gate.pending = None;
                    changes.push(DataChange::BlockDone {
                        profile_id,
                        session_id,
                        result: result.clone(),
                    });
                }
                SessionEvent::SessionFinished { summary } => {
                    gate.pending = None;
                    changes.push(DataChange::SessionFinished {
                        profile_id,
                        summary: summary.clone(),
                    });
                }
                _ => {}
            }
        }
        if let Some(reps_in_session) = gate.pending {
            let now = Instant::now();
            let due = match gate.last_sent {
                None => true,
                Some(t) => now.duration_since(t) >= REPS_EVERY,
            };
            if due {
                gate.last_sent = Some(now);
                gate.pending = None;
                changes.push(DataChange::RepsStored {
                    profile_id,
                    session_id,
                    reps_in_session,
                });
            }
        }
        drop(gate);
        for change in &changes {
            Listeners::notify(&self.listeners, change);
        }
    }
}

/// Implemented by the app to hear about data changes (e.g. to refresh a screen).
/// Called on a core thread: hop to the main thread before touching UI.
#[uniffi::export(foreign)]
pub trait DataListener: Send + Sync {
    /// One change happened. An error returned here is ignored by the core.
    fn on_change(&self, change: DataChange) -> Result<(), ListenerError>;
}

/// The registered listeners. Holds no reference to the core object, so a
/// listener that captures the core cannot form a cycle through it.
#[derive(Default)]
pub(crate) struct Listeners {
    next_id: u64,
    entries: Vec<(u64, Arc<dyn DataListener>)>,
}

pub(crate) type SharedListeners = Arc<Mutex<Listeners>>;

impl Listeners {
    /// Tells every listener; the lock is not held during the calls.
    pub(crate) fn notify(shared: &SharedListeners, change: &DataChange) {
        let targets: Vec<_> = lock(shared)
            .entries
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for listener in targets {
            // A failing listener must not stop the others nor the core.
            let _ = listener.on_change(change.clone());
        }
    }

    /// How many listeners are registered.
    pub(crate) fn count(shared: &SharedListeners) -> usize {
        lock(shared).entries.len()
    }

    pub(crate) fn add(shared: &SharedListeners, listener: Arc<dyn DataListener>) -> Subscription {
        let mut l = lock(shared);
        l.next_id += 1;
        let id = l.next_id;
        l.entries.push((id, listener));
        Subscription {
            id,
            listeners: Arc::downgrade(shared),
        }
    }
}

/// A live subscription. `cancel()` stops deliveries; dropping it does too.
#[derive(uniffi::Object)]
pub struct Subscription {
    id: u64,
    listeners: Weak<Mutex<Listeners>>,
}

#[uniffi::export]
impl Subscription {
    /// Stops deliveries to this listener. Calling it again does nothing.
    pub fn cancel(&self) {
        if let Some(shared) = self.listeners.upgrade() {
            lock(&shared).entries.retain(|(id, _)| *id != self.id);
        }
    }

    /// Whether deliveries still reach the listener.
    pub fn is_active(&self) -> bool {
        self.listeners
            .upgrade()
            .is_some_and(|s| lock(&s).entries.iter().any(|(id, _)| *id == self.id))
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.cancel();
    }
}
