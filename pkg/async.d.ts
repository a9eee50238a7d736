// Types of refer-sim/async: simulateAsync, for an application that answers asynchronously.
import type { Scenario, Timeline, PendingRequest, WebhookAnswer } from "./refer_sim.js";
export { liveApp, twilioSignature, serverUrl, requestedUrl, basicAuthorization, LiveAppOptions, FollowedRedirect, MAX_REDIRECTS } from "./server.js";

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
  /** How long refer-sim waits for the server (default 16000, at most 600000). Past Twilio's 15 s webhook timeout the answer no longer matters (the timeline shows 11205); below 15000 it is your own limit and the run rejects with `app_timeout`. */
  timeoutMs?: number;
}

/**
 * Runs a scenario to its end, awaiting each answer. Rejects with a `ReferSimError` whose `code`
 * says why: the scenario's own (`bad_scenario`, ... with `field`), `bad_options` (`field` names the
 * option, `options.timeoutMs`, `options.signedUrl`), `bad_webhook_answer` (an onWebhook answer of the wrong shape; the
 * message names the request), `bad_app_url` (a relative URL cannot be sent to `app`: write it
 * absolute), `app_timeout` (your `timeoutMs`, below 15000, passed) or `too_many_redirects` (the
 * server at `app` redirected more than MAX_REDIRECTS times in a row: Twilio's error 11215).
 */
export function simulateAsync(scenario: Scenario | string, options?: SimulateAsyncOptions): Promise<Timeline>;
