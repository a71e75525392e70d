//! The one way this crate takes a lock: poison-tolerant.
//!
//! A panic while a lock is held (caught at the FFI boundary, never a crash) would
//! poison it; every guarded value here stays consistent across such a panic (a
//! write is one SQLite transaction, a counter push is validated before it changes
//! anything), so the next caller goes on with it instead of failing forever.
//!
//! Layer 0 (a leaf, beside `model`): imports nothing of ours.

use std::sync::{Mutex, MutexGuard};

/// Locks `m`, taking the value over from a panicked holder if need be.
pub(crate) fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_lock_poisoned_by_a_panic_still_gives_its_value() {
        let m = Arc::new(Mutex::new(1));
        let held = m.clone();
        let _ = std::thread::spawn(move || {
            let mut g = held.lock().unwrap();
            *g = 2;
            panic!("while holding the lock");
        })
        .join();
        assert!(m.is_poisoned());
        assert_eq!(*lock(&m), 2);
    }
}
