//! Listeners implemented in Kotlin or Swift, and the handles that end them.

use super::ListenerError;
use crate::store::Profile;
use crate::sync::lock;
use std::sync::{Arc, Mutex, Weak};

/// Something that changed in the stored data, for screens that show it.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum DataChange {
    /// A profile was created.
    ProfileAdded {
        /// The new profile.
        profile: Profile,
    },
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
