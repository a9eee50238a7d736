//! `parseTwiml`'s result is written from `twiml::parse_view` (verbs lowered one at a time while
//! it is serialised, from the tree or, from `STREAM_FROM` bytes on, from a second reading of the
//! text) instead of the typed model of `twiml::parse`. Both must write the same values, keys in
//! the same order: checked here with the compact writer the module uses (src/wasm/compact.rs)
//! and with serde_json, over the fuzz corpus, the TwiML corpus and documents made to reach every
//! path (each verb, texts, unknown and misplaced elements, bad values, a non-`<Response>` root,
//! fatal errors, more than 1,000 diagnostics), each also padded past `STREAM_FROM`, and
//! serialised twice (the second serialisation of a view reads the text again).
#![cfg(not(target_arch = "wasm32"))]

use crate::compact;

use refer_sim::twiml::parser::STREAM_FROM;
use refer_sim::twiml::{parse, parse_view};

/// `xml` and, past `STREAM_FROM` bytes, the same document padded: with a comment after it, and
/// with blank lines inside the root (whitespace text runs, dropped from the verbs).
fn both(xml: &str) -> Vec<String> {
    let pad = " ".repeat(STREAM_FROM);
    let inside = xml.replacen("<Response>", &format!("<Response>\n{pad}"), 1);
    vec![xml.to_string(), format!("{xml}<!--{pad}-->"), inside]
}
use serde_json::Value;

fn same(xml: &str) {
    let (model, view) = (parse(xml), parse_view(xml));
    let json = serde_json::to_string(&model).expect("model");
    assert_eq!(serde_json::to_string(&view).expect("view"), json, "{xml}");
    let (mut a, mut b) = (String::new(), String::new());
    compact::write(&model, &mut a).expect("model");
    compact::write(&view, &mut b).expect("view");
    assert_eq!(serde_json::to_string(&view).expect("view, again"), json, "a second serialisation of {xml}");
    assert_eq!(resolved(&b), resolved(&a), "compact results differ for {xml}");
}

/// The compact stream with every key written out: equal for two results exactly when
/// pkg/decode.js makes the same objects of them. (The bytes themselves may differ: a key
/// is interned by the address of its `'static` text, and the view's field names are
/// other literals than the derived `Serialize`'s until the linker merges them.)
fn resolved(compact: &str) -> Vec<String> {
    let units: Vec<u16> = compact.encode_utf16().collect();
    let (mut i, mut keys, mut out) = (0, Vec::<String>::new(), Vec::new());
    let mut next = |i: &mut usize| {
        *i += 1;
        units[*i - 1]
    };
    fn num(next: &mut impl FnMut(&mut usize) -> u16, i: &mut usize) -> u64 {
        let (mut n, mut scale) = (0u64, 1u64);
        loop {
            let c = u64::from(next(i));
            // 6-bit digits, least significant first; all but the last carry 0x40.
            if c < 0x40 {
                return n + c * scale;
            }
            n += (c & 0x3F) * scale;
            scale <<= 6;
        }
    }
    // A stack of what is open: true for an object (a key comes next), false for an array.
    let mut open: Vec<bool> = Vec::new();
    while i < units.len() {
        if open.last() == Some(&true) {
            let k = num(&mut next, &mut i);
            match k {
                0 => {
                    open.pop();
                    out.push("}".to_string());
                    continue;
                }
                1 => {
                    let n = num(&mut next, &mut i) as usize;
                    keys.push(String::from_utf16_lossy(&units[i..i + n]));
                    i += n;
                    out.push(format!("key {}", keys[keys.len() - 1]));
                }
                k => out.push(format!("key {}", keys[(k - 2) as usize])),
            }
        }
        let tag = next(&mut i);
        match tag {
            3 | 4 => out.push(format!("num {tag} {}", num(&mut next, &mut i))),
            5 => {
                let n = num(&mut next, &mut i) as usize;
                out.push(format!("str {}", String::from_utf16_lossy(&units[i..i + n])));
                i += n;
            }
            6 => open.push(false),
            7 => open.push(true),
            8 => out.push(format!("f64 {} {}", num(&mut next, &mut i), num(&mut next, &mut i))),
            9 => {
                assert_eq!(open.pop(), Some(false), "array end");
                out.push("]".to_string());
                continue;
            }
            _ => {}
        }
        out.push(format!("tag {tag}"));
    }
    assert!(open.is_empty());
    out
}

