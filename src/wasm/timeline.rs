//! A whole [`Timeline`] in the compact format's timeline layout, read by `pkg/decode.js`'s
//! `decodeTimeline` into the same plain objects `decode` makes of the [`Serialize`] form
//! (same keys in the same order, same values). A timeline is most of what crosses the
//! boundary, so its steps, SIP messages and legs are written field by field in a fixed
//! order, without keys, and so are the rest of a timeline: webhooks, responses, alerts,
//! the outcome, the explanation and the warnings (each read by a JS object literal, whose
//! keys come in the order serde writes them).
//!
//! Short texts that repeat (step kinds, tags, sources, leg ids, labels and addresses,
//! statuses, header names) are *names*: the key table's tokens (`1 len text` appended to
//! it, `2 + i` its entry `i`), so each crosses once per call and the decoder makes one JS
//! string of it. A name is found by the address of its text: `'static` texts, and
//! [`SharedStr`]s, whose copies share one text. Only one call's table holds them (never
//! the parsers' kept table, which outlives the texts).
//!
//! A SIP message's `text` is its start line, headers and body in that order, by construction
//! (`sip::message::Message` writes the text and keeps where its parts lie): the first line and
//! the header values are written as their lengths and sliced from the text in JS; the body is
//! the rest of the text.
//!
//! ```text
//! timeline = outcome explanation n warning{n} steps              ; steps last: the package may read them later
//! head     = id n(steps) outcome explanation n warning{n}       ; a kept run's (the steps later, alone)
//! steps    = n step{n}                                          ; also alone (Simulation.steps, step)
//! legs     = n leg{n}                                           ; alone (Simulation.snapshot)
//! step     = atMs name(kind) text(narration) name(tag) nullable(source) n message{n}
//!            webhook response n alert{n} n leg{n}
//! webhook  = 0 (null) | 1 name(method) text(url) name(purpose) n (text(name) text(value)){n}
//!            opt(body) opt(queryUrl)
//! response = 0 (null) | 1 text(url) opt(status) answer typed
//! answer   = 0 (body null) | 1 n (sameBodyAs n) | 2 + n chars (body, a text of n units)
//! typed    = 0 (no contentType, no media) | 1 + media opt(contentType) ; media: 0 twiml 1 audio 2 text 3 refused
//! alert    = opt(code) text(message)
//! outcome  = n (name name){n} (connected) n (name(leg) name(status)){n} (legs) n alert{n} text(summary)
//! explanation = text(cause) opt(fix)
//! warning  = name(code) text(field) text(message)
//! message  = name(from) name(to) text(text) units(firstLine) opt(method) opt(status)
//!            opt(reason) n (name(header) units(value)){n} body   ; units: a slice of `text`
//! body     = 0 | 1 text(contentType)                             ; its text: the rest of `text`
//! leg      = name(id) name(role) name(label) name(party) name(transport) name(status)
//!            nullable(bridgedWith) bool(onHold) hearing
//! hearing  = name | 0 text
//! nullable = 0 (null) | name
//! opt      = 0 (null) | 1 + n (n, or a text of n units)
//! text     = units chars
//! ```

use serde::Serialize;

use super::compact::{write_with, KeyWriter, Res, Writer};
use crate::compact_format::units;
use crate::scenario::{Explanation, ScenarioWarning};
use crate::transfer::{Alert, Hearing, Leg, Outcome, SipMessage, Step, Timeline, WebhookRequest, WebhookResponse};

/// `timeline` in the timeline layout (see the module docs), appended to `out` (cleared first).
pub(crate) fn write_timeline(timeline: &Timeline, out: &mut String) -> Res {
    write_with(None, out, &mut |w| w.timeline(timeline))
}

/// A kept run's head (see the module docs): its `id` in the module's ring of kept timelines,
/// the number of its steps, then the timeline without them, into `out` (cleared first).
pub(crate) fn write_head(id: u32, timeline: &Timeline, out: &mut String) -> Res {
    write_with(None, out, &mut |w| {
        w.num(u64::from(id));
        w.num(timeline.steps.len() as u64);
        w.outcome(&timeline.outcome);
        w.explanation(&timeline.explanation);
        w.warnings(&timeline.warnings);
        Ok(())
    })
}

/// `steps` as the layout's `n step{n}` (`Simulation.step`, `steps`), into `out` (cleared first).
pub(crate) fn write_steps(steps: &[Step], out: &mut String) -> Res {
    write_with(None, out, &mut |w| w.steps(steps))
}

/// `legs` as `n leg{n}` (`Simulation.snapshot`), into `out` (cleared first).
pub(crate) fn write_legs(legs: &[Leg], out: &mut String) -> Res {
    write_with(None, out, &mut |w| {
        w.num(legs.len() as u64);
        legs.iter().try_for_each(|leg| w.leg(leg))
    })
}

