//! The fuzz targets' code, run natively without a fuzzer: every file of the committed corpus
//! (fuzz/corpus/<target>/, minimised by afl-cmin), every crash afl saved (fuzz/crashes/<target>/,
//! as found) and each crash minimised by hand (the table below) goes through the same body the AFL++ binary runs (fuzz/src/lib.rs), so a
//! regression of the kind fuzzing finds fails `cargo test` even where cargo-afl is missing.
//! Native only: the wasm32 runs cannot read the corpus directory.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../../fuzz/src/lib.rs"]
mod targets;

use std::path::Path;

/// Every input that made a target panic, kept as it was found, with what was wrong.
/// (target, input, what broke)
#[rustfmt::skip]
const CRASHES: &[(&str, &str, &str)] = &[
    // Found before the fuzzer, by the same class of input (kept so the targets replay them).
    ("refer_to", "sip", "scheme without ':' sliced one past the text (fixed in 1292b9e)"),
    ("refer_to", "<sip>", "the same, inside <...>"),
    ("refer_to", "<sip:a@b.com?%E2%82%ACab=1>", "custom_headers cut a 3-byte header name at byte 2"),
    // Found by afl (twiml, 2.6 million executions): quick-xml read `< />` as an element named "",
    // written back as `</>`, which does not parse. Minimised by hand from the saved crashes.
    ("twiml", "<Response><Say>a</Say>< /></Response>", "an element with an empty name was accepted"),
    ("twiml", "<Response><Refer><Sip>sip:a@b< /></Sip></Refer></Response>", "the same inside <Sip>"),
    ("twiml", "<Response><Refer><-Uqar=aaae/></Refer></Response>", "a name starting with '-' (4.9 million executions)"),
    // The committed corpus file 7a31cac0874297cc, once the target required spans of whole
    // characters: a bare '&' in a value was placed from the first quote of the attribute's text,
    // which was inside its name (quick-xml reads `é"日"` as one), and fell inside `日`.
    ("twiml", "<Response><Say \u{e9}\"\u{65e5}\"=\"xy&z\">t</Say></Response>", "a bare '&' placed inside the attribute's name"),
];

fn run(target: &str, data: &[u8]) {
    match target {
        "refer_to" => targets::refer_to(data),
        "twiml" => targets::twiml(data),
        "scenario" => targets::scenario(data),
        other => panic!("no fuzz target named {other}"),
    }
}

#[test]
fn every_crash_found_is_fixed() {
    for (target, input, why) in CRASHES {
        let outcome = std::panic::catch_unwind(|| run(target, input.as_bytes()));
        assert!(outcome.is_ok(), "{target}: {input:?} ({why}) panics again");
    }
}

/// The files of `fuzz/<kind>/<target>/`, sorted (none when the folder does not exist).
fn files(kind: &str, target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries.map(|entry| entry.map(|e| e.path())).collect::<Result<_, _>>().unwrap();
    files.sort();
    files
}

#[test]
fn the_committed_corpus_and_the_saved_crashes_replay_without_a_panic() {
    for target in ["refer_to", "twiml", "scenario"] {
        let corpus = files("corpus", target);
        assert!(corpus.len() >= 10, "{target}: only {} corpus files", corpus.len());
        // fuzz/crashes/<target>/: the inputs afl saved as crashes, kept as found.
        for file in corpus.into_iter().chain(files("crashes", target)) {
            let data = std::fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| run(target, &data)).is_err() {
                panic!("{target}: {} panics; input {:?}", file.display(), String::from_utf8_lossy(&data));
            }
        }
    }
}
