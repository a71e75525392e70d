//! The exercise catalog: what each exercise is, how the phone or sensor is
//! placed, and what the counter should expect from its signal.
//!
//! The data ships with the core (`catalog/exercises.json`, texts in
//! `catalog/i18n/`), embedded at build time and validated when loaded.

use super::i18n::{self, ExerciseText, LanguageInfo, LanguagePack};
use super::{validate, AdaptReason, RoutineError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The exercise definitions shipped with the core (`catalog/exercises.json`,
/// minified by `build.rs`).
const EXERCISES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog/exercises.json"));

/// A body area a person can choose to work on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, uniffi::Enum,
)]
#[serde(rename_all = "snake_case")]
pub enum BodyRegion {
    /// Fingers and hand: grip, pinch, finger taps, thumb opposition.
    Hand,
    /// Wrist: flexion/extension, radial/ulnar deviation.
    Wrist,
    /// Forearm: pronation/supination.
    Forearm,
    /// Elbow: flexion/extension, reaching.
    Elbow,
    /// Shoulder: flexion, abduction, rotation.
    Shoulder,
    /// Trunk: seated leaning, side bends, rotation.
    Trunk,
    /// Legs: knee, ankle, hip, sit-to-stand, marching.
    Leg,
}

impl BodyRegion {
    /// Every region, from the fingers up the arm, then trunk and legs.
    pub const ALL: [BodyRegion; 7] = [
        BodyRegion::Hand,
        BodyRegion::Wrist,
        BodyRegion::Forearm,
        BodyRegion::Elbow,
        BodyRegion::Shoulder,
        BodyRegion::Trunk,
        BodyRegion::Leg,
    ];

    /// The regions of the arm (hand to shoulder).
    pub const UPPER_LIMB: [BodyRegion; 5] = [
        BodyRegion::Hand,
        BodyRegion::Wrist,
        BodyRegion::Forearm,
        BodyRegion::Elbow,
        BodyRegion::Shoulder,
    ];

    /// The stable key used in data files and translations.
    pub fn key(self) -> &'static str {
        match self {
            BodyRegion::Hand => "hand",
            BodyRegion::Wrist => "wrist",
            BodyRegion::Forearm => "forearm",
            BodyRegion::Elbow => "elbow",
            BodyRegion::Shoulder => "shoulder",
            BodyRegion::Trunk => "trunk",
            BodyRegion::Leg => "leg",
        }
    }
}

/// Whether an exercise works one side at a time or both together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Laterality {
    /// One arm or leg at a time: planned for the person's affected side.
    PerSide,
    /// Both sides or the whole body together (trunk, sit-to-stand).
    Bilateral,
}

/// The starting position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Sitting on a chair (safest; most exercises).
    Seated,
    /// Standing, holding on to a table or counter.
    Standing,
}

/// How the phone or sensor is held or strapped on. The phone frame follows
/// Android/iOS: X to the right across the screen, Y up along the long side,
/// Z out of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Phone held flat in the hand, palm down, screen up, top toward the fingers.
    HandHeld,
    /// Phone strapped on the back of the forearm, top toward the hand.
    ForearmStrap,
    /// Phone strapped on the outside of the upper arm, screen out, top toward the elbow.
    UpperArmStrap,
    /// Phone held flat against the chest, screen out, top up.
    ChestHeld,
    /// Phone strapped on top of the thigh, top toward the knee.
    ThighStrap,
    /// Phone strapped on the front of the shin, screen forward, top up.
    ShinStrap,
    /// Phone strapped on top of the foot, top toward the toes.
    FootStrap,
    /// A Bluetooth grip sensor (puck) held in the hand.
    GripSensor,
    /// Phone lying on the table, screen up, for touch exercises.
    PhoneOnTable,
    /// Phone propped up so its camera sees the hand or arm.
    CameraFacing,
}

