//! A party's address as the engine reads it: once, through [`parse_uri`].
//!
//! Every address the engine looks into (a `<Sip>`, `<Number>` or `<Client>` party, the
//! caller's `from` and `to`) is read here, so its transport, its label and the user part
//! Twilio's side of a dialog shows all come from the same parse. A `;` or `?` inside the
//! user part (`sip:alice;transport=sctp@example.com`) stays in the user part, as RFC 3261
//! §19.1.1 reads it.

use super::leg::{SharedStr, Transport};
use crate::sip::message::Dialog;
use crate::sip::{parse_uri, Scheme, Uri};
use crate::twiml::check::{uri_header_kind, UriHeaderKind};
use std::borrow::Cow;

/// The SIP domain Twilio's side of each dialog uses.
pub(crate) const TWILIO_DOMAIN: &str = "refer-sim.sip.twilio.com";

/// An address, read.
#[derive(Debug, Clone)]
pub(crate) struct Address {
    /// The address as written, trimmed.
    pub text: SharedStr,
    /// The URI, when the text is a `sip:`, `sips:` or `tel:` URI that parses.
    uri: Option<Uri>,
    /// How the party is reached.
    pub transport: Transport,
    /// The Via sent-by of a dialog with this party (`Dialog::sent_by` of its parsed URI), when
    /// its URI is a `sip:` or `sips:` one that parses: read once with the address.
    via_host: Option<std::sync::Arc<str>>,
    /// The party's name ([`name_of`] its URI), read once with the address and shared by the labels of the legs
    /// that reach this party (each run copied it into a new text).
    name: Option<SharedStr>,
}

