//! The side of the body the stroke affected.

/// The side of the body the stroke affected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, uniffi::Enum)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Left side affected.
    Left,
    /// Right side affected.
    Right,
    /// Both sides affected.
    Both,
    /// No side in particular.
    None,
}

impl Side {
    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
            Side::Both => "both",
            Side::None => "none",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Side> {
        Some(match s {
            "left" => Side::Left,
            "right" => Side::Right,
            "both" => Side::Both,
            "none" => Side::None,
            _ => return None,
        })
    }
}
