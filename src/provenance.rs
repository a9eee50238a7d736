//! Where a simulated behaviour comes from, so a trainee never mistakes an
//! assumption for documented behaviour (`SPEC.md`, "Every rule below is tagged").
//! A documented behaviour names its entry in `src/sources.md` (the vendor page and the
//! sentence it rests on), so a `doc` tag without a source cannot be written.

use serde::{Serialize, Serializer};

/// The source of a rule or a simulated step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Provenance {
    /// Stated by the vendor's documentation: the stable id of the entry in
    /// `src/sources.md` that quotes the sentence (`refer.aob-false`, `error.11205`, ...).
    Doc(&'static str),
    /// Required by a SIP RFC (3261, 3515, 4488, 5589, 7433, ...).
    Rfc,
    /// A gap in both that refer-sim filled; shown to users as an assumption.
    Assumed,
}

impl Provenance {
    /// The stable lowercase tag used in JSON and in the page: `doc`, `rfc`, `assumed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Doc(_) => "doc",
            Provenance::Rfc => "rfc",
            Provenance::Assumed => "assumed",
        }
    }

    /// The `src/sources.md` id behind a `doc` tag; `None` for `rfc` and `assumed`.
    pub fn source(self) -> Option<&'static str> {
        match self {
            Provenance::Doc(id) => Some(id),
            Provenance::Rfc | Provenance::Assumed => None,
        }
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Written as its tag alone (`"doc"`); the source travels in its own `source` field.
impl Serialize for Provenance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
