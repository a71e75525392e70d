//! Shared by the integration tests that read recordings.

use std::path::Path;

/// A 6-axis recording in the shared data's CSV format (`t_s,ax,ay,az,gx,gy,gz`): the
/// timestamps and the interleaved samples.
pub fn load_imu_csv(path: &Path) -> (Vec<f64>, Vec<f32>) {
    let text = std::fs::read_to_string(path).expect("readable recording");
    let (mut t, mut x) = (Vec::new(), Vec::new());
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let mut f = line.split(',').map(|v| v.parse::<f64>().expect("number"));
        t.push(f.next().expect("t_s"));
        x.extend(f.map(|v| v as f32));
    }
    assert_eq!(x.len(), 6 * t.len(), "{}: 6-axis rows", path.display());
    (t, x)
}
