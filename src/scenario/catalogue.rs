//! The built-in catalogue: every cell of the vendor's outcome table, each
//! precondition failure, and the variations trainers ask about, titled in the
//! documentation's words. The scenarios are data, in `catalogue.json`, one
//! per line; defaults are left out.

use serde::{Deserialize, Serialize};

use super::input::Scenario;

/// AgentA, the transferor in the vendor's bank example.
pub const AGENT_A: &str = "sip:AgentA@example.sip.twilio.com";
/// AgentB, the transfer target.
pub const AGENT_B: &str = "sip:AgentB@example.sip.twilio.com";
/// AgentC, the target of a chained transfer.
pub const AGENT_C: &str = "sip:AgentC@example.sip.twilio.com";
/// The application behind `referUrl`.
pub const HANDLER: &str = "https://example.com/handler";

/// One catalogue scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entry {
    /// Stable id (used in shared links).
    pub id: String,
    /// The group it is listed under.
    pub group: String,
    /// Its title, in the documentation's words.
    pub title: String,
    /// What it shows.
    pub description: String,
    /// The scenario.
    pub scenario: Scenario,
}

const DATA: &str = include_str!("catalogue.json");

/// The whole catalogue, in display order.
pub fn catalogue() -> Vec<Entry> {
    // The data is checked by the tests; a broken file is a build defect, reported as an empty list
    // rather than a panic across the WASM boundary.
    serde_json::from_str(DATA).unwrap_or_default()
}
