//! The TwiML interpreter: reads a document's verbs for one leg, verb by verb, and says
//! what each asks for as an [`Action`] that the engine applies (`run.rs`); it never
//! reaches into the engine. `<Dial>` rings its nouns at once (the first to answer
//! wins), `<Say>`/`<Play>`/`<Pause>` take time, `<Gather>` waits for scripted
//! digits, `<Redirect>` and `action` URLs fetch the next document.

use super::leg::{Hearing, LegId};
use super::text::cat;
use crate::twiml::{self, Dial, GatherChild, Method, ReferChild, Verb};

/// A document running on a leg.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    /// The document's verbs, shared with the document (a prepared scenario's initial TwiML is
    /// shared by all its runs, not copied into each).
    pub verbs: std::sync::Arc<[Verb]>,
    pub pc: usize,
    /// The document's URL (`None` for the initial TwiML).
    pub url: Option<String>,
    pub method: Method,
    /// 0 for the initial TwiML, n for the n-th transfer's documents.
    pub round: usize,
    pub exec: Exec,
}

impl Program {
    pub(crate) fn new(verbs: impl Into<std::sync::Arc<[Verb]>>, url: Option<String>, method: Method, round: usize) -> Self {
        Program { verbs: verbs.into(), pc: 0, url, method, round, exec: Exec::Idle }
    }
}

/// What the running verb waits for.
#[derive(Debug, Clone)]
pub(crate) enum Exec {
    Idle,
    Timed {
        until: u64,
    },
    Gathering {
        until: u64,
        action: Option<String>,
        method: Option<Method>,
    },
    Dialing(DialRun),
    /// `<Refer>`: Twilio's REFER is out; the verb waits for the answer and the final NOTIFY.
    Referring(ReferRun),
    Fetching,
    /// In a conference or queue: nothing more happens.
    Parked,
    Done,
}

/// A `<Dial>` in progress.
#[derive(Debug, Clone)]
pub(crate) struct DialRun {
    pub legs: Vec<LegId>,
    pub bridged: Option<LegId>,
    pub action: Option<String>,
    pub method: Method,
    /// `timeLimit` as written, in seconds, capped at [`MAX_TIME_LIMIT_S`] (`dial.time-limit`);
    /// `None` when absent or 0: the default 4 hours is not armed (see [`MAX_TIME_LIMIT_S`]).
    pub time_limit_s: Option<u64>,
    /// `hangupOnStar="true"`: the caller's `*` hangs up the bridged party (`dial.hangup-on-star`).
    pub hangup_on_star: bool,
}

/// The longest `timeLimit` played: [`twiml::check::MAX_TIME_LIMIT_S`] (4 hours). The default 4 hours
/// is not armed when `timeLimit` is absent: a run that ends with a bridge still up stops there.
pub(crate) const MAX_TIME_LIMIT_S: u64 = twiml::check::MAX_TIME_LIMIT_S;

/// A `<Refer>` in progress: what its action request will carry.
#[derive(Debug, Clone)]
pub(crate) struct ReferRun {
    /// The Refer-To URI.
    pub target: String,
    pub action: Option<String>,
    pub method: Method,
    /// The party's response to the REFER, once it came.
    pub refer_code: Option<u16>,
    /// The last sipfrag status its NOTIFYs reported.
    pub notify_code: Option<u16>,
}

/// Seconds Twilio adds to `<Dial timeout>` before it declares no-answer. \[assumed\]: SPEC says so,
/// no page read states it (`dial.timeout-buffer` in `src/sources.md` is only named).
pub(crate) const DIAL_BUFFER_S: u64 = 5;
/// Assumed speaking rate of `<Say>`: 60 ms a character, at least 1 s.
const SAY_MS_PER_CHAR: u64 = 60;
/// Assumed length of one `<Play>` of an audio file.
const PLAY_MS: u64 = 5000;
/// Assumed length of a `<Record>` (not simulated in detail).
const RECORD_MS: u64 = 5000;
/// `loop="0"` repeats forever; the simulation caps it.
const MAX_LOOPS: u64 = 10;

