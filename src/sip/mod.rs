//! SIP grammar: the Refer-To header value and the SIP/SIPS/tel URIs inside it.
