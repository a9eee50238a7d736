//! The sans-IO transfer state machine driven by simulated time.
