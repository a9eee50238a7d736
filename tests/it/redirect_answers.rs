//! A 3xx answer to a webhook: Twilio follows 301, 302, 303 and 307 with a `Location` header
//! and fails any other redirect with 11216 (`error.11216` in src/sources.md). An answer given
//! to the simulation (a scenario's `app` entry, `onWebhook`, what pkg/server.js hands on) has no
//! `Location`, so every 3xx it carries fails with 11216; 4xx and 5xx stay 11200.
//! Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::simulate;

/// (HTTP status the referUrl answers, the alert code)
#[rustfmt::skip]
const CASES: &[(u16, u32)] = &[
    (299, 12100),
    (300, 11216),
    (301, 11216),
    (302, 11216),
    (303, 11216),
    (304, 11216),
    (307, 11216),
    (308, 11216),
    (399, 11216),
    (400, 11200),
    (500, 11200),
];

#[test]
fn a_redirect_answer_fails_with_11216_and_says_how_to_redirect() {
    for &(status, code) in CASES {
        let mut s = catalogue().into_iter().find(|e| e.id == "refer-url-http-500").unwrap().scenario;
        let handler = s.app.get_mut("https://example.com/handler").unwrap();
        handler.status = status;
        handler.twiml = Some(String::new());
        let t = simulate(&s).unwrap();
        let codes: Vec<_> = t.outcome.alerts.iter().map(|a| a.code).collect();
        assert_eq!(codes, [Some(code)], "{status}");
        if code == 11216 {
            let alert = &t.outcome.alerts[0].message;
            assert!(alert.contains(&format!("answered HTTP {status}, a redirect Twilio does not follow (it follows 301, 302, 303 and 307 with a Location header)")), "{status}: {alert}");
            let fix = t.explanation.fix.unwrap_or_default();
            assert!(fix.contains("or redirect with 301, 302, 303 or 307 and a Location header"), "{status}: {fix}");
        }
    }
}