impl Writer<'_> {
    fn timeline(&mut self, t: &Timeline) -> Res {
        // The steps last: `simulate`'s entry decodes what comes before them at once and the
        // steps on their first read (pkg/index.js), from the key table as it stood there.
        self.outcome(&t.outcome);
        self.explanation(&t.explanation);
        self.warnings(&t.warnings);
        self.steps(&t.steps)
    }

    fn outcome(&mut self, o: &Outcome) {
        self.num(o.connected.len() as u64);
        for (a, b) in &o.connected {
            self.shared_key(a.as_str());
            self.shared_key(b.as_str());
        }
        self.num(o.legs.len() as u64);
        for (id, status) in &o.legs {
            self.shared_key(id.as_str());
            self.static_key(status.as_str());
        }
        self.alerts(&o.alerts);
        self.text(&o.summary);
    }

    fn explanation(&mut self, e: &Explanation) {
        self.text(&e.cause);
        self.opt_text(e.fix.as_deref());
    }

    fn warnings(&mut self, warnings: &[ScenarioWarning]) {
        self.num(warnings.len() as u64);
        for w in warnings {
            self.static_key(w.code);
            self.text(&w.field);
            self.text(&w.message);
        }
    }

    fn alerts(&mut self, alerts: &[Alert]) {
        self.num(alerts.len() as u64);
        for a in alerts {
            self.num(a.code.map_or(0, |c| u64::from(c) + 1));
            self.text(&a.message);
        }
    }

    fn webhook(&mut self, w: Option<&WebhookRequest>) {
        let Some(w) = w else { return self.num(0) };
        self.num(1);
        self.shared_key(w.method);
        self.text(&w.url);
        self.shared_key(w.purpose);
        self.num(w.params.len() as u64);
        for (name, value) in &w.params {
            self.text(name);
            self.text(value);
        }
        self.opt_text(w.body.as_deref());
        self.opt_text(w.query_url.as_deref());
    }

    fn response(&mut self, r: Option<&WebhookResponse>) {
        let Some(r) = r else { return self.num(0) };
        self.num(1);
        self.text(&r.url);
        self.num(r.status.map_or(0, |s| u64::from(s) + 1));
        match (r.same_body_as, r.body.as_deref()) {
            (Some(index), _) => {
                self.num(1);
                self.num(index as u64);
            }
            (None, Some(body)) => {
                self.num(units(body) + 2);
                self.out.push_str(body);
            }
            (None, None) => self.num(0),
        }
        match &r.typed {
            Some(t) => {
                self.num(1 + t.media as u64);
                self.opt_text(t.content_type.as_deref());
            }
            None => self.num(0),
        }
    }

    fn steps(&mut self, steps: &[Step]) -> Res {
        self.num(steps.len() as u64);
        steps.iter().try_for_each(|step| self.step(step))
    }

    fn step(&mut self, s: &Step) -> Res {
        self.num(s.at_ms);
        s.kind.serialize(KeyWriter(&mut *self))?;
        self.text(&s.narration);
        self.static_key(s.tag.as_str());
        match s.source {
            Some(source) => self.static_key(source),
            None => self.num(0),
        }
        self.num(s.messages.len() as u64);
        for m in &s.messages {
            self.message(m)?;
        }
        self.webhook(s.webhook.as_deref());
        self.response(s.response.as_ref());
        self.alerts(&s.alerts);
        self.num(s.changed_legs.len() as u64);
        for leg in &s.changed_legs {
            self.leg(leg)?;
        }
        Ok(())
    }

    fn message(&mut self, m: &SipMessage) -> Res {
        // A message's text is its first line, headers and body in that order, by construction
        // (`sip::message::Message` writes the text and keeps where its parts lie), so its first
        // line, header values and body are sent as lengths and sliced from the text in JS.
        self.shared_key(&m.from);
        self.shared_key(&m.to);
        // The text read once for its length in UTF-16 units: when it is ASCII, so are its slices.
        let text = m.text();
        let ascii = text.is_ascii();
        self.num(if ascii { text.len() as u64 } else { units(text) });
        self.out.push_str(text);
        self.slice(ascii, m.first_line());
        self.opt_text(m.method());
        self.num(m.status().map_or(0, |s| u64::from(s) + 1));
        self.opt_text(m.reason());
        self.num(m.headers().len() as u64);
        for (name, value) in m.headers() {
            // refer-sim's own names are `'static` (one table entry each); a party's X- header
            // names lie in the message's text, which lives until the timeline is written.
            self.shared_key(name);
            self.slice(ascii, value);
        }
        match m.body() {
            Some(body) => {
                self.num(1);
                self.text(body.content_type);
            }
            None => self.num(0),
        }
        Ok(())
    }

    /// The length in UTF-16 units of a part of a SIP message's text (of an ASCII text, or not).
    fn slice(&mut self, ascii: bool, part: &str) {
        self.num(if ascii { part.len() as u64 } else { units(part) });
    }

    fn leg(&mut self, leg: &Leg) -> Res {
        self.shared_key(leg.id.as_str());
        leg.role.serialize(KeyWriter(&mut *self))?;
        self.shared_key(&leg.label);
        self.shared_key(&leg.party);
        leg.transport.serialize(KeyWriter(&mut *self))?;
        self.static_key(leg.status.as_str());
        match &leg.bridged_with {
            Some(id) => self.shared_key(id.as_str()),
            None => self.num(0),
        }
        self.num(u64::from(leg.on_hold));
        match &leg.hearing {
            Hearing::Party(label) => self.shared_key(label),
            other => match hearing_name(other) {
                Some(name) => self.static_key(name),
                None => {
                    self.num(0);
                    self.text(&other.to_string());
                }
            },
        }
        Ok(())
    }

    /// `null` (0) or a text of `n` units as `1 + n` and the text.
    fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.num(units(s) + 1);
                self.out.push_str(s);
            }
            None => self.num(0),
        }
    }
}

/// What a hearing without a text of its own is written as (its `Display`).
fn hearing_name(h: &Hearing) -> Option<&'static str> {
    match h {
        Hearing::Silence => Some("silence"),
        Hearing::Ringback => Some("ringback"),
        Hearing::HoldMusic => Some("hold music"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hearing_names_are_their_display() {
        for h in [Hearing::Silence, Hearing::Ringback, Hearing::HoldMusic] {
            assert_eq!(hearing_name(&h), Some(h.to_string().as_str()));
        }
        assert_eq!(hearing_name(&Hearing::Say("hi".into())), None);
    }
}
