//! What a prepared scenario reads once for all its runs (`scenario::Prepared`): each TwiML
//! body its `app` answers with, parsed, and each party's address, read. A run looks a body
//! up here before it parses it, so the catalogue's runs parse no TwiML (parsing and dropping
//! those documents was a tenth of a run); a body the run did not know (a handler's answer)
//! is parsed as before, by the same function, so both give the same steps. An address
//! (the caller's, each dialled party's) and its `undialable` verdicts are read the first
//! time a run needs them and kept for the next runs (reading them again was 8% of a run).

use super::address::Address;
use super::leg::SharedStr;
use super::step::SharedText;
use crate::sip::{parse_refer_to, ParseError};
use crate::twiml::check::{Noun, Undialable};
use crate::twiml::{self, Verb};
use std::sync::{Arc, Mutex, PoisonError};

/// The most addresses (and verdicts) one prepared scenario keeps (a handler could answer each
/// run with new ones); past it an address is read for the run that needs it and not kept.
const MAX_PARTIES: usize = 256;

/// A party's address (trimmed) as the engine reads it.
#[derive(Debug)]
pub(crate) struct Party {
    /// Its text (trimmed), transport and URI.
    pub address: Address,
}

impl Party {
    /// `text`, read.
    pub(crate) fn read(text: &str) -> Party {
        Party { address: Address::read(text) }
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
        let warnings = twiml::check::run_warnings(twiml, &p);
        let verbs = match (p.response, p.diagnostics.iter().find(|d| d.is_error())) {
            (Some(r), None) => Ok(r.children.into()),
            (_, Some(d)) => Err(Unrunnable::Error { message: d.message.clone(), line: d.line, column: d.column }),
            (None, None) => Err(Unrunnable::Empty),
        };
        Fetched { warnings, verbs }
    }
}

/// What the runs read so far (behind one lock: a `OnceLock` per entry made the WASM module
/// 2 kB larger).
#[derive(Debug, Default)]
struct Read {
    /// Each distinct body (up to the 64 kB a response may have), shared, and its reading once
    /// a run received it (a body no run requests is never parsed).
    bodies: Vec<(SharedText, Option<Arc<Fetched>>)>,
    /// Each address read so far.
    parties: Vec<Arc<Party>>,
    /// Each `undialable` verdict given so far, by noun and address.
    verdicts: Vec<(Noun, SharedStr, Option<Undialable>)>,
    /// Each Refer-To value checked so far, and whether it parses ([`parse_refer_to`]).
    refer_tos: Vec<(String, Result<(), ParseError>)>,
}

/// Everything read once for the runs of one prepared scenario, the first time a run needs it.
#[derive(Debug, Default)]
pub(crate) struct Known {
    read: Mutex<Read>,
}

impl Known {
    /// Knows `bodies` (each distinct one once), not parsed yet.
    pub(crate) fn new<'a>(bodies: impl IntoIterator<Item = &'a str>) -> Known {
        let mut read = Read::default();
        for body in bodies {
            if body.len() <= super::fetch::MAX_BODY_BYTES && !read.bodies.iter().any(|(b, _)| &**b == body) {
                read.bodies.push((body.into(), None));
            }
        }
        Known { read: Mutex::new(read) }
    }

    fn read(&self) -> std::sync::MutexGuard<'_, Read> {
        self.read.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The address `text` (trimmed), read once.
    pub(crate) fn party(&self, text: &str) -> Arc<Party> {
        let text = text.trim();
        let mut read = self.read();
        if let Some(party) = read.parties.iter().find(|p| p.address.text == text) {
            return party.clone();
        }
        let party = Arc::new(Party::read(text));
        if read.parties.len() < MAX_PARTIES {
            read.parties.push(party.clone());
        }
        party
    }

    /// Why `party` cannot be dialled as a `noun` ([`crate::twiml::check::undialable`]), if it cannot; given once.
    pub(crate) fn undialable(&self, noun: Noun, party: &Party) -> Option<Undialable> {
        let text = &party.address.text;
        let mut read = self.read();
        if let Some((_, _, verdict)) = read.verdicts.iter().find(|(n, t, _)| *n == noun && t == text) {
            return verdict.clone();
        }
        let verdict = party.address.undialable(noun);
        if read.verdicts.len() < MAX_PARTIES {
            read.verdicts.push((noun, text.clone(), verdict.clone()));
        }
        verdict
    }

    /// Whether the Refer-To value `raw` parses ([`parse_refer_to`], its error if not); checked once.
    pub(crate) fn refer_to(&self, raw: &str) -> Result<(), ParseError> {
        let mut read = self.read();
        if let Some((_, checked)) = read.refer_tos.iter().find(|(r, _)| r == raw) {
            return checked.clone();
        }
        let checked = parse_refer_to(raw).map(drop);
        if read.refer_tos.len() < MAX_PARTIES {
            read.refer_tos.push((raw.to_string(), checked.clone()));
        }
        checked
    }

    /// The known body equal to `text`, shared, and its reading (read now the first time).
    pub(crate) fn body(&self, text: &str) -> Option<(SharedText, Arc<Fetched>)> {
        let mut read = self.read();
        let (body, fetched) = read.bodies.iter_mut().find(|(body, _)| &**body == text)?;
        let fetched = fetched.get_or_insert_with(|| Arc::new(Fetched::read(body))).clone();
        Some((body.clone(), fetched))
    }
}

