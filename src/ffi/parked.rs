//! What a sample fast-path push leaves behind for the generated `take_pushed_events`.
//!
//! Its own file so that [`super::fast`] is a leaf: the exported objects hold a
//! `Parked`, and the fast path fills it, without either importing the other.

use super::RehabError;
use std::sync::{Mutex, MutexGuard};

/// What a fast-path call left for `take_pushed_events`: events that did not fit the
/// caller's buffer, or the error of a rejected batch.
pub(crate) struct Parked<E> {
    slot: Mutex<Option<Result<Vec<E>, RehabError>>>,
}

impl<E> Default for Parked<E> {
    fn default() -> Self {
        Parked {
            slot: Mutex::new(None),
        }
    }
}

impl<E> Parked<E> {
    fn lock(&self) -> MutexGuard<'_, Option<Result<Vec<E>, RehabError>>> {
        crate::sync::lock(&self.slot)
    }

    /// Keep `result` for the next `take`; events parked earlier and not yet taken come
    /// first (an error replaces them: it is what the caller must see).
    pub(super) fn park(&self, result: Result<Vec<E>, RehabError>) {
        let mut slot = self.lock();
        *slot = match (slot.take(), result) {
            (Some(Ok(mut old)), Ok(new)) => {
                old.extend(new);
                Some(Ok(old))
            }
            (_, r) => Some(r),
        };
    }

    /// What was parked (nothing: an empty list), and forget it.
    pub(crate) fn take(&self) -> Result<Vec<E>, RehabError> {
        self.lock().take().unwrap_or_else(|| Ok(Vec::new()))
    }
}
