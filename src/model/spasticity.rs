//! Stiffness graded on the Modified Ashworth Scale.

/// Spasticity on the Modified Ashworth Scale (0, 1, 1+, 2, 3, 4), ordered from
/// no increase in tone to rigid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, uniffi::Enum)]
pub enum Spasticity {
    /// 0: no increase in muscle tone.
    Zero,
    /// 1: slight increase, a catch and release at the end of the range.
    One,
    /// 1+: slight increase, a catch then minimal resistance through less than half the range.
    OnePlus,
    /// 2: more marked increase through most of the range, still easily moved.
    Two,
    /// 3: considerable increase, passive movement difficult.
    Three,
    /// 4: rigid in flexion or extension.
    Four,
}

impl Spasticity {
    /// The grade as clinicians write it ("0", "1", "1+", "2", "3", "4").
    pub fn as_str(self) -> &'static str {
        match self {
            Spasticity::Zero => "0",
            Spasticity::One => "1",
            Spasticity::OnePlus => "1+",
            Spasticity::Two => "2",
            Spasticity::Three => "3",
            Spasticity::Four => "4",
        }
    }

    /// Parses a grade as clinicians write it.
    pub fn parse(s: &str) -> Option<Spasticity> {
        Some(match s {
            "0" => Spasticity::Zero,
            "1" => Spasticity::One,
            "1+" => Spasticity::OnePlus,
            "2" => Spasticity::Two,
            "3" => Spasticity::Three,
            "4" => Spasticity::Four,
            _ => return None,
        })
    }
}
