//! Prints catalogue timelines.
//!
//! `cargo run --example timeline` lists every catalogue scenario with its outcome;
//! `cargo run --example timeline -- <id>` prints that scenario step by step;
//! `cargo run --example timeline -- --json` prints every timeline as JSON
//! (the JS tests compare it with the WASM build's, byte for byte).
use refer_sim::scenario::{catalogue::catalogue, simulate};

fn main() {
    let arg = std::env::args().nth(1);
    if arg.as_deref() == Some("--json") {
        let all: Vec<_> =
            catalogue().into_iter().map(|e| (e.id, simulate(&e.scenario).expect("catalogue scenarios run"))).collect();
        let map: serde_json::Map<String, serde_json::Value> =
            all.into_iter().map(|(id, t)| (id.to_string(), serde_json::to_value(t).expect("timelines serialize"))).collect();
        println!("{}", serde_json::Value::Object(map));
        return;
    }
    for e in catalogue() {
        if arg.as_deref().is_some_and(|id| id != e.id) {
            continue;
        }
        let t = simulate(&e.scenario).expect("catalogue scenarios run");
        println!("== {} — {} ({} steps)\n   {}", e.id, e.title, t.steps.len(), t.outcome.summary);
        if arg.is_none() {
            continue;
        }
        let mut replay = refer_sim::transfer::LegReplay::new();
        for st in &t.steps {
            println!("{:>7} ms  {:<18} [{}] {}", st.at_ms, format!("{:?}", st.kind), st.tag, st.narration);
            for m in &st.messages {
                println!("              {} -> {}: {}", m.from, m.to, m.first_line());
            }
            if let Some(w) = &st.webhook {
                println!("              {} {} {}", w.method, w.url, w.body.as_deref().or(w.query_url.as_deref()).unwrap_or(""));
            }
            let legs: Vec<String> =
                replay.apply(st).iter().map(|l| format!("{} {} ({})", l.label, l.status.as_str(), l.hearing)).collect();
            println!("              legs: {}", legs.join(", "));
        }
    }
}
