//! Shared by the integration tests that read recordings.

use rehab_core::recording::{self, RecordingKind};
use std::path::Path;

/// A 6-axis recording in the shared data's CSV format (`t_s,ax,ay,az,gx,gy,gz`): the
/// timestamps and the interleaved samples.
pub fn load_imu_csv(path: &Path) -> (Vec<f64>, Vec<f32>) {
    let rec = recording::read_file(path)
        .unwrap_or_else(|e| panic!("{}: {e} (line {:?})", path.display(), e.line()));
    assert_eq!(
        rec.kind,
        RecordingKind::Imu6,
        "{}: 6-axis rows",
        path.display()
    );
    (rec.t_s, rec.values)
}
