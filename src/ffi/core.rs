//! `RehabCore`: the object the app opens once on its database file.

use super::instants::Profile;
use super::listener::{Listeners, SharedListeners};
use super::{DataChange, DataListener, RehabError, Subscription};
use crate::clock::{Clock, SystemClock};
use crate::store::{NewProfile, Store};
use std::sync::Arc;
use tokio::runtime::Runtime;

/// The core of the app, opened on one database file.
///
/// Open it once at app start and share it. Database work runs on the core's own
/// small thread pool behind `suspend`/`async` functions, never on the caller's
/// thread.
#[derive(uniffi::Object)]
pub struct RehabCore {
    pub(super) store: Arc<Store>,
    pub(super) clock: Arc<dyn Clock>,
    listeners: SharedListeners,
    /// `Option` only so `Drop` can shut it down without blocking.
    runtime: Option<Runtime>,
}

impl RehabCore {
    /// Opens with an explicit clock (tests, replays). Rust-only.
    pub fn open_with_clock(path: &str, clock: Arc<dyn Clock>) -> Result<Self, RehabError> {
        let store = Store::open(path)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(4)
            .thread_name("rehab-core")
            .build()
            .map_err(|e| RehabError::internal(format!("cannot start worker threads: {e}")))?;
        Ok(RehabCore {
            store: Arc::new(store),
            clock,
            listeners: SharedListeners::default(),
            runtime: Some(runtime),
        })
    }

    /// Runs blocking store work on the core's pool and awaits it; the work's own
    /// error (a store, session, backup or progress error) maps to [`RehabError`].
    pub(super) async fn blocking<T, E, F>(&self, f: F) -> Result<T, RehabError>
    where
        T: Send + 'static,
        E: Into<RehabError> + Send + 'static,
        F: FnOnce(&Store) -> Result<T, E> + Send + 'static,
    {
        let store = self.store.clone();
        let runtime = self.runtime.as_ref().expect("runtime lives until drop");
        runtime
            .spawn_blocking(move || f(&store))
            .await?
            .map_err(Into::into)
    }

    /// The data listeners, for objects that announce changes themselves (sessions).
    pub(super) fn listeners(&self) -> SharedListeners {
        self.listeners.clone()
    }

    /// [`RehabCore::blocking`] for a write: the changes it returns are told
    /// to the data listeners on the pool thread, once it is stored.
    pub(super) async fn write_and_tell<T, E, F>(&self, f: F) -> Result<T, RehabError>
    where
        T: Send + 'static,
        E: Into<RehabError> + Send + 'static,
        F: FnOnce(&Store) -> Result<(T, Vec<DataChange>), E> + Send + 'static,
    {
        let listeners = self.listeners.clone();
        self.blocking(move |s| {
            let (value, changes) = f(s)?;
            for change in &changes {
                Listeners::notify(&listeners, change);
            }
            Ok::<_, E>(value)
        })
        .await
    }

    /// A handle on the core's thread pool.
    pub(super) fn pool(&self) -> tokio::runtime::Handle {
        self.runtime
            .as_ref()
            .expect("runtime lives until drop")
            .handle()
            .clone()
    }
}

#[uniffi::export]
impl RehabCore {
    /// Opens (creating or upgrading) the database at `path`. Kotlin:
    /// `RehabCore(path)`; Swift: `try RehabCore(path:)`.
    ///
    /// Throws `DatabaseTooNew` for a file from a newer app version,
    /// `DatabaseUnreadable` for a file that is not a RehabCore database or is
    /// damaged (`PRAGMA quick_check`), and `Storage` for a read-only file; none of
    /// them is modified. A large file is checked in the background: writes wait for
    /// the check and throw `DatabaseUnreadable` if it finds damage.
    #[uniffi::constructor]
    pub fn new(path: String) -> Result<Arc<Self>, RehabError> {
        Ok(Arc::new(Self::open_with_clock(
            &path,
            Arc::new(SystemClock),
        )?))
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, RehabError> {
        Ok(self.store.schema_version()?)
    }

    /// The path of the database file.
    pub fn database_path(&self) -> String {
        self.store.path().display().to_string()
    }

    /// Creates a profile for one survivor.
    pub async fn create_profile(&self, profile: NewProfile) -> Result<Profile, RehabError> {
        let now = self.clock.now_ms();
        self.write_and_tell(move |s| {
            let created: Profile = s.create_profile(&profile, now)?.into();
            let change = DataChange::ProfileAdded {
                profile: created.clone(),
            };
            Ok::<_, crate::store::StoreError>((created, vec![change]))
        })
        .await
    }

    /// All profiles on this device, oldest first.
    pub async fn profiles(&self) -> Result<Vec<Profile>, RehabError> {
        self.blocking(|s| {
            s.profiles()
                .map(|all| all.into_iter().map(Profile::from).collect())
        })
        .await
    }

    /// One profile by id; throws `NotFound` for an unknown id.
    pub async fn profile(&self, id: i64) -> Result<Profile, RehabError> {
        self.blocking(move |s| s.profile(id).map(Profile::from))
            .await
    }

    /// Registers a listener for data changes until the returned handle is
    /// cancelled or released. The listener must not keep this core alive.
    pub fn subscribe(&self, listener: Arc<dyn DataListener>) -> Arc<Subscription> {
        Arc::new(Listeners::add(&self.listeners, listener))
    }

    /// How many data listeners are registered now (a leak check for tests and
    /// debug screens: a cancelled flow or stream leaves none behind).
    pub fn active_subscriptions(&self) -> u32 {
        u32::try_from(Listeners::count(&self.listeners)).unwrap_or(u32::MAX)
    }
}

impl Drop for RehabCore {
    fn drop(&mut self) {
        // The app may release the core on any thread (JVM cleaner, Swift deinit),
        // even one inside an async context: never block or panic here.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
