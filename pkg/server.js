// Sends the requests Twilio would send to a live HTTP server, so a real
// `referUrl` application can be tested: the same method, form body or query
// string, headers and `X-Twilio-Signature` (HMAC-SHA1 of the URL and the sorted
// POST parameters, keyed with the account's auth token, in base64, as
// twilio-node's `validateRequest` checks it). The URL signed is the one Twilio
// would request, as the scenario names it (your public URL), and `Host` names its
// host, while the request itself goes to the same path on `app`; `signedUrl: "sent"`
// signs (and names in `Host`) that one instead. Redirects (301, 302, 303, 307) are
// followed and HTTP authentication answers the server's 401 challenge, as Twilio does.
// The HTTP status, the body and the measured latency become the answer the
// simulation continues with.
// In Node the requests go through node:http / node:https (so `Host` can be the public
// host); elsewhere through `fetch`, where a browser keeps its own Host and hides redirects.

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
 * The credentials of a URL (`https://user:pass@pbx.example.com/refer`), percent-decoded, or null.
 * @param {string} url
 * @returns {{ user: string, password: string } | null}
 */
function credentials(url) {
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
  return { user: decode(u.username), password: decode(u.password) };
}

/**
 * The `Authorization: Basic` header for a URL with credentials
 * (`https://user:pass@pbx.example.com/refer`), or null. Twilio sends it only after the server
 * answers 401 with a `WWW-Authenticate` challenge (`security.http-auth-challenge` in
 * src/sources.md); `liveApp` does the same.
 * @param {string} url
 */
export function basicAuthorization(url) {
  const c = credentials(url);
  if (c === null) return null;
  const bytes = new TextEncoder().encode(`${c.user}:${c.password}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** The scheme and parameters of a `WWW-Authenticate` challenge (`Basic realm="x"`,
 * `Digest realm="x", nonce="y", qop="auth"`), or null. */
function challenge(header) {
  const m = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header ?? "");
  if (m === null) return null;
  const params = {};
  for (const p of m[2].matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, "$1") : p[3];
  return { scheme: m[1].toLowerCase(), params };
}

/**
 * The `Authorization: Digest` answer to a Digest challenge (RFC 7616 §3.4: MD5 or SHA-256,
 * `qop="auth"` or none) for `method` on `uri` (the path and query requested), or null when the
 * challenge asks for what is not simulated (`auth-int`, another algorithm) or outside Node
 * (WebCrypto has no MD5). The client nonce is derived from the server's nonce and the request,
 * so a run gives the same header twice (the simulator is deterministic).
 */
async function digestAuthorization(params, user, password, method, uri) {
  const algorithm = (params.algorithm ?? "MD5").toUpperCase();
  const hashName = { MD5: "md5", "SHA-256": "sha256" }[algorithm];
  const qops = (params.qop ?? "").split(",").map((q) => q.trim()).filter(Boolean);
  if (hashName === undefined || params.nonce === undefined || (qops.length && !qops.includes("auth")) || !globalThis.process?.versions?.node) return null;
  const { createHash } = await import("node:crypto");
  const h = (text) => createHash(hashName).update(text, "utf8").digest("hex");
  const realm = params.realm ?? "";
  const ha1 = h(`${user}:${realm}:${password}`);
  const ha2 = h(`${method}:${uri}`);
  const quote = (v) => `"${v.replace(/["\\]/g, "\\$&")}"`;
  const fields = [`username=${quote(user)}`, `realm=${quote(realm)}`, `nonce=${quote(params.nonce)}`, `uri=${quote(uri)}`, `algorithm=${algorithm}`];
  if (qops.length) {
    const nc = "00000001";
    const cnonce = h(`refer-sim:${params.nonce}:${method}:${uri}`).slice(0, 16);
    fields.push(`qop=auth`, `nc=${nc}`, `cnonce=${quote(cnonce)}`, `response=${quote(h(`${ha1}:${params.nonce}:${nc}:${cnonce}:auth:${ha2}`))}`);
  } else {
    fields.push(`response=${quote(h(`${ha1}:${params.nonce}:${ha2}`))}`);
  }
  if (params.opaque !== undefined) fields.push(`opaque=${quote(params.opaque)}`);
  return `Digest ${fields.join(", ")}`;
}

/** The redirect statuses Twilio follows: "Twilio will only follow redirects for status codes
 * 301, 302, 303, and 307" (`error.11216` in src/sources.md). Any other 3xx, or one of these
 * without a `Location`, is Twilio's 11216, which the simulation shows. */
const FOLLOWED = [301, 302, 303, 307];

/** How many redirects in a row `liveApp` follows before giving up as Twilio does with 11215
 * ("HTTP too many redirects", `error.11215`). [assumed: the page names no number] */
export const MAX_REDIRECTS = 10;

