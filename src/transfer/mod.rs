//! The sans-IO transfer state machine driven by simulated time.
//!
//! [`Engine`] is Twilio's side of a call that gets transferred by SIP REFER:
//! it takes [`Input`]s stamped with simulated milliseconds and records
//! [`Step`]s (what happened, why, with SIP messages, webhooks and a snapshot
//! of every [`Leg`]) and [`Effect`]s (what it asks of the world: ring a
//! party, fetch a URL). `crate::scenario` plays the world from a scenario.

mod address;
mod callbacks;
mod dial;
mod draft;
mod engine;
mod fetch;
mod io;
pub(crate) mod known;
mod leg;
mod outcome;
mod program;
mod refer;
mod refer_verb;
mod run;
mod state;
mod step;
pub(crate) mod table;
pub(crate) mod text;
pub(crate) mod url;
pub mod webhook;

pub use callbacks::{rfc2822, CALLBACK_ANSWER_PREFIX, MAX_RESPONSE_HEADERS};
pub(crate) use draft::ReferFact;
pub use engine::{Engine, MAX_STEPS};
pub use fetch::{webhook_timeout, WebhookLimit, WEBHOOK_TOTAL_TIMEOUT_MS};
pub use io::{Config, Effect, HttpReply, Input, ReferFrom};
pub use leg::{CallStatus, Hearing, Leg, LegId, Role, SharedStr, Transport};
pub use refer::{BYE_OVERDUE_MS, REFER_EXPIRES_S, TWILIO_BYE_AFTER_MS};
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use step::MessagesOnRead;
pub use step::{
    legs_after, Alert, AnswerMedia, AnswerType, BodyTable, LegReplay, Messages, Outcome, SharedText, SipMessage, Step, StepKind,
    Timeline, WebhookRequest, WebhookResponse,
};