#[cfg(test)]
mod tests {
    use super::{Fetched, Known, Unrunnable, MAX_PARTIES};
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
            "sips:[::1]:5061",
            "",
        ] {
            let party = known.party(text);
            assert!(Arc::ptr_eq(&party, &known.party(text)) && Arc::ptr_eq(&party, &known.party(text.trim())), "{text}");
            let plain = super::Address::read(text);
            assert_eq!(party.address.text, text.trim());
            assert_eq!((party.address.transport, party.address.label("X")), (plain.transport, plain.label("X")), "{text}");
            for noun in [Noun::Sip, Noun::Number, Noun::Sip] {
                assert_eq!(known.undialable(noun, &party), undialable(noun, text), "{text}");
            }
        }
        let many = Known::default();
        let texts: Vec<String> = (0..=MAX_PARTIES).map(|i| format!("sip:agent{i}@example.com")).collect();
        for t in &texts {
            many.party(t);
        }
        assert!(!Arc::ptr_eq(&many.party(&texts[MAX_PARTIES]), &many.party(&texts[MAX_PARTIES])), "past the limit, not kept");
        assert!(Arc::ptr_eq(&many.party(&texts[0]), &many.party(&texts[0])));
        for t in &texts {
            assert_eq!(many.undialable(Noun::Sip, &many.party(t)), undialable(Noun::Sip, t), "{t}");
        }
        let read = many.read();
        assert_eq!((read.parties.len(), read.verdicts.len()), (MAX_PARTIES, MAX_PARTIES), "each kept up to the limit, then not");
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
        assert_eq!(known.read().bodies.len(), bodies.len(), "a repeated body is kept once");
        assert!(known.read().bodies.iter().all(|(_, f)| f.is_none()), "nothing is parsed before a run asks");
        for body in bodies {
            let (text, fetched) = known.body(body).expect("every body is known");
            assert_eq!(&*text, body);
            assert_eq!(*fetched, Fetched::read(body), "{body}");
            assert!(Arc::ptr_eq(&fetched, &known.body(body).unwrap().1), "read once");
        }
        assert!(known.body("<Response><Say>hi</Say></Response> ").is_none());
        let read = |i: usize| known.body(bodies[i]).map(|(_, f)| (*f).clone()).unwrap();
        assert_eq!(read(0).verbs.map(|v| v.len()), Ok(1));
        assert_eq!(read(2).warnings.len(), 2, "{:?}", read(2).warnings);
        assert!(matches!(read(3).verbs, Err(Unrunnable::Error { .. })));
        assert_eq!(read(5).verbs.map(|v| v.len()), Ok(0));
        let large = format!("<Response>{}</Response>", " ".repeat(super::super::fetch::MAX_BODY_BYTES));
        assert!(Known::new([large.as_str()]).body(&large).is_none(), "a body Twilio refuses is not read");
    }

    #[test]
    fn a_refer_to_is_checked_once_as_parse_refer_to_checks_it() {
        use crate::sip::parse_refer_to;
        let long = format!("<sip:{}@example.com>", "a".repeat(5000));
        let known = Known::default();
        for raw in ["<sip:AgentB@example.com>", " sip:AgentC@example.com ", "<sip:agentb@exa mple.com>", "", long.as_str()] {
            for _ in 0..2 {
                assert_eq!(known.refer_to(raw), parse_refer_to(raw).map(drop), "{raw}");
            }
        }
        assert!(known.refer_to("<sip:agentb@exa mple.com>").is_err() && known.refer_to("sip:a@b").is_ok());
        assert_eq!(known.read().refer_tos.len(), 6, "each value kept once");
        let many = Known::default();
        for i in 0..=MAX_PARTIES {
            assert_eq!(many.refer_to(&format!("sip:agent{i}@example.com")), Ok(()));
        }
        assert_eq!(many.read().refer_tos.len(), MAX_PARTIES, "kept up to the limit, then not");
    }
}