/** The most bytes of an answer's body `liveApp` reads (1 MiB, as `MAX_ANSWER_TWIML_BYTES` in
 * src/scenario/input.rs): past it the answer carries `bodyOver` and the body's first part, and
 * the timeline shows Twilio's 11750 for a 2xx TwiML answer (over 64 kB: "the response body is
 * larger than 64 kB", `error.11750`) without the rest being read. Ours. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** The body read so far (`chunks`, `size` bytes, at most MAX_ANSWER_BYTES + 1) as text: all of
 * it, or past the cap its first MAX_ANSWER_BYTES bytes, cut before a character split there,
 * and `over`. */
function bodyText(chunks, size) {
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c.subarray(0, size - at), at);
    at += Math.min(c.length, size - at);
  }
  if (size <= MAX_ANSWER_BYTES) return { body: new TextDecoder("utf-8", { ignoreBOM: true }).decode(all) };
  // Whole characters only, within the cap once written as UTF-8 (a malformed byte becomes U+FFFD).
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(all.subarray(0, MAX_ANSWER_BYTES));
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(MAX_ANSWER_BYTES));
  return { body: text.slice(0, read), over: MAX_ANSWER_BYTES };
}

/**
 * One HTTP exchange without following redirects: `{ status, location, authenticate, body, over }`.
 * The body is read up to MAX_ANSWER_BYTES + 1 bytes and no further (`over`: it was longer).
 * Node: node:http / node:https, which send `Host` as given. Elsewhere: `fetch`.
 */