impl Address {
    /// Reads `text`: a `sip:`/`sips:` scheme is a SIP endpoint (even when the rest of the URI
    /// does not parse: Twilio still sends it an INVITE), `client:` a Twilio Client, anything
    /// else (a number, a `tel:` URI) the phone network.
    pub(crate) fn read(text: &str) -> Address {
        let text = text.trim();
        let uri = parse_uri(text).ok();
        let transport = match uri.as_ref().map(|u| u.scheme).or_else(|| Scheme::of(text)) {
            Some(Scheme::Sip | Scheme::Sips) => Transport::Sip,
            Some(Scheme::Tel) => Transport::Pstn,
            None if text.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("client:")) => Transport::Client,
            None => Transport::Pstn,
        };
        let via_host = uri.as_ref().filter(|_| transport == Transport::Sip).map(Dialog::sent_by);
        let name = name_of(uri.as_ref()).map(SharedStr::from);
        Address { text: text.into(), uri, transport, via_host, name }
    }

    /// A short name for the party: the user part of a SIP URI when it is a name (up to 16
    /// letters, digits, `-`, `_` or `.`, starting with a letter: `sip:AgentB@...` is `AgentB`),
    /// otherwise `fallback`.
    #[cfg(test)]
    pub(crate) fn label(&self, fallback: &str) -> String {
        self.name.as_deref().unwrap_or(fallback).to_string()
    }

    /// The party's short name as a shared text (`sip:AgentB@...` is `AgentB`): the name read with the address, else `fallback()`.
    pub(crate) fn shared_label(&self, fallback: impl FnOnce() -> SharedStr) -> SharedStr {
        self.name.clone().unwrap_or_else(fallback)
    }

    /// The name a dialled party goes by, taken from what the scenario wrote for it, never a role
    /// name it did not give (a `<Client>` and a SIP URI without a short name were `AgentA`,
    /// `AgentB`, ..., beside their address): a SIP URI's short name ([`Address::shared_label`]);
    /// a number its number ([`number_of`]: a `tel:` URI without its scheme and parameters); a
    /// Client its identity (`client:alice` is `alice`); any other SIP URI its user part
    /// (`sip:+14155550123@pbx.example.com` is `+14155550123`), else its text as written (a URI
    /// without a user, one that does not parse, a `<Sip>` written without its scheme). Past 24
    /// characters a name is cut, with `…`.
    pub(crate) fn dialled_label(&self) -> SharedStr {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let own: Option<&str> = match self.transport {
            Transport::Pstn => Some(number_of(&self.text)),
            Transport::Client => self.text.get(7..).map(str::trim),
            _ => self.uri.as_ref().and_then(|u| u.user.as_deref()),
        };
        match own.filter(|t| !t.is_empty()).unwrap_or(&self.text) {
            t if t.chars().count() > 24 => cut(t),
            t if t.len() == self.text.len() => self.text.clone(),
            t => SharedStr::from(t),
        }
    }

    /// Why this address cannot be dialled as a `noun` ([`crate::twiml::check::undialable`] of
    /// its text), if it cannot: its URI, parsed with the address, is not parsed again.
    pub(crate) fn undialable(&self, noun: crate::twiml::check::Noun) -> Option<crate::twiml::check::Undialable> {
        crate::twiml::check::undialable_read(noun, &self.text, self.uri.is_some())
    }

    /// The dialog Twilio opens to this SIP party, named `name`, from `twilio_uri`. Twilio's
    /// INVITE is a request formed from the party's URI (RFC 3261 §19.1.5): the headers written
    /// after its `?` are not part of the Request-URI, To or any URI of the dialog; they become
    /// headers of the INVITE, their values percent-decoded (`sip.custom-headers`: "Twilio allows
    /// you to send custom SIP headers as part of the outgoing initial INVITE request"). The ones
    /// [`Address::unsent_headers`] names are not sent.
    pub(crate) fn dialog_from_twilio(&self, name: &str, twilio_uri: &str) -> Dialog {
        let headers = self.uri.as_ref().map(|u| u.headers.as_slice()).unwrap_or_default();
        // They start at the first `?` after the userinfo, which `parse_uri` ends at the first `@`.
        // A URI that does not parse never gets here (it is undialable), and one that parses has
        // a `?` there only before its headers.
        let from = self.text.find('@').unwrap_or(0);
        let target = match self.text.get(from..).and_then(|t| t.find('?')) {
            Some(q) => self.text.get(..from + q).unwrap_or(&self.text),
            None => &self.text,
        };
        // `target` is the text before the URI's headers: it reads as the same host and port.
        let mut dialog = self.with_via_host(Dialog::new(name, twilio_uri, target, true));
        dialog.invite_headers = headers.iter().filter(|h| sendable(h)).map(|h| (h.name.clone(), h.value.clone())).collect();
        dialog
    }

    /// `dialog`, whose party URI is this address (or its text before the URI's headers), with
    /// its Via sent-by as read with the address, when it was.
    pub(crate) fn with_via_host(&self, dialog: Dialog) -> Dialog {
        match &self.via_host {
            Some(host) => dialog.with_party_host(host.clone()),
            None => dialog,
        }
    }

    /// What Twilio's INVITE does with the headers in this party's URI, for the narration:
    /// empty without any; else which it sends as headers of the INVITE and which it leaves
    /// out: a name without the X- prefix that is not one of the four standard headers Twilio
    /// "also supports" (`error.13252`), or a header that cannot be written as one line (a
    /// `%0D%0A` in its value). That Twilio leaves those out, rather than refusing the call, is
    /// assumed.
    pub(crate) fn invite_headers_note(&self) -> String {
        let (mut sent, mut unsent) = (String::new(), String::new());
        for h in self.uri.as_ref().map(|u| u.headers.as_slice()).unwrap_or_default() {
            let list = if sendable(h) { &mut sent } else { &mut unsent };
            if !list.is_empty() {
                list.push_str(", ");
            }
            list.push_str(&h.name);
        }
        let mut note = String::new();
        if !sent.is_empty() {
            note = format!(" The INVITE carries the URI's {sent} as headers (RFC 3261 §19.1.5), not in its Request-URI.");
        }
        if !unsent.is_empty() {
            note.push_str(&format!(" It leaves out {unsent}: not an X- header (warning 13252), an X-Twilio one (warning 32113) or not one line (assumed)."));
        }
        note
    }

    /// This party as a user at Twilio's SIP domain (`+14155550100` is
    /// `sip:+14155550100@refer-sim.sip.twilio.com`, `sip:alice@example.com` is
    /// `sip:alice@refer-sim...`): the URI user, else the URI host, else the text; escaped as
    /// RFC 3261's `user` rule wants.
    pub(crate) fn at_twilio(&self) -> String {
        let user = match &self.uri {
            Some(Uri { user: Some(user), .. }) => Cow::Borrowed(user.as_str()),
            Some(Uri { host: Some(host), .. }) => Cow::Owned(host.to_string()),
            _ => Cow::Borrowed(self.text.as_str()),
        };
        crate::sip::message::sip_uri(&user, TWILIO_DOMAIN)
    }
}

/// The number a phone-network address dials: a `tel:` URI without its scheme and parameters,
/// any other text as written.
fn number_of(text: &str) -> &str {
    match text.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("tel:") => text[4..].split(';').next().unwrap_or_default(),
        _ => text,
    }
}

/// `text`'s first 23 characters and `…`: a long address, as a name.
fn cut(text: &str) -> SharedStr {
    let mut out: String = text.chars().take(23).collect();
    out.push('…');
    SharedStr::from(out.as_str())
}

