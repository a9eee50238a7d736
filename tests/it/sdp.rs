//! Round 13, new-user findings F1 and F2: every SDP body is valid (RFC 8866 §5: `v= o= s= c= t= m=`
//! in that order), each party's `o=` version rises with each body it sends in a dialog, its
//! address and port stay the same, and every offer in an INVITE is answered in the 2xx (RFC 3261
//! §13.3.1.4, RFC 3264 §6.1). Checked over every message of every catalogue scenario.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::HashMap;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::simulate;
use refer_sim::transfer::SipMessage;

/// The parts of a body `check_lines` accepted: `(session id, version, address, port, direction)`.
type Sdp = (String, u64, String, String, String);

/// The body's lines, checked against the one shape refer-sim writes; `Err` names what is wrong.
fn check_lines(body: &str) -> Result<Sdp, String> {
    let Some(body) = body.strip_suffix("\r\n") else { return Err("the last line does not end in CRLF".into()) };
    let lines: Vec<&str> = body.split("\r\n").collect();
    let types: Vec<&str> = lines.iter().map(|l| l.get(..2).unwrap_or(l)).collect();
    if types != ["v=", "o=", "s=", "c=", "t=", "m=", "a="] {
        return Err(format!("lines {types:?}, not v o s c t m a"));
    }
    let o: Vec<&str> = lines[1][2..].split(' ').collect();
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if o.len() != 6 || o[0] != "-" || !numeric(o[1]) || !numeric(o[2]) || o[3..5] != ["IN", "IP4"] {
        return Err(format!("o= line {:?}", lines[1]));
    }
    let c = lines[3].strip_prefix("c=IN IP4 ").ok_or("c= is not IN IP4")?;
    let documentation = ["192.0.2.", "198.51.100.", "203.0.113."];
    if c != o[5] || !documentation.iter().any(|p| c.strip_prefix(p).is_some_and(numeric)) {
        return Err(format!("c= {c} is not the o= address {} or not a documentation address (RFC 5737)", o[5]));
    }
    if lines[0] != "v=0" || lines[2] != "s=-" || lines[4] != "t=0 0" {
        return Err(format!("v/s/t: {:?}", [lines[0], lines[2], lines[4]]));
    }
    let m: Vec<&str> = lines[5][2..].split(' ').collect();
    if m.len() != 4 || m[0] != "audio" || !numeric(m[1]) || m[2..] != ["RTP/AVP", "0"] {
        return Err(format!("m= line {:?}", lines[5]));
    }
    let direction = &lines[6][2..];
    if !["sendrecv", "sendonly", "recvonly", "inactive"].contains(&direction) {
        return Err(format!("a={direction}"));
    }
    Ok((o[1].to_string(), o[2].parse().unwrap(), c.to_string(), m[1].to_string(), direction.to_string()))
}

/// RFC 3264 §6.1: the direction an answer gives a stream offered as `offer`.
fn answered(offer: &str) -> &'static str {
    match offer {
        "sendonly" => "recvonly",
        "recvonly" => "sendonly",
        "inactive" => "inactive",
        _ => "sendrecv",
    }
}

/// Every catalogue scenario's messages, in the order sent, with the scenario's id.
fn catalogue_messages() -> Vec<(String, Vec<SipMessage>)> {
    let runs = catalogue().into_iter().map(|entry| {
        let t = simulate(&entry.scenario).unwrap_or_else(|e| panic!("{}: {e}", entry.id));
        (entry.id.to_string(), t.steps.iter().flat_map(|s| s.messages.iter().cloned()).collect())
    });
    runs.collect()
}

/// `(Call-ID, CSeq)`: the transaction a message belongs to (an INVITE's and its responses').
fn transaction(m: &SipMessage) -> (String, String) {
    (m.header("Call-ID").unwrap().to_string(), m.header("CSeq").unwrap().to_string())
}

fn sdp_of(m: &SipMessage, at: &str) -> Option<Sdp> {
    m.body()
        .filter(|b| b.content_type == "application/sdp")
        .map(|b| check_lines(b.text).unwrap_or_else(|e| panic!("{at}: {e}\n{}", b.text)))
}