impl Placement {
    /// Every placement.
    pub const ALL: [Placement; 10] = [
        Placement::HandHeld,
        Placement::ForearmStrap,
        Placement::UpperArmStrap,
        Placement::ChestHeld,
        Placement::ThighStrap,
        Placement::ShinStrap,
        Placement::FootStrap,
        Placement::GripSensor,
        Placement::PhoneOnTable,
        Placement::CameraFacing,
    ];

    /// The stable key used in data files and translations.
    pub fn key(self) -> &'static str {
        match self {
            Placement::HandHeld => "hand_held",
            Placement::ForearmStrap => "forearm_strap",
            Placement::UpperArmStrap => "upper_arm_strap",
            Placement::ChestHeld => "chest_held",
            Placement::ThighStrap => "thigh_strap",
            Placement::ShinStrap => "shin_strap",
            Placement::FootStrap => "foot_strap",
            Placement::GripSensor => "grip_sensor",
            Placement::PhoneOnTable => "phone_on_table",
            Placement::CameraFacing => "camera_facing",
        }
    }

    /// Estimated seconds to get the phone or sensor into place (strapping takes longest).
    pub fn setup_s(self) -> u32 {
        match self {
            Placement::HandHeld | Placement::ChestHeld | Placement::PhoneOnTable => 10,
            Placement::GripSensor => 15,
            Placement::CameraFacing => 20,
            Placement::ForearmStrap
            | Placement::UpperArmStrap
            | Placement::ThighStrap
            | Placement::ShinStrap
            | Placement::FootStrap => 30,
        }
    }

    /// The signals this placement can give.
    pub fn signals(self) -> &'static [Signal] {
        match self {
            Placement::GripSensor => &[Signal::GripForce],
            Placement::PhoneOnTable => &[Signal::Touch],
            Placement::CameraFacing => &[Signal::JointAngle],
            Placement::HandHeld => &[Signal::Imu, Signal::Touch],
            _ => &[Signal::Imu],
        }
    }
}

/// The signal an exercise is counted from. Each has its own unit for
/// [`CountingHint::min_range`] (an IMU hint whose motion is
/// [`Motion::Travel`] uses metres instead, see [`CountingHint::range_unit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Phone motion (accelerometer + gyroscope); range in radians of rotation,
    /// or in metres of hand travel when the hint's motion is [`Motion::Travel`].
    Imu,
    /// Squeeze force from a grip sensor; range in newtons.
    GripForce,
    /// Touches on the screen; range in millimetres of finger travel (0 = taps).
    Touch,
    /// A joint angle seen by the camera; range in degrees.
    JointAngle,
}

impl Signal {
    /// The unit of [`CountingHint::min_range`] for this signal when the hint
    /// does not say the movement travels ("rad" for IMU); a travel hint's unit
    /// is "m" ([`CountingHint::range_unit`] gives the unit of a given hint).
    pub fn range_unit(self) -> &'static str {
        match self {
            Signal::Imu => "rad",
            Signal::GripForce => "N",
            Signal::Touch => "mm",
            Signal::JointAngle => "deg",
        }
    }
}

/// A gyroscope axis in the phone frame (see [`Placement`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    /// Across the screen, left to right.
    X,
    /// Along the long side of the screen, bottom to top.
    Y,
    /// Out of the screen.
    Z,
}

/// What an IMU movement mostly does, when the exercise clearly favours one:
/// the counter then counts on that channel. It also sets the unit of
/// [`CountingHint::min_range`]: radians for `Turn`, metres for `Travel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "lowercase")]
pub enum Motion {
    /// The hand or limb turns (a wrist bend, turning a key, pouring):
    /// counted on the rotation; `min_range` in radians.
    Turn,
    /// The hand travels and hardly turns (wiping, sliding, reaching, stirring
    /// a pot, a press): counted on the hand's travel; `min_range` in metres.
    Travel,
}

