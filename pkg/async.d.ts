// Types of refer-sim/async: simulateAsync, for an application that answers asynchronously.
import type { Scenario, Timeline, PendingRequest, WebhookAnswer } from "./refer_sim.js";
export { liveApp, twilioSignature, serverUrl, requestedUrl, basicAuthorization, LiveAppOptions, FollowedRedirect, MAX_REDIRECTS, MAX_ANSWER_BYTES } from "./server.js";

export interface SimulateAsyncOptions {
  /** Awaited for every request Twilio makes; return an answer, or nothing for the scenario's `app` entry. */
  onWebhook?: (request: PendingRequest) => WebhookAnswer | Promise<WebhookAnswer>;
  /** A live server: every request goes to this origin (path and query kept). Node, or a page the server allows by CORS. */
  app?: string;
  /** The account's auth token: each request to `app` carries X-Twilio-Signature (only with `app`). */
  authToken?: string;
  /**
   * Which URL the signature covers (only with `app` and `authToken`): `"requested"` (the default,
   * as Twilio: the URL the scenario names, your public URL) or `"sent"` (the URL on `app`, for a
   * server that validates against the URL it was reached at). See LiveAppOptions.signedUrl.
   */
  signedUrl?: "requested" | "sent";
  /**
   * Only with `app`. By default the run rejects with `app_untested` when a TwiML request never
   * reached a handler: the server could not be reached, or it answered 401, 403, 404, 405 (or 400
   * to an unsigned request) with no TwiML, before any handler ran. A failed referUrl gives the
   * answerOnBridge-true fallback, so a test of that fallback would pass against a server that is
   * down. `true` returns the timeline instead, with the same list in `untested`.
   */
  allowUntested?: boolean;
  /** How long refer-sim waits for the server (default 16000, at most 600000). Past Twilio's 15 s webhook timeout the answer no longer matters (the timeline shows 11205); below 15000 it is your own limit and the run rejects with `app_timeout`. */
  timeoutMs?: number;
}

/** A TwiML request sent to `app` that never reached a handler (see `allowUntested`). */
export interface UntestedRequest {
  /** The URL Twilio requests (the scenario's), with the query for a GET. */
  url: string;
  method: "GET" | "POST";
  /** `referUrl`, `action`, `redirect`, ... as the request's `purpose`. */
  purpose: string;
  /** The door's status (401, 403, 404, 405 or 400), 500 when the handler threw (`handlerThrew`), or null when the server could not be reached. */
  status: number | null;
  /** What happened, in words: `answered 403 before any handler ran`, `could not be reached (ECONNREFUSED)`. */
  reason: string;
}

/** The requests whose answer Twilio does not read (status and recording callbacks): never counted as untested. */
export const CALLBACK_PURPOSES: ReadonlySet<string>;

/**
 * The error a live server's 500 `answer` says its handler threw (the first line of Express's error
 * page, Fastify's `message`, or `Internal Server Error`), or null for any other answer, a 500 the
 * handler sent itself (`res.status(500).send("database down")`) included.
 */
export function handlerThrew(answer: unknown): string | null;

/**
 * Why a live server's `answer` to `request` means no handler ran (or it threw: status 500,
 * reason `answered 500: your handler threw (Error: boom)`), or null (see `allowUntested`).
 * The CLI's `run --app` uses it for its exit status 2.
 */
export function notTested(request: PendingRequest, answer: unknown, authToken?: string): UntestedRequest | null;

/**
 * Runs a scenario to its end, awaiting each answer. Rejects with a `ReferSimError` whose `code`
 * says why: the scenario's own (`bad_scenario`, ... with `field`), `bad_options` (`field` names the
 * option, `options.timeoutMs`, `options.signedUrl`), `bad_webhook_answer` (an onWebhook answer of the wrong shape; the
 * message names the request), `bad_app_url` (a relative URL cannot be sent to `app`: write it
 * absolute), `app_timeout` (your `timeoutMs`, below 15000, passed), `too_many_redirects` (the
 * server at `app` redirected more than MAX_REDIRECTS times in a row: Twilio's error 11215),
 * `webhook_handler_failed` (`onWebhook` threw or rejected: the message names the request's
 * purpose, method and URL, the simulated time and the step that sent it; `cause` is the
 * handler's own error, `request` the request, `field` `options.onWebhook`; `simulate` throws the
 * same for a synchronous handler, without the time and step, its `request` without `atMs`) or
 * `app_untested` (a TwiML request never reached your handler; the error carries `timeline` and
 * `untested`; see `allowUntested`). With `app`, the timeline has `untested` (empty when every
 * TwiML request reached a handler).
 */
export function simulateAsync(scenario: Scenario | string, options?: SimulateAsyncOptions): Promise<Timeline & { untested?: UntestedRequest[] }>;
