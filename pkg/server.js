// Sends the requests Twilio would send to a live HTTP server, so a real
// `referUrl` application can be tested: the same method, form body or query
// string, headers and `X-Twilio-Signature` (HMAC-SHA1 of the URL and the sorted
// POST parameters, keyed with the account's auth token, in base64, as
// twilio-node's `validateRequest` checks it). The URL signed is the one Twilio
// would request, as the scenario names it (your public URL), while the request
// itself goes to the same path on `app`; `signedUrl: "sent"` signs that one instead.
// The HTTP status, the body and the measured latency become the answer the
// simulation continues with.
// Uses only `fetch` and WebCrypto, which Node 20 and browsers both have.

/** The user agent Twilio's webhook requests carry. [assumed: observed on Twilio's requests, not on the vendor page] */
export const TWILIO_USER_AGENT = "TwilioProxy/1.1";

/**
 * `X-Twilio-Signature` for a request to `url`: base64(HMAC-SHA1(authToken, url + each POST
 * parameter's name and value, names sorted)). For a GET, pass no params: the query is in `url`.
 * @param {string} authToken
 * @param {string} url the full URL requested, query string included
 * @param {Record<string, string> | null} [params] the POST parameters
 * @returns {Promise<string>}
 */
export async function twilioSignature(authToken, url, params = null) {
  if (typeof authToken !== "string" || authToken === "") {
    throw failure("bad_argument", "twilioSignature: authToken must be the account's auth token, a non-empty string", "authToken");
  }
  if (typeof url !== "string" || url === "") {
    throw failure("bad_argument", "twilioSignature: url must be the full URL Twilio requests, a non-empty string", "url");
  }
  if (params !== null && params !== undefined && typeof params !== "object") {
    throw failure("bad_argument", "twilioSignature: params must be the POST parameters as an object (or null for GET)", "params");
  }
  let data = url;
  for (const name of Object.keys(params ?? {}).sort()) data += name + params[name];
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(authToken), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(data)));
  let binary = "";
  for (const b of mac) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** An Error with a stable `code`, `offset` (always null here) and `field` (the argument or
 * option at fault, or null), like the package's other errors (`ReferSimError`). */
function failure(code, message, field = null) {
  return Object.assign(new Error(message), { code, offset: null, field });
}

/**
 * The URL on the live server for a URL the scenario names: the server's origin
 * (and path prefix, if any) followed by the original path and query.
 * `https://example.com/handler?x=1` with `http://127.0.0.1:3000` is `http://127.0.0.1:3000/handler?x=1`.
 * @param {string} base
 * @param {string} url
 */
export function serverUrl(base, url) {
  let b;
  try {
    b = new URL(base);
  } catch {
    throw failure("bad_app_url", `serverUrl: ${JSON.stringify(base)} is not an absolute URL such as http://127.0.0.1:3000`, "base");
  }
  let original;
  try {
    original = new URL(url);
  } catch {
    throw failure("bad_app_url", `the scenario requests ${JSON.stringify(url)}, which is not an absolute URL: write the absolute URL (such as https://example.com/handler), whose path and query refer-sim sends to ${b.origin}`, "url");
  }
  const prefix = b.pathname.replace(/\/+$/, "");
  return `${b.origin}${prefix}${original.pathname}${original.search}`;
}

/**
 * The URL Twilio signs for a request to `url`: the URL as the TwiML or scenario names it, exactly
 * as written (no normalising: Twilio signs "the exact URL your application supplied"), without
 * its `#` fragment, which is never sent (the connection overrides such as `#rt=5000` live there),
 * and without a `user:password@` (HTTP authentication credentials, sent in `Authorization`).
 * [doc webhook.signature-url in src/sources.md] That the fragment and the credentials are left
 * out is [assumed]: a server computing its URL from the request (twilio.webhook()) sees neither,
 * and Twilio's older security notes said it drops the credentials (read only as quoted in a
 * GitHub issue, twilio-labs/twilio-aspnet#18).
 * @param {string} url
 */
export function requestedUrl(url) {
  const hash = url.indexOf("#");
  const sent = hash === -1 ? url : url.slice(0, hash);
  // The authority runs to the first / ? or #; its credentials to its last @.
  return sent.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1");
}

/**
 * The `Authorization` header Twilio sends for a URL with credentials
 * (`https://user:pass@pbx.example.com/refer`), or null. Basic, sent with the first request:
 * [assumed] (Twilio's security page says it supports HTTP Basic and Digest with credentials in the
 * URL; whether it waits for a 401 challenge is not said, and Digest is not simulated).
 * @param {string} url
 */
