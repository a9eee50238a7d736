//! Call legs: who they are, their CallStatus, whom they are bridged with and
//! what they hear. A leg snapshot is what the page draws in each lane.

use super::text::cat;
use serde::{Serialize, Serializer};
use std::fmt;
use std::mem::ManuallyDrop;
use std::sync::{Arc, OnceLock};

/// Text shared rather than copied: a leg's id, label and address are in every snapshot of
/// the leg and in every SIP message it sends, so a copy of one is a reference count, not an
/// allocation (copying them was a sixth of a catalogue run). It reads as a `String` does
/// (`as_str`, `==` with `&str` and `String`, `Display`, derefs to `str`) and is serialized as
/// a string. Made with `.into()` from a `&str` or a `String`.
///
/// The text is always there (`Some`); the `Option` inside `ManuallyDrop` only lets [`Drop`]
/// release the reference out of line without `unsafe`: the reference count's decrement was
/// written out wherever a `SharedStr` was dropped (263 places, about 20 B each).
pub struct SharedStr(ManuallyDrop<Option<Arc<str>>>);

impl SharedStr {
    fn new(text: Arc<str>) -> Self {
        SharedStr(ManuallyDrop::new(Some(text)))
    }

    /// `text`, stored once in `cell` for every run (the ids `caller`, `transferor` and `target`,
    /// and `twilio`, were allocated again by each run, five texts of a catalogue run): a
    /// copy is a reference to the one text, which also makes comparing two of them one
    /// comparison of addresses.
    /// Not in WASM, where the module's size is budgeted (the `OnceLock`s cost some 1 kB
    /// there) and an allocation is cheaper: there each call makes the text anew, as before.
    pub(crate) fn kept(cell: &'static OnceLock<SharedStr>, text: &str) -> SharedStr {
        if cfg!(target_arch = "wasm32") {
            return SharedStr::from(text);
        }
        cell.get_or_init(|| SharedStr::from(text)).clone()
    }

    /// `n` in decimal, written on the stack and allocated once (a `String` made first was
    /// a second allocation, copied).
    pub(crate) fn number(n: u64) -> SharedStr {
        SharedStr::from(super::text::decimal(n, &mut [b'0'; 20]))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &*self.0 {
            Some(text) => text,
            None => "",
        }
    }
}

impl Drop for SharedStr {
    /// Releases the reference. Not inlined, for the size (see the type).
    #[inline(never)]
    fn drop(&mut self) {
        drop(self.0.take());
    }
}

impl Clone for SharedStr {
    /// A new reference to the same text. Not inlined: a copy is made in many places, and the
    /// reference count's overflow check written out at each made the WASM module 1 kB larger.
    #[inline(never)]
    fn clone(&self) -> Self {
        SharedStr(self.0.clone())
    }
}

impl Default for SharedStr {
    /// The empty text.
    fn default() -> Self {
        SharedStr::new(Arc::default())
    }
}

impl PartialEq for SharedStr {
    /// The same text: the same reference (a copy of one text, as most compared ids are), or
    /// equal bytes, which a different first byte or length rules out without a call to `memcmp`
    /// (`caller` and `target` have the same length: finding a leg compared them 75 times a run).
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.as_str(), other.as_str());
        std::ptr::eq(a, b) || (a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b)
    }
}

impl Eq for SharedStr {}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    /// As the texts compare.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for SharedStr {
    /// Hashes as the `str` does (`Borrow<str>` needs it).
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr::new(text.into())
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr::new(text.into())
    }
}

impl From<&String> for SharedStr {
    fn from(text: &String) -> Self {
        SharedStr::new(text.as_str().into())
    }
}

