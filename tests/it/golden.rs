//! Golden timelines: every catalogue scenario's whole timeline, rendered as
//! text (`tests/golden/render.rs`), must equal `tests/golden/<id>.txt` byte for
//! byte. A change of behaviour therefore shows up as a diff in review.
//!
//! `GOLDEN_UPDATE=1 cargo test --test it golden::` (or `make golden`) rewrites the
//! files instead of comparing. Native only: the files are read at run time,
//! and the WASM build's timelines are already compared with the native ones
//! byte for byte by the JS tests.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../golden/render.rs"]
mod render;

use std::path::{Path, PathBuf};

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::simulate;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("golden")
}

fn updating() -> bool {
    std::env::var("GOLDEN_UPDATE").is_ok_and(|v| v == "1")
}

/// Where `got` first departs from `want`, as a message naming the line.
fn first_difference(id: &str, want: &str, got: &str) -> Option<String> {
    if want == got {
        return None;
    }
    let (mut w, mut g) = (want.lines(), got.lines());
    let mut n = 1;
    loop {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => n += 1,
            (None, None) => return Some(format!("{id}: tests/golden/{id}.txt differs only in its line endings")),
            (a, b) => {
                let show = |l: Option<&str>| l.map_or("(end of file)".to_string(), |l| format!("{l:?}"));
                return Some(format!(
                    "{id}: tests/golden/{id}.txt differs first at line {n}\n    golden: {}\n    now:    {}",
                    show(a),
                    show(b)
                ));
            }
        }
    }
}

#[test]
fn every_catalogue_timeline_matches_its_golden_file() {
    let entries = catalogue();
    assert!(!entries.is_empty(), "the catalogue is empty");
    let mut failures = Vec::new();
    for entry in &entries {
        let timeline = simulate(&entry.scenario).unwrap_or_else(|e| panic!("{}: {e}", entry.id));
        let got = render::render(entry, &timeline);
        let path = dir().join(format!("{}.txt", entry.id));
        if updating() {
            std::fs::write(&path, &got).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) => failures.extend(first_difference(&entry.id, &want, &got)),
            Err(e) => failures.push(format!("{}: no golden file {} ({e})", entry.id, path.display())),
        }
    }
    let known: Vec<String> = entries.iter().map(|e| format!("{}.txt", e.id)).collect();
    let mut stale: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/golden exists")
        .filter_map(|f| f.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".txt") && !known.contains(name))
        .collect();
    stale.sort();
    for name in stale {
        if updating() {
            std::fs::remove_file(dir().join(&name)).unwrap_or_else(|e| panic!("removing {name}: {e}"));
        } else {
            failures.push(format!("tests/golden/{name}: no catalogue scenario has this id"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden timeline(s) differ; if the change is intended, run `make golden` and review the diff:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_failure_names_the_scenario_and_the_first_differing_line() {
    let msg = first_difference("demo", "a\nb\nc\n", "a\nB\nc\n").expect("they differ");
    assert_eq!(msg, "demo: tests/golden/demo.txt differs first at line 2\n    golden: \"b\"\n    now:    \"B\"");
    let shorter = first_difference("demo", "a\nb\n", "a\n").expect("they differ");
    assert!(shorter.ends_with("line 2\n    golden: \"b\"\n    now:    (end of file)"), "{shorter}");
    assert_eq!(first_difference("demo", "a\n", "a\n"), None);
}