/// The user part of `uri`, a SIP URI, when it is a name (up to 16 letters, digits, `-`, `_` or
/// `.`, starting with a letter): a party's short name, when it has one.
fn name_of(uri: Option<&Uri>) -> Option<&str> {
    let user = uri.filter(|u| matches!(u.scheme, Scheme::Sip | Scheme::Sips)).and_then(|u| u.user.as_deref());
    user.filter(|u| {
        u.len() <= 16
            && u.starts_with(|c: char| c.is_ascii_alphabetic())
            && u.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    })
}

/// Whether Twilio's INVITE carries the URI header `h`: an X- header but not an `X-Twilio` one
/// (`error.32113`), or one of the standard headers Twilio passes without the prefix
/// (`error.13252`), that can be written as one line.
fn sendable(h: &crate::sip::UriHeader) -> bool {
    uri_header_kind(&h.name) == UriHeaderKind::Passed && h.is_writable()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialog_s_via_host_read_with_the_address_is_the_one_the_dialog_reads() {
        use crate::sip::message::Side;
        let texts = [
            "sip:AgentB@example.com",
            " SIPS:AgentB@Example.COM:5061;transport=tls ",
            "sip:bob@[2001:db8::1]:5070?X-Ticket=42&Subject=hi",
            "sip:alice;transport=sctp@10.0.0.1",
            "sip:%41gent@example.com?X-A=1",
            "sip:bad user@example.com",
            "sip:",
        ];
        for text in texts {
            let a = Address::read(text);
            // Twilio's dialog with a dialled party, and a party's dialog (the caller's).
            let dialled = (a.dialog_from_twilio("leg", "sip:t@x"), true);
            let caller = (a.with_via_host(Dialog::new("leg", "sip:t@x", &a.text, false)), false);
            for (mut seeded, uac) in [dialled, caller] {
                let mut fresh = Dialog::new("leg", "sip:t@x", &seeded.party_uri, uac);
                fresh.invite_headers = seeded.invite_headers.clone();
                let bye = |d: &mut Dialog| d.request(Side::Party, "BYE", &[], None).header("Via").unwrap_or_default().to_string();
                assert_eq!(bye(&mut seeded), bye(&mut fresh), "{text}");
            }
        }
        let via = |text: &str| Address::read(text).via_host.map(|h| h.to_string());
        assert_eq!(via("sip:b@[2001:db8::1]:5070?X-T=1").as_deref(), Some("[2001:db8::1]:5070"));
        assert_eq!(via("sip:AgentB@example.com").as_deref(), Some("example.com"));
        assert_eq!((via("+14155550100"), via("tel:+14155550100"), via("sip:bad user@example.com")), (None, None, None));
    }

    #[test]
    fn reads_transport_label_and_twilio_side() {
        // (address, transport, label with fallback "X", at Twilio)
        #[rustfmt::skip]
        let cases: &[(&str, Transport, &str, &str)] = &[
            ("sip:AgentB@example.com", Transport::Sip, "AgentB", "sip:AgentB@refer-sim.sip.twilio.com"),
            (" SIPS:AgentB@example.com:5061 ", Transport::Sip, "AgentB", "sip:AgentB@refer-sim.sip.twilio.com"),
            ("sip:alice;transport=sctp@example.com", Transport::Sip, "X", "sip:alice;transport=sctp@refer-sim.sip.twilio.com"),
            ("sip:a%42c@example.com", Transport::Sip, "aBc", "sip:aBc@refer-sim.sip.twilio.com"),
            ("sip:example.com", Transport::Sip, "X", "sip:example.com@refer-sim.sip.twilio.com"),
            ("sip:bad user@example.com", Transport::Sip, "X", "sip:sip%3Abad%20user%40example.com@refer-sim.sip.twilio.com"),
            ("sip:ThisNameIsLongerThan16@example.com", Transport::Sip, "X", "sip:ThisNameIsLongerThan16@refer-sim.sip.twilio.com"),
            ("sip:1001@example.com", Transport::Sip, "X", "sip:1001@refer-sim.sip.twilio.com"),
            ("+14155550100", Transport::Pstn, "X", "sip:+14155550100@refer-sim.sip.twilio.com"),
            ("tel:+14155550100", Transport::Pstn, "X", "sip:+14155550100@refer-sim.sip.twilio.com"),
            ("client:alice", Transport::Client, "X", "sip:client%3Aalice@refer-sim.sip.twilio.com"),
            ("Client:alice", Transport::Client, "X", "sip:Client%3Aalice@refer-sim.sip.twilio.com"),
        ];
        for (text, transport, label, twilio) in cases {
            let a = Address::read(text);
            assert_eq!((a.transport, a.label("X").as_str(), a.at_twilio().as_str()), (*transport, *label, *twilio), "{text}");
        }
    }
}
