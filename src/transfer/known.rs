//! What a prepared scenario reads once for all its runs (`scenario::Prepared`): each TwiML
//! body its `app` answers with, parsed, and each party's address, read. A run looks a body
//! up here before it parses it, so the catalogue's runs parse no TwiML (parsing and dropping
//! those documents was a tenth of a run); a body the run did not know (a handler's answer)
//! is parsed as before, by the same function, so both give the same steps. An address
//! (the caller's, each dialled party's) is read the first time a run needs it and kept for
//! the next runs (reading them again was 8% of a run).

use super::address::Address;
use super::leg::SharedStr;
use super::step::SharedText;
use super::text::cat;
use crate::sip::message::{Dialog, KnownHost};
use crate::twiml::check::{undialable, Noun, Undialable};
use crate::twiml::{self, Verb};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The most addresses one prepared scenario keeps (a handler could answer each run with
/// new ones); past it an address is read for the run that needs it and not kept.
const MAX_PARTIES: usize = 256;

/// A party's address (trimmed) as the engine reads it, each part read the first time it is asked for.
#[derive(Debug)]
pub(crate) struct Party {
    /// Its text (trimmed), transport and URI.
    pub address: Address,
    at_twilio: OnceLock<SharedStr>,
    via_host: OnceLock<String>,
    sip: OnceLock<Option<Undialable>>,
    number: OnceLock<Option<Undialable>>,
}

impl KnownHost for Party {
    fn uri(&self) -> &str {
        &self.address.text
    }
    fn host(&self) -> &str {
        self.via_host.get_or_init(|| Dialog::host_of(&self.address.text))
    }
}

impl Party {
    /// `text`, read.
    pub(crate) fn new(text: &str) -> Party {
        Party {
            address: Address::read(text),
            at_twilio: OnceLock::new(),
            via_host: OnceLock::new(),
            sip: OnceLock::new(),
            number: OnceLock::new(),
        }
    }

    /// [`Address::at_twilio`].
    pub(crate) fn at_twilio(&self) -> &SharedStr {
        self.at_twilio.get_or_init(|| self.address.at_twilio().into())
    }

    /// Why the address cannot be dialled as a `noun` ([`undialable`]), if it cannot.
    pub(crate) fn undialable(&self, noun: Noun) -> Option<&Undialable> {
        let cell = match noun {
            Noun::Sip => &self.sip,
            Noun::Number => &self.number,
        };
        cell.get_or_init(|| undialable(noun, &self.address.text)).as_ref()
    }
}

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
    /// Each address read so far, by its trimmed text.
    parties: Mutex<Vec<Arc<Party>>>,
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

    /// The address `text` (trimmed), read once; its Via sent-by is read when a dialog first needs it.
    pub(crate) fn party(&self, text: &str) -> Arc<Party> {
        let text = text.trim();
        let mut parties = self.parties.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(party) = parties.iter().find(|p| p.address.text == text) {
            return party.clone();
        }
        let party = Arc::new(Party::new(text));
        if parties.len() < MAX_PARTIES {
            parties.push(party.clone());
        }
        party
    }

    /// The known body equal to `text`, shared, and its reading (read now the first time).
    pub(crate) fn body(&self, text: &str) -> Option<(&SharedText, &Arc<Fetched>)> {
        let (body, fetched) = self.bodies.iter().find(|(body, _)| &**body == text)?;
        Some((body, fetched.get_or_init(|| Arc::new(Fetched::read(body)))))
    }
}

#[cfg(test)]
mod tests {
    use super::{Fetched, Known, KnownHost, Unrunnable, MAX_PARTIES};
    use crate::sip::message::{Dialog, Side};
    use crate::twiml::check::{undialable, Noun};
    use std::sync::Arc;

    #[test]
    fn a_known_address_is_read_as_a_new_one_is() {
        let known = Known::default();
        for text in [
            " sip:AgentB@example.com:5061 ",
            "sip:AgentB@example.com",
            "<sip:AgentB@example.com>",
            "+14155550100",
            "client:alice",
            "sip:bad user@example.com",
            "",
        ] {
            let party = known.party(text);
            assert!(Arc::ptr_eq(&party, &known.party(text)) && Arc::ptr_eq(&party, &known.party(text.trim())), "{text}");
            let fresh = super::Address::read(text);
            assert_eq!(party.address.text, text.trim());
            assert_eq!((party.address.transport, party.address.label("X")), (fresh.transport, fresh.label("X")), "{text}");
            assert_eq!(party.at_twilio().as_str(), fresh.at_twilio(), "{text}");
            assert_eq!(party.host(), Dialog::host_of(text.trim()), "{text}");
            for noun in [Noun::Sip, Noun::Number] {
                assert_eq!(party.undialable(noun), undialable(noun, text).as_ref(), "{text}");
            }
            // A dialog that reads its party's sent-by through the known address writes the same messages.
            let dialog = || Dialog::new("target", "sip:UserA@refer-sim.sip.twilio.com", text.trim(), true);
            let (mut plain, mut shared) = (dialog(), dialog().with_known_host(party.clone()));
            for side in [Side::Party, Side::Twilio, Side::Party] {
                assert_eq!(plain.request(side, "BYE", &[], None), shared.request(side, "BYE", &[], None), "{text}");
            }
        }
        let many = Known::default();
        let texts: Vec<String> = (0..=MAX_PARTIES).map(|i| format!("sip:agent{i}@example.com")).collect();
        for t in &texts {
            many.party(t);
        }
        assert!(!Arc::ptr_eq(&many.party(&texts[MAX_PARTIES]), &many.party(&texts[MAX_PARTIES])), "past the limit, not kept");
        assert!(Arc::ptr_eq(&many.party(&texts[0]), &many.party(&texts[0])));
    }

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
