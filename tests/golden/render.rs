//! Renders a catalogue timeline as the text kept in `tests/golden/<id>.txt`:
//! read top to bottom by a person, compared byte for byte by `tests/it/golden.rs`.
//!
//! The text is lossless for everything a step carries: SIP texts are indented
//! blocks split at CRLF (a stray `\r` or `\n` is shown escaped, a text that does
//! not end in CRLF says so), webhook parameters one a line beside the exact
//! form body or query URL, the application's answer as a block, and each leg
//! printed in full when it first appears, then again only at the steps where
//! something about it changes; then the outcome, the explanation and any warnings.

use std::fmt::Write;

use refer_sim::scenario::catalogue::Entry;
use refer_sim::transfer::{Leg, LegReplay, Outcome, SipMessage, Step, Timeline, WebhookRequest, WebhookResponse};

/// Indentation of a step's details under its heading.
const IN: &str = "    ";
/// Prefix of a verbatim line (SIP text, form body, TwiML).
const BAR: &str = "        | ";

/// The golden text of `entry`'s timeline.
pub fn render(entry: &Entry, timeline: &Timeline) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Golden timeline of the catalogue scenario `{}`.", entry.id);
    out.push_str("# Written by `make golden` (GOLDEN_UPDATE=1 cargo test --test it golden::); review its diff.\n");
    let _ = writeln!(out, "title: {}", entry.title);
    let _ = writeln!(out, "group: {}", entry.group);
    let _ = writeln!(out, "description: {}", entry.description);
    out.push_str("scenario:\n");
    let json = serde_json::to_string_pretty(&entry.scenario).unwrap_or_else(|e| format!("(not serializable: {e})"));
    verbatim(&mut out, &json);
    let _ = writeln!(out, "steps: {}", timeline.steps.len());
    // Each step records only the legs it changed; the replay gives every leg after it,
    // and the text then names what differs from the step before (as it always did).
    let mut replay = LegReplay::new();
    let mut previous: Vec<Leg> = Vec::new();
    for (i, step) in timeline.steps.iter().enumerate() {
        let legs = replay.apply(step);
        step_text(&mut out, i + 1, step, legs, &previous);
        previous = legs.to_vec();
    }
    outcome_text(&mut out, &timeline.outcome);
    out.push_str("\n== explanation\n");
    verbatim(&mut out, &serde_json::to_string_pretty(&timeline.explanation).unwrap_or_default());
    if !timeline.warnings.is_empty() {
        out.push_str("\n== warnings\n");
        verbatim(&mut out, &serde_json::to_string_pretty(&timeline.warnings).unwrap_or_default());
    }
    out
}

fn step_text(out: &mut String, n: usize, step: &Step, legs: &[Leg], previous: &[Leg]) {
    let source = step.source.map_or(String::new(), |id| format!(" {id}"));
    let _ = writeln!(out, "\n== {n}. at {} ms · {} · [{}{source}]", step.at_ms, to_str(&step.kind), step.tag);
    let _ = writeln!(out, "{IN}{}", step.narration);
    for m in &step.messages {
        message_text(out, m);
    }
    if let Some(w) = &step.webhook {
        request_text(out, w);
    }
    if let Some(r) = &step.response {
        response_text(out, r);
    }
    for a in &step.alerts {
        let code = a.code.map_or("(no code)".to_string(), |c| c.to_string());
        let _ = writeln!(out, "{IN}alert {code}: {}", a.message);
    }
    legs_text(out, legs, previous);
}

fn message_text(out: &mut String, m: &SipMessage) {
    let (first_line, text) = (m.first_line(), m.text());
    let _ = writeln!(out, "{IN}sip {} -> {}: {first_line}", m.from, m.to);
    let first = text.split("\r\n").next().unwrap_or_default();
    if first != first_line {
        let _ = writeln!(out, "{IN}  (the text's first line differs: {first:?})");
    }
    // The typed parts the page reads must say what the text says.
    let start = match (m.method(), m.status(), m.reason()) {
        (Some(method), None, None) => first_line.starts_with(&format!("{method} ")),
        (None, Some(code), Some(reason)) => first_line == format!("SIP/2.0 {code} {reason}"),
        _ => false,
    };
    let mut rebuilt = format!("{first_line}\r\n");
    for (name, value) in m.headers() {
        let _ = write!(rebuilt, "{name}: {value}\r\n");
    }
    rebuilt.push_str("\r\n");
    rebuilt.push_str(m.body().map_or("", |b| b.text));
    let typed = m.body().map(|b| b.content_type);
    if !start || rebuilt != text || typed != m.header("Content-Type") {
        let _ = writeln!(
            out,
            "{IN}  (the typed parts differ from the text: {:?} {:?} {:?} {:?})",
            m.method(),
            m.status(),
            m.headers().collect::<Vec<_>>(),
            m.body()
        );
    }
    let body = text.strip_suffix("\r\n");
    for line in body.unwrap_or(text).split("\r\n") {
        let _ = writeln!(out, "{BAR}{}", escape(line));
    }
    if body.is_none() {
        let _ = writeln!(out, "{IN}  (no CRLF after the last line)");
    }
}

