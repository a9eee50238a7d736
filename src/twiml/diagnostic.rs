//! Diagnostics of the TwiML parser and of the transfer checks: a stable
//! snake_case `code`, a severity, a human message, a byte span resolved to a
//! line and column, the element it concerns, and the provenance of the rule.

use serde::Serialize;

use crate::provenance::Provenance;
use crate::span::{LineIndex, Span};

/// How serious a diagnostic is. Vendor leniency is a warning, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The document is rejected or the transfer will fail.
    Error,
    /// Accepted, but likely not what the author meant (the vendor's 12200 schema warnings).
    Warning,
    /// Explains what will happen; nothing is wrong.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Writes `provenance` and `source` side by side (the diagnostic stays one word smaller
/// than with a stored copy of the source).
fn provenance_and_source<S: serde::Serializer>(p: &Provenance, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("provenance", p)?;
    map.serialize_entry("source", &p.source())?;
    map.end()
}

/// One finding about a TwiML document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable snake_case identifier (`xml_malformed`, `unknown_attribute`, `no_refer_url`, ...).
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// A sentence for a person.
    pub message: String,
    /// The bytes concerned.
    pub span: Span,
    /// 1-based line of `span.start` (filled by [`Diagnostic::locate`]).
    pub line: usize,
    /// 1-based column of `span.start`, in Unicode scalar values.
    pub column: usize,
    /// The element the finding concerns, when there is one.
    pub tag: Option<String>,
    /// Where the rule comes from; in JSON also `source`, the id of a `doc` rule's entry in
    /// `src/sources.md` (page and sentence), `null` otherwise (see [`Provenance::source`]).
    #[serde(flatten, serialize_with = "provenance_and_source")]
    pub provenance: Provenance,
    /// The vendor's error or alert code, when the rule has one (13802, 21227, ...).
    pub vendor_code: Option<u32>,
}

/// A diagnostic Twilio reports as a schema warning while it still runs the document: an
/// attribute it does not document (12200), a value its schema refuses (12200; 13212 for a
/// `<Dial>` timeout), an element it does not expect where it is (12200: an unknown element
/// such as `<dial>`, a verb nested in another, a `<Dial>` noun outside `<Dial>`, each skipped by
/// the run); and a `<Dial>` timeout the runtime clamps (`timeout_clamped`, a value the run does
/// not use as written). The simulator's run lists them as scenario warnings.
pub fn is_schema_warning(d: &Diagnostic) -> bool {
    d.severity == Severity::Warning
        && matches!(
            d.code,
            "unknown_attribute"
                | "bad_enum"
                | "not_a_number"
                | "timeout_clamped"
                | "unknown_element"
                | "misplaced_verb"
                | "noun_outside_dial"
        )
}

impl Diagnostic {
    /// A diagnostic at `span`; its line and column are 1:1 until [`Diagnostic::locate`] runs.
    pub fn new(code: &'static str, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span,
            line: 1,
            column: 1,
            tag: None,
            provenance: Provenance::Assumed,
            vendor_code: None,
        }
    }

    /// Set the element name.
    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// Set the provenance.
    pub fn with_provenance(mut self, provenance: Provenance) -> Self {
        self.provenance = provenance;
        self
    }

    /// Set the vendor's error or alert code.
    pub fn with_vendor_code(mut self, code: u32) -> Self {
        self.vendor_code = Some(code);
        self
    }

    /// Fill `line` and `column` from `span.start`.
    pub fn locate(&mut self, index: &LineIndex<'_>) {
        let p = index.position(self.span.start);
        self.line = p.line;
        self.column = p.column;
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
