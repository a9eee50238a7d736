//! Voice TwiML: the typed model, a position-aware parser, the writer and the transfer checks.
