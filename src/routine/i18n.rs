//! Catalog texts in several languages, one JSON file per language.
//!
//! To add a language: add `catalog/i18n/<code>.json` (copy `en.json`, keep the
//! keys, translate the values) and one line to [`LANGUAGE_FILES`]. The catalog
//! tests then check that every exercise, region, placement and reason has a
//! text and that steps stay short.

use super::RoutineError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Registered languages as `(code, file contents)`; the first is the fallback.
/// The contents are `catalog/i18n/<code>.json` minified by `build.rs`.
pub(crate) const LANGUAGE_FILES: &[(&str, &str)] = &[
    (
        "en",
        include_str!(concat!(env!("OUT_DIR"), "/catalog/i18n/en.json")),
    ),
    (
        "es",
        include_str!(concat!(env!("OUT_DIR"), "/catalog/i18n/es.json")),
    ),
];

/// Most steps an exercise may have.
pub const MAX_STEPS: usize = 5;
/// Most words in one step (short steps are readable with aphasia).
pub const MAX_WORDS_PER_STEP: usize = 6;
/// Most characters in an exercise name.
pub const MAX_NAME_CHARS: usize = 40;

/// A language the catalog has texts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct LanguageInfo {
    /// ISO 639-1 code, e.g. "en", "es".
    pub code: String,
    /// The language's own name, e.g. "Español".
    pub name: String,
}

/// The name and plain-language steps of an exercise in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct ExerciseText {
    /// Short name, e.g. "Wrist up and down".
    pub name: String,
    /// A few short steps, a few words each.
    pub steps: Vec<String>,
}

/// One language file, parsed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LanguagePack {
    #[serde(rename = "language")]
    pub code: String,
    #[serde(rename = "language_name")]
    pub name: String,
    pub regions: HashMap<String, String>,
    pub placements: HashMap<String, String>,
    pub reasons: HashMap<String, String>,
    pub exercises: HashMap<String, ExerciseText>,
}

impl LanguagePack {
    /// Parses a language file registered under `code`.
    pub fn parse(code: &str, json: &str) -> Result<LanguagePack, RoutineError> {
        let pack: LanguagePack =
            serde_json::from_str(json).map_err(|e| RoutineError::InvalidCatalog {
                detail: format!("language file {code}: {e}"),
            })?;
        if pack.code != code {
            return Err(RoutineError::InvalidCatalog {
                detail: format!(
                    "language file registered as {code} says it is {}",
                    pack.code
                ),
            });
        }
        Ok(pack)
    }
}
