//! `rehab demo`: plays a session for a demo profile into the local database.

use rehab_core::ffi::RehabCore;
use rehab_core::store::{NewProfile, Side};
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `rehab demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Database file (default: the user's data folder, rehab_core/rehab.db).
    #[arg(long)]
    db: Option<PathBuf>,
}

/// The default database: `$XDG_DATA_HOME/rehab_core/rehab.db`, else `~/.local/share/...`.
pub fn default_db_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("rehab_core").join("rehab.db")
}

pub fn run(args: DemoArgs) -> ExitCode {
    let path = args.db.unwrap_or_else(default_db_path);
    if let Some(dir) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("rehab demo: cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    match demo(&path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rehab demo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn demo(path: &std::path::Path) -> Result<(), rehab_core::ffi::RehabError> {
    let core = RehabCore::open(path.display().to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let profiles = core.profiles().await?;
        let profile = match profiles.into_iter().next() {
            Some(p) => p,
            None => {
                core.create_profile(NewProfile {
                    name: "Demo".into(),
                    affected_side: Side::Left,
                    time_zone: "Europe/Madrid".into(),
                })
                .await?
            }
        };
        println!(
            "database: {} (schema v{})",
            core.database_path(),
            core.schema_version()?
        );
        println!(
            "profile:  {} (id {}, affected side {:?})",
            profile.name, profile.id, profile.affected_side
        );
        Ok(())
    })
}