fn loops(n: Option<u32>) -> u64 {
    match n {
        Some(0) => MAX_LOOPS,
        Some(n) => u64::from(n).min(MAX_LOOPS),
        None => 1,
    }
}

fn say_ms(text: &str, n: Option<u32>) -> u64 {
    (SAY_MS_PER_CHAR * text.chars().count() as u64).max(1000) * loops(n)
}

/// What the next verb asks of the engine.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// No verbs are left: Twilio hangs up.
    End,
    /// `<Dial>` its parties (or join its room).
    Dial(DialAt),
    /// The leg hears `hearing` for `ms` (`<Say>`, `<Play>`, `<Pause>`, `<Record>`).
    Media { hearing: Hearing, ms: u64, narration: String },
    /// `<Gather>`: the prompt for `ms`, then `timeout_s` seconds of waiting for digits.
    Gather { prompt: Hearing, ms: u64, timeout_s: u64, action: Option<String>, method: Option<Method> },
    /// `<Hangup>`, or `<Reject>` on a call that is already answered.
    HangUp { narration: String },
    /// `<Reject>`: on a call not yet answered, Twilio refuses it (`busy`: `reason="busy"`);
    /// on an answered call it hangs up like `<Hangup>`.
    Reject { busy: bool, narration: String },
    /// `<Redirect>`: fetch the next document.
    Fetch { url: String, method: Method },
    /// `<Refer>`: send a SIP REFER to the leg's party with the `<Sip>` text as Refer-To
    /// (`None`: the verb has no `<Sip>`).
    Refer { target: Option<String>, action: Option<String>, method: Method },
    /// `<Enqueue>`: wait in a queue with hold music; nothing more happens.
    Park { narration: String },
    /// A verb that does nothing here; the program goes on.
    Skip { narration: String },
}

/// A `<Dial>` of a document, read in place (not copied out of the shared verbs), with its
/// `action` and `referUrl` resolved against the document's URL.
#[derive(Debug, Clone)]
pub(crate) struct DialAt {
    verbs: std::sync::Arc<[Verb]>,
    at: usize,
    /// The `action`, resolved.
    pub action: Option<String>,
    /// The `referUrl`, resolved.
    pub refer_url: Option<String>,
}

impl DialAt {
    /// The `<Dial>` (always there: a `DialAt` is made only for one).
    pub(crate) fn dial(&self) -> Option<&Dial> {
        match self.verbs.get(self.at) {
            Some(Verb::Dial(dial)) => Some(dial),
            _ => None,
        }
    }
}

impl Program {
    /// Moves past the next verb and says what it asks for; `label` names the leg in narrations.
    pub(crate) fn next_action(&mut self, label: &str) -> Action {
        let action = self.verb_action(label);
        // URLs in the document are relative to its own URL (the initial TwiML has none).
        let base = self.url.as_deref();
        match action {
            Action::Dial(mut dial) => {
                dial.action = dial.action.map(|u| super::url::resolve(base, &u));
                // An empty referUrl stays empty (run as absent, `on_refer`), not the document's own URL.
                dial.refer_url = dial.refer_url.map(|u| if u.trim().is_empty() { u } else { super::url::resolve(base, &u) });
                Action::Dial(dial)
            }
            Action::Gather { prompt, ms, timeout_s, action, method } => {
                Action::Gather { prompt, ms, timeout_s, action: action.map(|u| super::url::resolve(base, &u)), method }
            }
            Action::Fetch { url, method } => Action::Fetch { url: super::url::resolve(base, &url), method },
            Action::Refer { target, action, method } => {
                Action::Refer { target, action: action.map(|u| super::url::resolve(base, &u)), method }
            }
            other => other,
        }
    }

