//! Where a simulated behaviour comes from, so a trainee never mistakes an
//! assumption for documented behaviour (`SPEC.md`, "Every rule below is tagged").

use serde::Serialize;

/// The source of a rule or a simulated step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Provenance {
    /// Stated by the vendor's documentation.
    Doc,
    /// Required by a SIP RFC (3261, 3515, 4488, 5589, 7433, ...).
    Rfc,
    /// A gap in both that refer-sim filled; shown to users as an assumption.
    Assumed,
}

impl Provenance {
    /// The stable lowercase tag used in JSON and in the page: `doc`, `rfc`, `assumed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Doc => "doc",
            Provenance::Rfc => "rfc",
            Provenance::Assumed => "assumed",
        }
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