/// What the rep counter can expect from an exercise. Every field is help, not
/// a rule: the counter still adapts to the person online.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct CountingHint {
    /// The signal the exercise is counted from.
    pub signal: Signal,
    /// IMU only: the gyroscope axis the movement rotates about with the usual
    /// placement; `None` = find the axis online.
    #[serde(default)]
    pub axis: Option<Axis>,
    /// Shortest plausible repetition, seconds.
    pub rep_s_min: f32,
    /// Longest plausible repetition, seconds (impaired movement is slow).
    pub rep_s_max: f32,
    /// Smallest excursion that can be a repetition, in the hint's unit
    /// ([`CountingHint::range_unit`]: the signal's unit, or metres of hand
    /// travel for a [`Motion::Travel`] hint): an absolute floor so tremor never
    /// counts.
    pub min_range: f32,
    /// IMU only: whether the movement mostly turns or travels; `None` when it
    /// is not clear (the counter follows both and counts on whichever repeats).
    /// Missing in older catalog data, which reads as `None`.
    #[serde(default)]
    pub motion: Option<Motion>,
}

impl CountingHint {
    /// The unit of [`CountingHint::min_range`]: "m" (metres of hand travel)
    /// for a [`Motion::Travel`] hint, otherwise the signal's unit
    /// ([`Signal::range_unit`]).
    pub fn range_unit(&self) -> &'static str {
        match self.motion {
            Some(Motion::Travel) => "m",
            _ => self.signal.range_unit(),
        }
    }

    /// Estimated seconds per repetition for a person at `level` (1-3): slower
    /// levels sit nearer the slow end of the expected range.
    pub fn estimated_rep_s(&self, level: u8) -> f32 {
        let f = match level {
            0 | 1 => 0.35,
            2 => 0.25,
            _ => 0.2,
        };
        self.rep_s_min + (self.rep_s_max - self.rep_s_min) * f
    }
}

/// What sort of practice an exercise is, so a shell can group exercises (for
/// instance under "Task practice").
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum,
)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseKind {
    /// A movement of one body part for range and strength (wrist up and down,
    /// knee straightening). Catalog data without a kind reads as this.
    #[default]
    Movement,
    /// An everyday task practised with a real object (drinking from a cup,
    /// wiping the table, turning a key): task-specific practice, the core of
    /// stroke rehabilitation.
    TaskPractice,
}

/// Default targets and the bounds adaptation keeps them in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct TargetDefaults {
    /// Repetitions per block to start with.
    pub reps: u32,
    /// Fewest repetitions per block adaptation may set.
    pub reps_min: u32,
    /// Most repetitions per block adaptation may set.
    pub reps_max: u32,
    /// Target range to start with, as a fraction of the person's calibrated range.
    pub range_fraction: f32,
    /// Lowest target range fraction adaptation may set.
    pub range_fraction_min: f32,
    /// Highest target range fraction adaptation may set.
    pub range_fraction_max: f32,
}

/// One exercise of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable snake_case id ("wrist_flexion_extension"); stored with every rep.
    pub id: String,
    /// The body area it works.
    pub region: BodyRegion,
    /// One side at a time, or both together.
    pub laterality: Laterality,
    /// Sitting or standing.
    pub position: Position,
    /// How the phone or sensor is held or strapped on.
    pub placement: Placement,
    /// Difficulty, 1 (easiest, little movement needed) to 3.
    pub level: u8,
    /// A movement exercise or task practice.
    #[serde(default)]
    pub kind: ExerciseKind,
    /// What the rep counter can expect.
    pub hint: CountingHint,
    /// Default targets and adaptation bounds.
    pub target: TargetDefaults,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    version: u32,
    exercises: Vec<Exercise>,
}

/// The loaded, validated catalog with its texts in every registered language.
#[derive(Debug, Clone)]
pub struct Catalog {
    version: u32,
    exercises: Vec<Exercise>,
    index: HashMap<String, usize>,
    languages: Vec<LanguagePack>,
}