    /// The next verb's action, its URLs as written.
    fn verb_action(&mut self, label: &str) -> Action {
        let verbs = std::sync::Arc::clone(&self.verbs);
        let at = self.pc;
        let Some(verb) = verbs.get(at) else {
            self.exec = Exec::Done;
            return Action::End;
        };
        self.pc += 1;
        match verb {
            Verb::Dial(dial) => {
                Action::Dial(DialAt { action: dial.action.clone(), refer_url: dial.refer_url.clone(), verbs: verbs.clone(), at })
            }
            Verb::Say(say) => {
                let text = say.text().trim().to_string();
                let ms = say_ms(&text, say.loop_);
                let narration =
                    cat!("<Say>: ", label, " hears \"", super::step::excerpt(&text, super::step::NARRATION_QUOTE_CHARS), "\".");
                Action::Media { hearing: Hearing::Say(text.into()), ms, narration }
            }
            Verb::Play(play) => {
                let url = play.text().trim().to_string();
                let hearing = if url.is_empty() {
                    Hearing::Play(cat!("digits ", play.digits.clone().unwrap_or_default()).into())
                } else {
                    Hearing::Play(url.as_str().into())
                };
                let narration = cat!("<Play>: ", label, " hears ", url, " (each play assumed to last 5 s).");
                Action::Media { hearing, ms: PLAY_MS * loops(play.loop_), narration }
            }
            Verb::Pause(pause) => {
                let secs = pause.length.unwrap_or(1);
                let narration = cat!("<Pause>: ", label, " hears ", secs, " s of silence.");
                Action::Media { hearing: Hearing::Silence, ms: u64::from(secs) * 1000, narration }
            }
            Verb::Gather(g) => {
                let mut prompt = Hearing::Silence;
                let mut ms = 0;
                for c in &g.children {
                    match c {
                        GatherChild::Say(s) => {
                            let t = s.text().trim().to_string();
                            ms += say_ms(&t, s.loop_);
                            if prompt == Hearing::Silence {
                                prompt = Hearing::Say(t.into());
                            }
                        }
                        GatherChild::Play(p) => {
                            ms += PLAY_MS * loops(p.loop_);
                            if prompt == Hearing::Silence {
                                prompt = Hearing::Play(p.text().trim().into());
                            }
                        }
                        GatherChild::Pause(p) => ms += u64::from(p.length.unwrap_or(1)) * 1000,
                        _ => {}
                    }
                }
                let timeout_s = u64::from(g.timeout.unwrap_or(5));
                Action::Gather { prompt, ms, timeout_s, action: g.action.clone(), method: g.method }
            }
            Verb::Hangup(_) => Action::HangUp { narration: cat!("<Hangup>: Twilio hangs up ", label, "'s call.") },
            Verb::Reject(r) => Action::Reject {
                busy: r.reason.as_deref().is_some_and(|v| v.trim() == "busy"),
                narration: cat!("<Reject>: Twilio hangs up ", label, "'s call."),
            },
            Verb::Redirect(r) => Action::Fetch { url: r.text().trim().to_string(), method: r.method.unwrap_or(Method::Post) },
            Verb::Enqueue(e) => {
                let queue = e.text().trim().to_string();
                Action::Park {
                    narration: cat!(
                        "<Enqueue>: ",
                        label,
                        " waits in queue \"",
                        queue,
                        "\" with hold music; a REFER there is refused like one in a <Queue>."
                    ),
                }
            }
            Verb::Record(_) => Action::Media {
                hearing: Hearing::Silence,
                ms: RECORD_MS,
                narration: cat!("<Record>: ", label, " is recorded (5 s assumed; recordings are not simulated)."),
            },
            Verb::Refer(r) => Action::Refer {
                target: r.children.iter().find_map(|c| match c {
                    ReferChild::Sip(s) => Some(s.text().trim().to_string()),
                    _ => None,
                }),
                action: r.action.clone(),
                method: r.method.unwrap_or(Method::Post),
            },
            Verb::Leave(_) => Action::Skip { narration: cat!("<Leave>: ", label, " is not in a queue; nothing happens.") },
            other => {
                let tag = other.tag().to_string();
                let narration = if twiml::ast::is_unmodelled_verb(&tag) {
                    cat!("<", tag, "> is a TwiML verb refer-sim does not simulate: skipped here, Twilio would run it.")
                } else {
                    cat!("<", tag, "> is not a verb refer-sim knows (the parser warned, schema warning 12200): skipped.")
                };
                Action::Skip { narration }
            }
        }
    }
}
