// Types of refer-sim/server: sending Twilio's requests to a live HTTP server.
import type { WebhookRequest, AppBehaviour } from "./refer_sim.js";

/** The User-Agent header of each request. */
export const TWILIO_USER_AGENT: string;

/** X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + sorted POST names and values)). Pass no params for a GET. */
export function twilioSignature(authToken: string, url: string, params?: Record<string, string> | null): Promise<string>;

/** The URL on the server at `base` for a URL the scenario names (origin replaced, path and query kept). */
export function serverUrl(base: string, url: string): string;

export interface LiveAppOptions {
  app: string;
  authToken?: string;
  /** How long to wait for the server (default 16000); see SimulateAsyncOptions.timeoutMs. */
  timeoutMs?: number;
}

/** An answerer that forwards each request to the server and returns its status, body and measured latency. */
export function liveApp(options: LiveAppOptions): (request: WebhookRequest) => Promise<AppBehaviour>;
