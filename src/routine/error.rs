//! Typed errors of the routine module (catalog, plans, routines).

/// Why a catalog, plan or routine request was rejected. Messages name exercise
/// ids and fields, never health data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutineError {
    /// The id is not in the exercise catalog.
    #[error("unknown exercise id \"{id}\"")]
    UnknownExercise {
        /// The id that was asked for.
        id: String,
    },
    /// No texts are registered for this language code.
    #[error("unknown language \"{code}\" (available: {available})")]
    UnknownLanguage {
        /// The code that was asked for.
        code: String,
        /// The registered codes, comma separated.
        available: String,
    },
    /// The time budget or rep goal is outside what a plan can hold.
    #[error("invalid plan budget: {reason}")]
    InvalidBudget {
        /// What is wrong with it.
        reason: String,
    },
    /// A plan input, prescription or target is out of range.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field that was rejected.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// No catalog exercise fits the chosen body areas and level, and no
    /// prescription is due.
    #[error("no exercise in the catalog fits the chosen body areas and level")]
    NoExercises,
    /// A routine the person built is not valid.
    #[error("invalid routine: {reason}")]
    InvalidRoutine {
        /// What is wrong with it.
        reason: String,
    },
    /// The shipped catalog data is malformed (caught by the catalog tests).
    #[error("invalid exercise catalog: {detail}")]
    InvalidCatalog {
        /// What is wrong with it.
        detail: String,
    },
}