async function exchange(url, method, headers, body, signal) {
  const node = globalThis.process?.versions?.node ? await import(url.startsWith("https:") ? "node:https" : "node:http") : null;
  if (node === null) {
    const response = await fetch(url, { method, headers, body, signal, redirect: "manual" });
    const chunks = [];
    let size = 0;
    const reader = response.body?.getReader();
    while (reader !== undefined && size <= MAX_ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
    if (size > MAX_ANSWER_BYTES) await reader.cancel();
    const read = bodyText(chunks, Math.min(size, MAX_ANSWER_BYTES + 1));
    return { status: response.status, location: response.headers.get("location"), authenticate: response.headers.get("www-authenticate"), contentType: response.headers.get("content-type"), ...read };
  }
  return new Promise((resolve, reject) => {
    const request = node.request(url, { method, headers, signal }, (response) => {
      const chunks = [];
      let size = 0;
      const done = () => {
        const h = response.headers;
        resolve({ status: response.statusCode, location: h.location ?? null, authenticate: h["www-authenticate"] ?? null, contentType: h["content-type"] ?? null, ...bodyText(chunks, Math.min(size, MAX_ANSWER_BYTES + 1)) });
      };
      response.on("data", (chunk) => {
        chunks.push(chunk);
        size += chunk.length;
        // Past the cap: stop reading (the rest is never buffered) and answer with what was read.
        if (size > MAX_ANSWER_BYTES) {
          response.removeAllListeners("data");
          response.removeAllListeners("end");
          request.destroy();
          done();
        }
      });
      response.on("error", (e) => (size > MAX_ANSWER_BYTES ? undefined : reject(e)));
      response.on("end", done);
    });
    request.on("error", (e) => {
      // A TLS failure from the socket (https:// to a plain HTTP server) comes as EPROTO with
      // OpenSSL's reason in the message; named as Node's TLS errors are (and as `fetch` names
      // it): ERR_SSL_WRONG_VERSION_NUMBER.
      const reason = e?.code === "EPROTO" ? /SSL routines:[^:]*:([a-z ]+):/.exec(e.message)?.[1] : undefined;
      reject(reason ? Object.assign(e, { code: `ERR_SSL_${reason.toUpperCase().replace(/ /g, "_")}` }) : e);
    });
    request.end(body);
  });
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
 *   Each request names the URL Twilio requests in `Host` (its host), and in
 *   `X-Forwarded-Proto` its scheme when that differs from `app`'s, as a TLS-terminating proxy in
 *   front of your server would (so `twilio.webhook(token)` validates with Express's
 *   `trust proxy` set); with `signedUrl: "sent"`, `Host` is `app`'s.
 *   A redirect (301, 302, 303, 307 with `Location`) is followed, up to MAX_REDIRECTS in a row
 *   (past that the run throws `too_many_redirects`: Twilio's 11215); the answer carries them as a
 *   non-enumerable `redirects` (`[{ status, from, to }]`).
 *   A URL with credentials is first requested without them; a 401 with a `Basic` or `Digest`
 *   challenge is answered with the same request and `Authorization` (Digest: MD5 or SHA-256,
 *   `qop="auth"` or none, in Node only); otherwise the 401 is the answer.
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
    try {
      serverUrl(app, requested);
    } catch {
      // A relative URL left as written: Twilio resolves it against the URL of the document that
      // named it, and refer-sim had none (an initialTwiml has no URL), so its path is unknown.
      throw failure(
        "bad_app_url",
        `the ${request.purpose} request goes to ${JSON.stringify(requested)}, a relative URL: Twilio resolves it against the URL of the TwiML document that named it, and refer-sim has none to resolve it against (a scenario's initialTwiml has no URL), so it cannot tell which path it names on ${app}; write the absolute URL (such as https://example.com${requested.startsWith("/") ? "" : "/"}${requested}), whose path and query refer-sim sends to ${app}`,
      );
    }
    const started = performance.now();
    const timer = AbortSignal.timeout(timeoutMs);
    const redirects = [];
    let method = request.method;
    let target = requested;
    let params = post ? request.params : null;
    let body = post ? request.body : undefined;
    try {
      for (;;) {
        const url = serverUrl(app, target);
        const signed = signedUrl === "sent" ? url : requestedUrl(target);
        const headers = { Host: new URL(signed).host, "User-Agent": TWILIO_USER_AGENT, Accept: "*/*" };
        const scheme = new URL(signed).protocol;
        if (scheme !== new URL(url).protocol) headers["X-Forwarded-Proto"] = scheme.slice(0, -1);
        if (body !== undefined) {
          headers["Content-Type"] = "application/x-www-form-urlencoded";
          headers["Content-Length"] = String(new TextEncoder().encode(body).length);
        }
        if (authToken !== undefined) headers["X-Twilio-Signature"] = await twilioSignature(authToken, signed, params);
        let answer = await exchange(url, method, headers, body, timer);
        // HTTP authentication: the same request again with credentials, once challenged.
        const asked = answer.status === 401 ? challenge(answer.authenticate) : null;
        const login = asked === null ? null : credentials(target);
        if (login !== null) {
          const { pathname, search } = new URL(url);
          const authorization =
            asked.scheme === "basic" ? basicAuthorization(target) : asked.scheme === "digest" ? await digestAuthorization(asked.params, login.user, login.password, method, pathname + search) : null;
          if (authorization !== null) answer = await exchange(url, method, { ...headers, Authorization: authorization }, body, timer);
        }
        if (!FOLLOWED.includes(answer.status) || !answer.location) {
          const latencyMs = Math.round(performance.now() - started);
          // Its Content-Type decides what Twilio does with the body (null: the server sent none, 12300).
          const reply = { status: answer.status, latencyMs, twiml: answer.body, contentType: answer.contentType };
          // After redirects the answer is the last URL's, requested with the last hop's method:
          // the timeline names that URL (it named the first).
          const last = redirects.at(-1);
          if (last !== undefined) Object.assign(reply, { redirectedTo: last.to, redirectedMethod: last.method });
          if (answer.over !== undefined) reply.bodyOver = answer.over;
          return Object.defineProperty(reply, "redirects", { value: redirects, enumerable: false });
        }
        const next = new URL(answer.location, requestedUrl(target)).href;
        if (redirects.length === MAX_REDIRECTS) {
          throw failure(
            "too_many_redirects",
            `${request.method} ${requested} was redirected ${MAX_REDIRECTS} times in a row (the last to ${next}): Twilio gives up on such a chain with error 11215 (HTTP too many redirects; after how many is not documented, refer-sim stops at ${MAX_REDIRECTS}); look for a redirect loop`,
          );
        }
        // 307 repeats the request; 303 (and 301/302 after a POST, as browsers and fetch do:
        // RFC 9110 §15.4.2-4 allow it) becomes a GET of the new URL, without a body. [assumed]
        if (answer.status === 303 || (answer.status !== 307 && method === "POST")) {
          method = "GET";
          params = null;
          body = undefined;
        }
        // `method`: how `to` was requested, so that what its answer says names that request.
        redirects.push({ status: answer.status, from: target, to: next, method });
        target = next;
      }
    } catch (e) {
      if (e?.code === "too_many_redirects") throw e;
      if (timer.aborted) {
        // Twilio stopped waiting at 15 s: any latency past that gives its timeout (11205).
        if (timeoutMs > TWILIO_WEBHOOK_TIMEOUT_MS) return { unreachable: true, latencyMs: timeoutMs };
        throw failure("app_timeout", `${request.method} ${serverUrl(app, requested)} did not answer within ${timeoutMs} ms (your timeoutMs, below Twilio's 15 s webhook timeout)`, "options.timeoutMs");
      }
      // The network's reason (ECONNREFUSED, a TLS error, ...) rides along, not enumerable, so the
      // answer stays `{ unreachable, latencyMs }` for the simulation and a caller can say why.
      const cause = e?.cause ?? e;
      return Object.defineProperty({ unreachable: true, latencyMs: Math.round(performance.now() - started) }, "cause", { value: cause, enumerable: false });
    }
  };
}
