// simulateAsync: a whole transfer whose application answers asynchronously,
// either an async `onWebhook` (a database lookup, your route handler) or a
// live HTTP server (`app` + `authToken`, see ./server.js). It drives a
// `Simulation` that pauses at each request Twilio makes and awaits the answer,
// so the timeline is the one `simulate` gives for the same answers.
import { Simulation } from "refer-sim";
import { liveApp } from "./server.js";

export { liveApp, twilioSignature, serverUrl, requestedUrl, basicAuthorization, MAX_REDIRECTS } from "./server.js";

const OPTIONS = ["onWebhook", "app", "authToken", "signedUrl", "timeoutMs"];

/**
 * Runs a scenario to its end, awaiting each answer.
 * @param {import("./refer_sim.js").Scenario | string} scenario
 * @param {{ onWebhook?: (request: import("./refer_sim.js").PendingRequest) => unknown, app?: string, authToken?: string, signedUrl?: "requested" | "sent", timeoutMs?: number }} [options]
 *   `onWebhook` may return a Promise of `{ status, latencyMs, twiml }`, `{ unreachable: true }`,
 *   or nothing (the scenario's `app` entry answers); `app` sends every request to that server instead,
 *   signed with `authToken` over the URL the scenario names (Twilio's), or over the URL sent to
 *   with `signedUrl: "sent"` (see ./server.js liveApp).
 * @returns {Promise<import("./refer_sim.js").Timeline>}
 */
export async function simulateAsync(scenario, options = {}) {
  if (options === null || typeof options !== "object") throw badOptions("options: expected an object", "options");
  const unknown = Object.keys(options).filter((k) => !OPTIONS.includes(k));
  if (unknown.length) throw badOptions(`options.${unknown[0]} is not an option; expected one of ${OPTIONS.join(", ")}`, `options.${unknown[0]}`);
  const { onWebhook, app, authToken, signedUrl, timeoutMs } = options;
  if (onWebhook !== undefined && typeof onWebhook !== "function") throw badOptions("options.onWebhook: expected a function", "options.onWebhook");
  if (onWebhook !== undefined && app !== undefined) throw badOptions("options: give onWebhook or app, not both", "options.app");
  // Both only act on requests sent to a live server: without `app` they would be ignored.
  if (app === undefined && authToken !== undefined) throw badOptions("options.authToken signs the requests sent to options.app; give app too (an onWebhook handler gets no signed request)", "options.authToken");
  if (app === undefined && signedUrl !== undefined) throw badOptions("options.signedUrl says which URL signs the requests sent to options.app; give app and authToken too", "options.signedUrl");
  if (app === undefined && timeoutMs !== undefined) throw badOptions("options.timeoutMs is how long refer-sim waits for the server at options.app; give app too", "options.timeoutMs");
  const answer = app !== undefined ? liveApp({ app, authToken, signedUrl, timeoutMs }) : onWebhook;
  const sim = new Simulation(scenario, { pauseAtWebhooks: true });
  try {
    for (;;) {
      const request = sim.pending();
      if (request !== null) {
        const answered = answer === undefined ? undefined : await answer(request);
        try {
          sim.respond(answered);
        } catch (e) {
          // The module words it for a caller of respond(); here the answer is onWebhook's.
          // A new Error, so that its stack (what Node prints) says so too; code, offset and field kept.
          if (e?.code !== "bad_webhook_answer" || typeof e.message !== "string") throw e;
          const url = request.method === "GET" ? request.queryUrl : request.url;
          throw Object.assign(new Error(e.message.replace(/^respond's answer/, `onWebhook's answer to the ${request.purpose} request (${request.method} ${url})`)), e);
        }
      } else if (sim.step() === undefined) {
        return sim.timeline();
      }
    }
  } finally {
    sim.free();
  }
}

/** A `bad_options` Error shaped as the package's others (`ReferSimError`): `field` names the option. */
function badOptions(message, field) {
  return Object.assign(new Error(message), { code: "bad_options", offset: null, field });
}