impl From<SharedStr> for String {
    fn from(text: SharedStr) -> Self {
        text.as_str().to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A leg's stable id: `caller`, `transferor`, `target`, then `target-2`, ...
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct LegId(pub SharedStr);

impl LegId {
    /// The transferee's leg.
    pub fn caller() -> Self {
        static ID: OnceLock<SharedStr> = OnceLock::new();
        LegId(SharedStr::kept(&ID, "caller"))
    }
    /// The leg that sends the first REFER.
    pub fn transferor() -> Self {
        static ID: OnceLock<SharedStr> = OnceLock::new();
        LegId(SharedStr::kept(&ID, "transferor"))
    }
    /// The `n`th target (1-based): `target`, `target-2`, ...
    pub fn target(n: usize) -> Self {
        static ID: OnceLock<SharedStr> = OnceLock::new();
        if n <= 1 {
            LegId(SharedStr::kept(&ID, "target"))
        } else {
            LegId(cat!("target-", n).into())
        }
    }
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LegId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a leg is in the transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The transferee (UserA in the vendor's example).
    Caller,
    /// The party that sends REFER (AgentA).
    Transferor,
    /// A party dialled by the `referUrl` TwiML (AgentB).
    Target,
}

/// Twilio's CallStatus vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    /// Created, not yet dialled.
    Queued,
    /// Dialled; the far end has not answered yet.
    Ringing,
    /// Answered.
    InProgress,
    /// Ended after being answered (or an inbound call that ended normally).
    Completed,
    /// The far end was busy.
    Busy,
    /// Nobody answered before the timeout.
    NoAnswer,
    /// The call could not be connected.
    Failed,
    /// Hung up before it was answered.
    Canceled,
}

impl CallStatus {
    /// The CallStatus string.
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Queued => "queued",
            CallStatus::Ringing => "ringing",
            CallStatus::InProgress => "in-progress",
            CallStatus::Completed => "completed",
            CallStatus::Busy => "busy",
            CallStatus::NoAnswer => "no-answer",
            CallStatus::Failed => "failed",
            CallStatus::Canceled => "canceled",
        }
    }

    /// True once the leg has ended, whichever way.
    pub fn is_final(self) -> bool {
        !matches!(self, CallStatus::Queued | CallStatus::Ringing | CallStatus::InProgress)
    }
}

/// What a leg hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hearing {
    /// Nothing: not connected, or dead air.
    Silence,
    /// Ringback tone while a dialled party rings: the carrier's, or Twilio's default.
    Ringback,
    /// The ringback tone of the country a `<Dial ringTone>` names (`uk`, `de`, `us-old`, ...)
    /// while a dialled party rings (`dial.ring-tone`).
    RingTone(SharedStr),
    /// The voice of the party on another leg (its label).
    Party(SharedStr),
    /// Text spoken by `<Say>`.
    Say(SharedStr),
    /// Audio from `<Play>`.
    Play(SharedStr),
    /// Hold music (a `<Enqueue>` wait).
    HoldMusic,
    /// A conference room (its name).
    Conference(SharedStr),
}

impl Serialize for Hearing {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl fmt::Display for Hearing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hearing::Silence => f.write_str("silence"),
            Hearing::Ringback => f.write_str("ringback"),
            Hearing::RingTone(country) => write!(f, "ringback ({country} ringTone)"),
            Hearing::Party(p) => write!(f, "{p}"),
            Hearing::Say(t) => write!(f, "<Say> {t}"),
            Hearing::Play(u) => write!(f, "<Play> {u}"),
            Hearing::HoldMusic => f.write_str("hold music"),
            Hearing::Conference(name) => write!(f, "conference {name}"),
        }
    }
}

/// How a leg reaches its party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// A SIP endpoint: SIP messages are drawn on its lane.
    Sip,
    /// The public telephone network.
    Pstn,
    /// A Twilio Client (Voice SDK).
    Client,
}

impl Transport {
    /// The transport of an address, as [`crate::sip::parse_uri`] reads its scheme: `sip:`/`sips:`
    /// URIs are SIP, `client:` a Client, the rest (numbers, `tel:` URIs) PSTN.
    pub fn of(address: &str) -> Self {
        super::address::Address::read(address).transport
    }
}

/// A snapshot of one leg.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Leg {
    /// Stable id.
    pub id: LegId,
    /// Role in the transfer.
    pub role: Role,
    /// A short name for people: `UserA`, `AgentA`, `AgentB`, ...
    pub label: SharedStr,
    /// The party's address (SIP URI, number or client).
    pub party: SharedStr,
    /// SIP, PSTN or Client.
    pub transport: Transport,
    /// CallStatus.
    pub status: CallStatus,
    /// The leg it is bridged with.
    pub bridged_with: Option<LegId>,
    /// Held by its party (re-INVITE `a=sendonly`).
    pub on_hold: bool,
    /// What it hears.
    pub hearing: Hearing,
}