fn corpus() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/twiml");
    let mut files: Vec<_> = std::fs::read_dir(path).expect("corpus").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut out: Vec<String> =
        files.iter().map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("readable")).into_owned()).collect();
    let twiml: Value = serde_json::from_str(include_str!("../data/twiml_corpus.json")).expect("JSON");
    out.extend(twiml["cases"].as_array().expect("cases").iter().map(|c| c["xml"].as_str().expect("xml").to_owned()));
    out
}

#[test]
fn the_view_writes_what_the_model_writes_over_the_corpora() {
    let inputs = corpus();
    assert!(inputs.len() > 400, "{} inputs", inputs.len());
    assert_eq!(inputs.last().map(|x| x.starts_with("<?xml")), Some(true), "the TwiML corpus comes last");
    for xml in &inputs {
        same(xml);
    }
    for xml in &inputs[inputs.len() - 69..] {
        both(xml).iter().for_each(|x| same(x));
    }
}

#[test]
fn the_view_writes_what_the_model_writes_on_every_path() {
    let verbs = [
        r#"<Dial referUrl="https://x/r" timeout="abc" answerOnBridge="maybe" bogus="1">+1415 <Sip method="PUT">sip:a@x</Sip><Number>+1</Number><Client>c</Client><Conference>r</Conference><Queue>q</Queue><Sim>s</Sim><Say>no</Say><Foo/>text</Dial>"#,
        r#"<Say voice="alice" loop="-1">Hi &amp; <break/> bye</Say>"#,
        r#"<Play loop="2">https://x/a.mp3</Play>"#,
        r#"<Pause length="3"/>"#,
        r#"<Pause/>"#,
        r#"<Gather input="dtmf" timeout="x"><Say>a</Say><Play>b</Play><Pause/>stray<Dial/></Gather>"#,
        r#"<Hangup><Parameter name="a" value="b"/><Other/></Hangup>"#,
        r#"<Redirect method="GET">https://x/next</Redirect>"#,
        r#"<Reject reason="busy"/>"#,
        r#"<Enqueue maxQueueSize="9x" waitUrl="https://x/w"><Task>{}</Task>q</Enqueue>"#,
        r#"<Leave/>"#,
        r#"<Record maxLength="30" playBeep="yes"/>"#,
        r#"<Refer action="https://x/a"><Sip>sip:b@x</Sip>text<Number>1</Number></Refer>"#,
        r#"<Sip>sip:outside@x</Sip>"#,
        r#"<Connect><Stream url="wss://x"/></Connect>"#,
        r#"<Unknown a="1">t</Unknown>"#,
        "some text",
        "<![CDATA[cdata]]>&#65;",
        "\n  \t",
    ];
    let mut docs = vec![
        String::new(),
        "<Response/>".to_string(),
        r#"<?xml version="1.0"?><Response a="1" b="2"></Response>"#.to_string(),
        "<Dial><Sip>sip:a@x</Sip></Dial>".to_string(),
        "<Response><Say>unclosed</Response>".to_string(),
        "<Response><Say>&bogus;</Say></Response>".to_string(),
        "<Response/><Response/>".to_string(),
        format!("<Response><Say{}>x</Say></Response>", (0..1500).map(|i| format!(" a{i}=\"v\"")).collect::<String>()),
        format!("<Response>{}</Response>", "<Pause/><Foo/>".repeat(700)),
    ];
    for v in verbs {
        docs.push(format!("<Response>{v}</Response>"));
        docs.push(format!("<Response bogus=\"1\">\n  {v}\n  {v}\n</Response>"));
    }
    docs.push(format!("<Response>{}</Response>", verbs.join("\n")));
    for xml in &docs {
        both(xml).iter().for_each(|x| same(x));
    }
}
