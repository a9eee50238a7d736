//! The built-in catalogue: every cell of the vendor's outcome table, each
//! precondition failure, and the variations trainers ask about, titled in the
//! documentation's words. The scenarios are data, in `catalogue.json`, one
//! per line; defaults are left out.

use serde::Serialize;

use super::input::read::{custom, unknown, Json, Res};
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
        const FIELDS: &[&str] = &["id", "group", "title", "description", "scenario"];
        let (mut id, mut group, mut title, mut description, mut scenario) = (None, None, None, None, None);
        j.object("struct Entry", FIELDS, &mut |j, key| {
            let slot = match key.as_str() {
                "id" => &mut id,
                "group" => &mut group,
                "title" => &mut title,
                "description" => &mut description,
                "scenario" => {
                    j.colon()?;
                    scenario = Some(Scenario::read(j)?);
                    return Ok(());
                }
                _ => return Err(custom(unknown("field", &key, FIELDS))),
            };
            j.colon()?;
            *slot = Some(j.string()?);
            Ok(())
        })?;
        let missing = || j.fix(custom("missing field".to_string()));
        Ok(Entry {
            id: id.ok_or_else(missing)?,
            group: group.ok_or_else(missing)?,
            title: title.ok_or_else(missing)?,
            description: description.ok_or_else(missing)?,
            scenario: scenario.ok_or_else(missing)?,
        })
    }
}
