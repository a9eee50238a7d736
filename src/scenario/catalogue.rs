//! The built-in catalogue: every cell of the vendor's outcome table, each
//! precondition failure, and the variations trainers ask about, titled in the
//! documentation's words. The scenarios are data, in `catalogue.json`, one
//! per line; defaults are left out.

use serde::Serialize;

use super::input::read::{custom, Json, Res};
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// The codes of the [`ScenarioWarning`](crate::scenario::ScenarioWarning)s this scenario is
    /// meant to show (`slow_app` in a scenario about Twilio's webhook timeout), in the order
    /// its run gives them; empty for most. Every other warning in a catalogue run is a defect
    /// of the catalogue (`tests/it/scenarios.rs`). Not part of the JS result.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

const DATA: &str = include_str!("catalogue.json");

/// The whole catalogue, in display order.
pub fn catalogue() -> Vec<Entry> {
    // The data is checked by the tests; a broken file is a build defect, reported as an empty list
    // rather than a panic across the WASM boundary.
    let mut j = Json::new(DATA);
    let mut all = Vec::new();
    match j.array(&mut |j| Entry::read(j).map(|e| all.push(e))).and_then(|()| j.end()) {
        Ok(()) => all,
        Err(_) => Vec::new(),
    }
}

impl Entry {
    fn read(j: &mut Json) -> Res<Entry> {
        let (mut id, mut group, mut title, mut description, mut scenario) = Default::default();
        let mut warnings = Vec::new();
        let fields = ["id", "group", "title", "description", "scenario", "warnings"];
        // `warnings` is optional: the first five are required.
        j.record("struct Entry", &fields, 0b11111, &mut |j, i| {
            match i {
                0 => id = j.string()?,
                1 => group = j.string()?,
                2 => title = j.string()?,
                3 => description = j.string()?,
                4 => scenario = Some(Scenario::read(j)?),
                _ => j.array(&mut |j| j.string().map(|w| warnings.push(w)))?,
            }
            Ok(())
        })?;
        // Required above: a missing member is an error, so `scenario` is set.
        let scenario = scenario.ok_or_else(|| custom("missing field `scenario`".to_string()))?;
        Ok(Entry { id, group, title, description, scenario, warnings })
    }
}