export function basicAuthorization(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.username === "" && u.password === "") return null;
  const decode = (part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // a stray % stays as written
    }
  };
  const bytes = new TextEncoder().encode(`${decode(u.username)}:${decode(u.password)}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** The values of `liveApp`'s `signedUrl` option. */
const SIGNED_URLS = ["requested", "sent"];

/** Twilio's total webhook timeout (src/transfer/fetch.rs WEBHOOK_TOTAL_TIMEOUT_MS). */
const TWILIO_WEBHOOK_TIMEOUT_MS = 15000;

/**
 * A webhook answerer that forwards each request to the server at `app`.
 * @param {{ app: string, authToken?: string, signedUrl?: "requested" | "sent", timeoutMs?: number }} options
 *   `authToken` signs each request (omit it only for a server that does not validate);
 *   `signedUrl` says which URL the signature covers: `"requested"` (the default, what Twilio
 *   does: the URL the scenario names, your public URL such as https://pbx.example.com/refer,
 *   fragment left out) or `"sent"` (the URL on `app` the request is sent to, such as
 *   http://127.0.0.1:3000/refer: for a server that validates against the URL it was reached at);
 *   `timeoutMs` (default 16000) is how long refer-sim waits for the server. Twilio gives up after
 *   its 15 s total webhook timeout (11205), so past 15 s the answer no longer matters: a server still
 *   silent at `timeoutMs` is answered for as "no answer within `timeoutMs`", and the timeline shows
 *   Twilio's timeout. A `timeoutMs` below 15000 is your own stricter limit: past it the run throws
 *   `app_timeout`.
 *   An answer `{ unreachable: true }` (the server could not be reached) carries the network error
 *   as a non-enumerable `cause` (its `code`, such as ECONNREFUSED, and `message`).
 * @returns {(request: import("./refer_sim.js").WebhookRequest) => Promise<{ status?: number, latencyMs: number, twiml?: string, contentType?: string | null, unreachable?: boolean, cause?: unknown }>}
 */
export function liveApp({ app, authToken, signedUrl, timeoutMs = 16000 }) {
  try {
    const u = new URL(app);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw failure("bad_options", `options.app: ${JSON.stringify(app)} is not an http:// or https:// URL`, "options.app");
  }
  if (authToken !== undefined && (typeof authToken !== "string" || authToken === "")) {
    throw failure("bad_options", "options.authToken: expected the account's auth token, a non-empty string", "options.authToken");
  }
  if (signedUrl !== undefined && !SIGNED_URLS.includes(signedUrl)) {
    throw failure("bad_options", `options.signedUrl: ${JSON.stringify(signedUrl) ?? String(signedUrl)} is not "requested" (sign the URL the scenario names, as Twilio does) or "sent" (sign the URL on options.app the request is sent to)`, "options.signedUrl");
  }
  if (signedUrl !== undefined && authToken === undefined) {
    throw failure("bad_options", "options.signedUrl says which URL the signature covers; give options.authToken too (without it nothing is signed)", "options.signedUrl");
  }
  if (typeof timeoutMs !== "number" || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600000) {
    throw failure("bad_options", `options.timeoutMs: ${JSON.stringify(timeoutMs) ?? String(timeoutMs)} is not a whole number of milliseconds from 1 to 600000`, "options.timeoutMs");
  }
  return async (request) => {
    const post = request.method === "POST";
    const requested = post ? request.url : request.queryUrl;
    let url;
    try {
      url = serverUrl(app, requested);
    } catch {
      // A relative URL left as written: Twilio resolves it against the URL of the document that
      // named it, and refer-sim had none (an initialTwiml has no URL), so its path is unknown.
      throw failure(
        "bad_app_url",
        `the ${request.purpose} request goes to ${JSON.stringify(requested)}, a relative URL: Twilio resolves it against the URL of the TwiML document that named it, and refer-sim has none to resolve it against (a scenario's initialTwiml has no URL), so it cannot tell which path it names on ${app}; write the absolute URL (such as https://example.com${requested.startsWith("/") ? "" : "/"}${requested}), whose path and query refer-sim sends to ${app}`,
      );
    }
    const headers = { "User-Agent": TWILIO_USER_AGENT, Accept: "*/*" };
    if (post) headers["Content-Type"] = "application/x-www-form-urlencoded";
    const authorization = basicAuthorization(requested);
    if (authorization !== null) headers.Authorization = authorization;
    if (authToken !== undefined) {
      const signed = signedUrl === "sent" ? url : requestedUrl(requested);
      headers["X-Twilio-Signature"] = await twilioSignature(authToken, signed, post ? request.params : null);
    }
    const started = performance.now();
    const timer = AbortSignal.timeout(timeoutMs);
    let response, body;
    try {
      response = await fetch(url, { method: request.method, headers, body: post ? request.body : undefined, signal: timer, redirect: "manual" });
      body = await response.text();
    } catch (e) {
      if (timer.aborted) {
        // Twilio stopped waiting at 15 s: any latency past that gives its timeout (11205).
        if (timeoutMs > TWILIO_WEBHOOK_TIMEOUT_MS) return { unreachable: true, latencyMs: timeoutMs };
        throw failure("app_timeout", `${request.method} ${url} did not answer within ${timeoutMs} ms (your timeoutMs, below Twilio's 15 s webhook timeout)`, "options.timeoutMs");
      }
      // The network's reason (ECONNREFUSED, a TLS error, ...) rides along, not enumerable, so the
      // answer stays `{ unreachable, latencyMs }` for the simulation and a caller can say why.
      const cause = e?.cause ?? e;
      return Object.defineProperty({ unreachable: true, latencyMs: Math.round(performance.now() - started) }, "cause", { value: cause, enumerable: false });
    }
    const latencyMs = Math.round(performance.now() - started);
    // Its Content-Type decides what Twilio does with the body (null: the server sent none, 12300).
    return { status: response.status, latencyMs, twiml: body, contentType: response.headers.get("content-type") };
  };
}