fn request_text(out: &mut String, w: &WebhookRequest) {
    let _ = writeln!(out, "{IN}request {} {} ({})", w.method, w.url, w.purpose);
    for (k, v) in &w.params {
        let _ = writeln!(out, "{IN}  {k} = {}", escape(v));
    }
    if let Some(body) = &w.body {
        let _ = writeln!(out, "{IN}  form body:");
        verbatim(out, body);
    }
    if let Some(url) = &w.query_url {
        let _ = writeln!(out, "{IN}  query url:");
        verbatim(out, url);
    }
}

fn response_text(out: &mut String, r: &WebhookResponse) {
    let status = r.status.map_or("no HTTP status (unreachable)".to_string(), |s| format!("HTTP {s}"));
    let _ = writeln!(out, "{IN}response from {}: {status}", r.url);
    if let Some(body) = &r.body {
        verbatim(out, body);
    }
}

/// Every leg that is new or changed since the previous step; a leg that disappears is named too.
fn legs_text(out: &mut String, legs: &[Leg], previous: &[Leg]) {
    let ids: Vec<_> = legs.iter().map(|l| &l.id).collect();
    let before: Vec<_> = previous.iter().map(|l| &l.id).collect();
    let reordered = !ids.starts_with(&before);
    if reordered {
        let names: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        let _ = writeln!(out, "{IN}legs now, in this order: {}", names.join(", "));
    }
    for leg in legs {
        match previous.iter().find(|p| p.id == leg.id) {
            Some(p) if p == leg => {}
            Some(p) if same_party(p, leg) => {
                let _ = writeln!(out, "{IN}leg {}: {}", leg.id, state(leg));
            }
            _ => {
                let _ = writeln!(
                    out,
                    "{IN}leg {} ({}, {}, {} {}): {}",
                    leg.id,
                    leg.label,
                    to_str(&leg.role),
                    to_str(&leg.transport),
                    leg.party,
                    state(leg)
                );
            }
        }
    }
    for gone in previous.iter().filter(|p| !legs.iter().any(|l| l.id == p.id)) {
        let _ = writeln!(out, "{IN}leg {}: gone from the snapshot", gone.id);
    }
}

fn same_party(a: &Leg, b: &Leg) -> bool {
    a.role == b.role && a.label == b.label && a.party == b.party && a.transport == b.transport
}

fn state(leg: &Leg) -> String {
    let bridged = leg.bridged_with.as_ref().map_or("not bridged".to_string(), |b| format!("bridged with {b}"));
    let hold = if leg.on_hold { ", on hold" } else { "" };
    format!("{}, {bridged}{hold}, hears {}", leg.status.as_str(), leg.hearing)
}

fn outcome_text(out: &mut String, o: &Outcome) {
    out.push_str("\n== outcome\n");
    let pairs: Vec<String> = o.connected.iter().map(|(a, b)| format!("{a} <-> {b}")).collect();
    let _ = writeln!(out, "{IN}connected: {}", if pairs.is_empty() { "nobody".to_string() } else { pairs.join(", ") });
    for (id, status) in &o.legs {
        let _ = writeln!(out, "{IN}leg {id}: {}", status.as_str());
    }
    for a in &o.alerts {
        let code = a.code.map_or("(no code)".to_string(), |c| c.to_string());
        let _ = writeln!(out, "{IN}alert {code}: {}", a.message);
    }
    let _ = writeln!(out, "{IN}summary: {}", o.summary);
}

/// A multi-line value as `| ` lines; a value without a final newline is the common case.
fn verbatim(out: &mut String, text: &str) {
    for line in text.split('\n') {
        let _ = writeln!(out, "{BAR}{}", escape(line));
    }
}

/// Control characters and trailing spaces made visible, so a diff never hides them.
fn escape(line: &str) -> String {
    let mut s: String = line
        .chars()
        .map(|c| match c {
            '\r' => "\\r".to_string(),
            '\n' => "\\n".to_string(),
            '\t' => "\\t".to_string(),
            c if c.is_control() => format!("\\u{{{:04x}}}", c as u32),
            c => c.to_string(),
        })
        .collect();
    if s.ends_with(' ') {
        s.push('⏎');
    }
    s
}

fn to_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