#[test]
fn every_catalogue_sdp_body_is_valid_and_each_party_keeps_its_session_address_and_port() {
    let mut bodies = 0;
    for (id, messages) in catalogue_messages() {
        // (Call-ID, sender) -> (session id, last version, address, port, direction).
        let mut senders: HashMap<(String, String), Sdp> = HashMap::new();
        for m in &messages {
            let at = format!("{id}: {} ({} -> {})", m.first_line(), m.from, m.to);
            let body = m.body().map_or("", |b| b.text);
            let length: usize = m.header("Content-Length").unwrap().parse().unwrap();
            assert_eq!(length, body.len(), "{at}: Content-Length counts the body's bytes");
            let Some(sdp) = sdp_of(m, &at) else { continue };
            bodies += 1;
            let sender = (transaction(m).0, m.from.to_string());
            if let Some(last) = senders.get(&sender) {
                assert_eq!(sdp.0, last.0, "{at}: one session id per party and dialog");
                assert!(sdp.1 > last.1, "{at}: the o= version rises with each body ({} after {})", sdp.1, last.1);
                assert_eq!((&sdp.2, &sdp.3), (&last.2, &last.3), "{at}: the party keeps its address and port");
            }
            senders.insert(sender, sdp);
        }
    }
    // The catalogue's figure when this test was written (round 13: 134), so that a catalogue
    // that stopped sending SDP would not pass by checking nothing.
    assert!(bodies >= 130, "{bodies} SDP bodies");
}

#[test]
fn every_offer_in_an_invite_is_answered_in_its_2xx() {
    let mut answers = 0;
    for (id, messages) in catalogue_messages() {
        // (Call-ID, CSeq) of an INVITE without a final response yet -> the direction it offered.
        let mut open: HashMap<(String, String), String> = HashMap::new();
        for m in &messages {
            let at = format!("{id}: {} ({} -> {})", m.first_line(), m.from, m.to);
            let (sdp, key) = (sdp_of(m, &at), transaction(m));
            match (m.method(), m.status()) {
                (Some("INVITE"), _) => {
                    let sdp = sdp.unwrap_or_else(|| panic!("{at}: every INVITE here carries an offer"));
                    open.insert(key, sdp.4);
                }
                (None, Some(200..=299)) if key.1.ends_with(" INVITE") => {
                    let offer = open.remove(&key).unwrap_or_else(|| panic!("{at}: a 2xx to no open INVITE"));
                    let sdp = sdp.unwrap_or_else(|| panic!("{at}: the 2xx to an INVITE with an offer has no answer"));
                    assert_eq!(sdp.4, answered(&offer), "{at}: the answer's direction (offer {offer})");
                    answers += 1;
                }
                (None, Some(300..)) if key.1.ends_with(" INVITE") => {
                    open.remove(&key);
                }
                _ => {}
            }
        }
    }
    assert!(answers >= 60, "{answers} answered offers");
}

#[test]
fn the_hold_and_unhold_re_invites_are_answered_recvonly_then_sendrecv() {
    let entry = catalogue().into_iter().find(|e| e.id == "hold-before-refer").unwrap();
    let t = simulate(&entry.scenario).unwrap();
    let invites: Vec<(&SipMessage, &SipMessage)> = t
        .steps
        .iter()
        .filter(|s| s.messages.iter().any(|m| m.method() == Some("INVITE") && m.header("To").is_some_and(|t| t.contains("tag="))))
        .map(|s| (&s.messages[0], &s.messages[1]))
        .collect();
    let direction = |m: &SipMessage| m.body().map(|b| check_lines(b.text).unwrap().4);
    let got: Vec<_> = invites.iter().map(|(offer, ok)| (direction(offer), ok.status(), direction(ok))).collect();
    let (on, off) = (Some("sendonly".to_string()), Some("sendrecv".to_string()));
    assert_eq!(
        got,
        [(on, Some(200), Some("recvonly".to_string())), (off.clone(), Some(200), off)],
        "the hold, then the unhold after the transfer failed"
    );
}
