// Types of refer-sim/server: sending Twilio's requests to a live HTTP server.
import type { WebhookRequest, AppBehaviour } from "./refer_sim.js";

/** The User-Agent header of each request. */
export const TWILIO_USER_AGENT: string;

/** X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + sorted POST names and values)). Pass no params for a GET. */
export function twilioSignature(authToken: string, url: string, params?: Record<string, string> | null): Promise<string>;

/** The URL on the server at `base` for a URL the scenario names (origin replaced, path and query kept). */
export function serverUrl(base: string, url: string): string;

/** The URL Twilio signs for a request to `url`: `url` exactly as written, without its `#` fragment (never sent) and without `user:password@`. */
export function requestedUrl(url: string): string;

/** `Basic ...`, the Authorization header answering a server's 401 challenge for a URL with credentials (`https://user:pass@host/path`), or null. */
export function basicAuthorization(url: string): string | null;

/** How many redirects in a row `liveApp` follows (10; Twilio documents no number). One more rejects with `too_many_redirects` (Twilio's error 11215). */
export const MAX_REDIRECTS: number;

/** The most bytes of a server's answer `liveApp` reads (1 MiB). A longer body is not read past it:
 * the answer carries its first part as `twiml` and `bodyOver: MAX_ANSWER_BYTES`, and the timeline
 * shows Twilio's 11750 (over 64 kB) for a 2xx TwiML answer, as for a whole body that size. */
export const MAX_ANSWER_BYTES: number;

/** A redirect `liveApp` followed: the status (301, 302, 303, 307), the URL redirected and the absolute URL it led to. */
export interface FollowedRedirect {
  status: number;
  from: string;
  to: string;
  /** How `to` was requested: a 303, or a 301/302 after a POST, becomes a GET; a 307 keeps the method. */
  method: "GET" | "POST";
}

export interface LiveAppOptions {
  /** Where the requests go: your server's origin (and path prefix); each request keeps the path and query the scenario names. */
  app: string;
  /** The account's auth token: each request carries X-Twilio-Signature. */
  authToken?: string;
  /**
   * Which URL the signature covers (only with `authToken`). `"requested"` (the default, as Twilio):
   * the URL the scenario names, your public URL such as https://pbx.example.com/refer (without a
   * `#` fragment), for a server validating with `twilio.webhook(token, { url })`, `{ host, protocol }`
   * or `validateRequest(token, sig, publicUrl, params)`, or `twilio.webhook(token)` alone (Host is
   * the public host; with Express's `trust proxy` set for an https:// URL). `"sent"`: the URL on `app`
   * the request goes to (http://127.0.0.1:3000/refer), also named in Host, for a server validating
   * against the URL it was reached at.
   */
  signedUrl?: "requested" | "sent";
  /** How long to wait for the server (default 16000); see SimulateAsyncOptions.timeoutMs. */
  timeoutMs?: number;
}

/**
 * An answerer that forwards each request to the server and returns its status, body and measured latency.
 * In Node, `Host` names the host of the URL Twilio requests (with `signedUrl: "sent"`, `app`'s) and
 * `X-Forwarded-Proto` its scheme when `app`'s differs, so `twilio.webhook(token)` validates behind
 * Express's `trust proxy`. Redirects (301, 302, 303, 307 with `Location`) are followed, listed in a
 * non-enumerable `redirects`, and the answer names the last URL in `redirectedTo` (with
 * `redirectedMethod`, how it was requested), so the timeline names the URL that answered; past
 * MAX_REDIRECTS the promise rejects with `too_many_redirects`. A body is read up to MAX_ANSWER_BYTES. A URL
 * with credentials answers a 401 `Basic` or `Digest` challenge (Digest in Node only).
 * When the server cannot be reached the answer is `{ unreachable: true, latencyMs }` with the network
 * error as a non-enumerable `cause` (`code` such as `ECONNREFUSED` or `ERR_SSL_WRONG_VERSION_NUMBER`, `message`).
 */
export function liveApp(options: LiveAppOptions): (request: WebhookRequest) => Promise<AppBehaviour & { readonly cause?: unknown; readonly redirects?: FollowedRedirect[] }>;
