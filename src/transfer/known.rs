//! What a prepared scenario reads once for all its runs (`scenario::Prepared`): each TwiML
//! body its `app` answers with, parsed. A run looks a body up here before it parses it, so
//! the catalogue's runs parse no TwiML (parsing and dropping those documents was a tenth
//! of a run); a body the run did not know (a handler's answer) is parsed as before, by the
//! same function, so both give the same steps.

use super::step::SharedText;
use super::text::cat;
use crate::twiml::{self, Verb};
use std::sync::{Arc, OnceLock};

/// A fetched TwiML document as the engine reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fetched {
    /// Its schema warnings (Twilio ignores them), `(code, "line L column C: message")`.
    pub warnings: Vec<(&'static str, String)>,
    /// Its verbs, or why it cannot run.
    pub verbs: Result<Arc<[Verb]>, Unrunnable>,
}

/// Why a fetched document cannot run (error 12100).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unrunnable {
    /// Its first error, and where.
    Error { message: String, line: usize, column: usize },
    /// It has no `<Response>`.
    Empty,
}

impl Fetched {
    /// Parses `twiml`.
    pub(crate) fn read(twiml: &str) -> Fetched {
        let p = twiml::parse(twiml);
        let warnings = p
            .diagnostics
            .iter()
            .filter(|d| twiml::diagnostic::is_schema_warning(d))
            .map(|d| (d.code, cat!("line ", d.line, " column ", d.column, ": ", d.message)))
            .collect();
        let verbs = match (p.response, p.diagnostics.iter().find(|d| d.is_error())) {
            (Some(r), None) => Ok(r.children.into()),
            (_, Some(d)) => Err(Unrunnable::Error { message: d.message.clone(), line: d.line, column: d.column }),
            (None, None) => Err(Unrunnable::Empty),
        };
        Fetched { warnings, verbs }
    }
}

/// Everything read once for the runs of one prepared scenario.
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// Each distinct body, shared, with its reading once a run asked for it (a body no run
    /// requests is never parsed: `simulate`, one run, parses what it did before).
    bodies: Vec<(SharedText, OnceLock<Arc<Fetched>>)>,
}

impl Known {
    /// Reads each of `bodies` once (a repeated body is read once; one past the 64 kB a
    /// response may have is not read: it is refused before it is parsed).
    pub(crate) fn new<'a>(bodies: impl IntoIterator<Item = &'a str>) -> Known {
        let mut known = Known::default();
        for body in bodies {
            if body.len() <= super::fetch::MAX_BODY_BYTES && !known.bodies.iter().any(|(b, _)| &**b == body) {
                known.bodies.push((body.into(), OnceLock::new()));
            }
        }
        known
    }

    /// The known body equal to `text`, shared, and its reading (read now the first time).
    pub(crate) fn body(&self, text: &str) -> Option<(&SharedText, &Arc<Fetched>)> {
        let (body, fetched) = self.bodies.iter().find(|(body, _)| &**body == text)?;
        Some((body, fetched.get_or_init(|| Arc::new(Fetched::read(body)))))
    }
}

#[cfg(test)]
mod tests {
    use super::{Fetched, Known, Unrunnable};

    #[test]
    fn a_known_body_is_read_as_a_new_one_is() {
        let bodies = [
            "<Response><Dial referUrl=\"/r\"><Sip>sip:AgentB@example.com</Sip></Dial></Response>",
            "<Response><Say>hi</Say></Response>",
            "<Response><Dial referURL=\"/r\" timeout=\"abc\"><Number>+14155550100</Number></Dial></Response>",
            "<Response><Say>unclosed</Response>",
            "",
            "<Response/>",
        ];
        let known = Known::new(bodies.iter().copied().chain(bodies.iter().copied()));
        assert_eq!(known.bodies.len(), bodies.len(), "a repeated body is read once");
        assert!(known.bodies.iter().all(|(_, f)| f.get().is_none()), "nothing is parsed before a run asks");
        for body in bodies {
            let (text, fetched) = known.body(body).expect("every body was read");
            assert_eq!(&**text, body);
            assert_eq!(**fetched, Fetched::read(body), "{body}");
        }
        assert!(known.body("<Response><Say>hi</Say></Response> ").is_none());
        let large = format!("<Response>{}</Response>", " ".repeat(super::super::fetch::MAX_BODY_BYTES));
        assert!(Known::new([large.as_str()]).body(&large).is_none(), "a body Twilio refuses is not read");
        let read = |i: usize| known.body(bodies[i]).map(|(_, f)| (**f).clone()).unwrap();
        assert_eq!(read(0).verbs.map(|v| v.len()), Ok(1));
        assert_eq!(read(2).warnings.len(), 2, "{:?}", read(2).warnings);
        assert!(matches!(read(3).verbs, Err(Unrunnable::Error { .. })));
        assert_eq!(read(5).verbs.map(|v| v.len()), Ok(0));
    }
}
