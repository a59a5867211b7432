//! Resource limits for everything read from outside: spec text, forms, commands.
//!
//! Each limit has a safe default and can be raised or lowered by the host. Exceeding
//! one is a [`Code::LimitExceeded`](crate::Code::LimitExceeded) diagnostic, never a
//! panic or an unbounded allocation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Resource limits applied while reading specs and running dossiers.
///
/// ```
/// let mut limits = motcua::Limits::default();
/// limits.max_input_bytes = 64 * 1024;
/// assert_eq!(limits.max_depth, 32);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Limits {
    /// Largest spec, catalogue or calendar text (YAML or JSON), in bytes.
    pub max_input_bytes: usize,
    /// Deepest nesting of YAML mappings and sequences (JSON objects and arrays).
    pub max_depth: usize,
    /// Most YAML parser events (nodes, keys, collection ends) in one document; a JSON
    /// document counts its keys and values against it.
    pub max_yaml_events: usize,
    /// Most alias uses (`*name`) in one document: blocks "billion laughs" expansion.
    pub max_aliases: usize,
    /// Most steps plus outcomes in one procedure.
    pub max_steps: usize,
    /// Most actions in one step.
    pub max_actions_per_step: usize,
    /// Most form fields (counting fields inside groups) plus checklist documents.
    pub max_fields: usize,
    /// Most events in one dossier's history.
    pub max_history: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 1024 * 1024,
            max_depth: 32,
            max_yaml_events: 200_000,
            max_aliases: 64,
            max_steps: 256,
            max_actions_per_step: 32,
            max_fields: 1000,
            max_history: 10_000,
        }
    }
}
