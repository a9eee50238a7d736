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

/** `Basic ...`, the Authorization header sent for a URL with credentials (`https://user:pass@host/path`), or null. */
export function basicAuthorization(url: string): string | null;

export interface LiveAppOptions {
  /** Where the requests go: your server's origin (and path prefix); each request keeps the path and query the scenario names. */
  app: string;
  /** The account's auth token: each request carries X-Twilio-Signature. */
  authToken?: string;
  /**
   * Which URL the signature covers (only with `authToken`). `"requested"` (the default, as Twilio):
   * the URL the scenario names, your public URL such as https://pbx.example.com/refer (without a
   * `#` fragment), for a server validating with `twilio.webhook(token, { url })`, `{ host, protocol }`
   * or `validateRequest(token, sig, publicUrl, params)`. `"sent"`: the URL on `app` the request goes
   * to (http://127.0.0.1:3000/refer), for a server validating against the URL it was reached at,
   * such as `twilio.webhook(token)` with no proxy in front.
   */
  signedUrl?: "requested" | "sent";
  /** How long to wait for the server (default 16000); see SimulateAsyncOptions.timeoutMs. */
  timeoutMs?: number;
}

/**
 * An answerer that forwards each request to the server and returns its status, body and measured latency.
 * When the server cannot be reached the answer is `{ unreachable: true, latencyMs }` with the network
 * error as a non-enumerable `cause` (`code` such as `ECONNREFUSED` or `ERR_SSL_WRONG_VERSION_NUMBER`, `message`).
 */
export function liveApp(options: LiveAppOptions): (request: WebhookRequest) => Promise<AppBehaviour & { readonly cause?: unknown }>;