impl Catalog {
    /// The catalog shipped with the core, parsed and validated once.
    ///
    /// The shipped data is checked by the catalog tests, so this cannot fail in
    /// a tested build.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::from_json(EXERCISES_JSON, i18n::LANGUAGE_FILES)
                .expect("the embedded catalog is validated by the routine tests")
        })
    }

    /// Parses and validates a catalog: `exercises_json` in the format of
    /// `catalog/exercises.json`, and `(code, json)` pairs of translations, the
    /// first being the fallback language.
    pub fn from_json(
        exercises_json: &str,
        language_files: &[(&str, &str)],
    ) -> Result<Catalog, RoutineError> {
        let file: CatalogFile =
            serde_json::from_str(exercises_json).map_err(|e| RoutineError::InvalidCatalog {
                detail: format!("exercises: {e}"),
            })?;
        let languages = language_files
            .iter()
            .map(|(code, json)| LanguagePack::parse(code, json))
            .collect::<Result<Vec<_>, _>>()?;
        let mut index = HashMap::with_capacity(file.exercises.len());
        for (i, e) in file.exercises.iter().enumerate() {
            if index.insert(e.id.clone(), i).is_some() {
                return Err(RoutineError::InvalidCatalog {
                    detail: format!("exercise id \"{}\" appears twice", e.id),
                });
            }
        }
        let catalog = Catalog {
            version: file.version,
            exercises: file.exercises,
            index,
            languages,
        };
        validate::validate(&catalog)?;
        Ok(catalog)
    }

    /// Version of the catalog data (bumped when exercises change).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// All exercises, in catalog order.
    pub fn exercises(&self) -> &[Exercise] {
        &self.exercises
    }

    /// One exercise by id.
    pub fn exercise(&self, id: &str) -> Result<&Exercise, RoutineError> {
        self.index
            .get(id)
            .map(|&i| &self.exercises[i])
            .ok_or_else(|| RoutineError::UnknownExercise { id: id.to_owned() })
    }

    /// The registered languages; the first is the fallback.
    pub fn languages(&self) -> Vec<LanguageInfo> {
        self.languages
            .iter()
            .map(|p| LanguageInfo {
                code: p.code.clone(),
                name: p.name.clone(),
            })
            .collect()
    }

    /// Picks the language to show from the device's preferred locales, in
    /// order ("es-MX" matches "es"); the fallback language if none match.
    pub fn resolve_language(&self, preferred: &[String]) -> String {
        preferred
            .iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or("");
                self.languages
                    .iter()
                    .find(|p| p.code.eq_ignore_ascii_case(primary))
            })
            .unwrap_or(&self.languages[0])
            .code
            .clone()
    }

    /// Name and steps of an exercise in a language.
    pub fn exercise_text(&self, id: &str, lang: &str) -> Result<ExerciseText, RoutineError> {
        self.exercise(id)?;
        let pack = self.pack(lang)?;
        Ok(pack.exercises[id].clone())
    }

    /// The name of a body region in a language.
    pub fn region_name(&self, region: BodyRegion, lang: &str) -> Result<String, RoutineError> {
        Ok(self.pack(lang)?.regions[region.key()].clone())
    }

    /// How to hold or strap the phone for a placement, in a language.
    pub fn placement_text(&self, placement: Placement, lang: &str) -> Result<String, RoutineError> {
        Ok(self.pack(lang)?.placements[placement.key()].clone())
    }

    /// The short sentence the shell shows for a target change, in a language.
    pub fn reason_text(&self, reason: AdaptReason, lang: &str) -> Result<String, RoutineError> {
        Ok(self.pack(lang)?.reasons[reason.key()].clone())
    }

    pub(crate) fn language_packs(&self) -> &[LanguagePack] {
        &self.languages
    }

    fn pack(&self, lang: &str) -> Result<&LanguagePack, RoutineError> {
        self.languages
            .iter()
            .find(|p| p.code == lang)
            .ok_or_else(|| RoutineError::UnknownLanguage {
                code: lang.to_owned(),
                available: self
                    .languages
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}
