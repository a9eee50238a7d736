//! Relative URLs in TwiML (`<Dial action>`, `referUrl`, `<Redirect>`, `<Gather action>`)
//! resolved against the URL of the document that holds them, as a browser would
//! (RFC 3986 §5.2: merge the paths, then remove dot segments). Twilio documents these
//! attributes as "relative or absolute URL" (`dial.action-relative` in sources.md).
//! No panicking slices: every split is by `find`/`split_once` on ASCII delimiters.
use super::text::cat;

/// `reference` resolved against `base`; `reference` unchanged when it is already absolute
/// (has a scheme) or when there is no base to resolve it against.
pub(crate) fn resolve(base: Option<&str>, reference: &str) -> String {
    let reference = reference.trim();
    let Some(base) = base else { return reference.to_string() };
    if reference.is_empty() || has_scheme(reference) {
        return reference.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else { return reference.to_string() };
    // authority = up to the first '/', '?' or '#'
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let base_path = tail.split(['?', '#']).next().unwrap_or("");
    let base_query = tail.split('#').next().and_then(|t| t.split_once('?')).map(|(_, q)| q);
    if let Some(net) = reference.strip_prefix("//") {
        return cat!(scheme, "://", net);
    }
    let (path, query) = match reference.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (reference, None),
    };
    let (path, fragment_query) = if path.is_empty() {
        // "?q" keeps the base path; "" (handled above) or "#f" keep the query too.
        (base_path.to_string(), query.or(base_query))
    } else if path.starts_with('/') {
        (remove_dot_segments(path), query)
    } else {
        let dir = base_path.rfind('/').map_or("/", |i| base_path.split_at(i + 1).0);
        let dir = if dir.is_empty() { "/" } else { dir };
        (remove_dot_segments(&cat!(dir, path)), query)
    };
    match fragment_query {
        Some(q) => cat!(scheme, "://", authority, path, "?", q),
        None => cat!(scheme, "://", authority, path),
    }
}

/// `scheme ":"` at the start (RFC 3986 §3.1: a letter, then letters, digits, `+`, `-`, `.`).
pub(crate) fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// RFC 3986 §5.2.4 on an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    let mut trailing_slash = false;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => trailing_slash = i == last,
            ".." => {
                out.pop();
                trailing_slash = i == last;
            }
            s => {
                out.push(s);
                trailing_slash = false;
            }
        }
    }
    let mut p = cat!("/", out.join("/"));
    if trailing_slash && !p.ends_with('/') {
        p.push('/');
    }
    p
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn rfc_3986_section_5_4_1_normal_examples() {
        // RFC 3986 §5.4.1 with base http://a/b/c/d;p?q (fragments left out: TwiML URLs have none that matter).
        let base = "http://a/b/c/d;p?q";
        let cases = [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            (";x", "http://a/b/c/;x"),
            ("g;x", "http://a/b/c/g;x"),
            ("g;x?y", "http://a/b/c/g;x?y"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
        ];
        for (reference, want) in cases {
            let got = if reference.is_empty() { base.to_string() } else { resolve(Some(base), reference) };
            assert_eq!(got, want, "{reference}");
        }
    }

    #[test]
    fn twiml_cases() {
        let base = Some("https://example.com/handler");
        assert_eq!(resolve(base, "/after?a=1&b=2"), "https://example.com/after?a=1&b=2");
        assert_eq!(resolve(base, "after"), "https://example.com/after");
        assert_eq!(resolve(Some("https://example.com"), "after"), "https://example.com/after");
        assert_eq!(resolve(base, "https://other.example/x"), "https://other.example/x");
        assert_eq!(resolve(None, "/after"), "/after", "the initial TwiML has no URL to resolve against");
        assert_eq!(resolve(base, "  /after "), "https://example.com/after");
    }
}
