// simulateAsync: a whole transfer whose application answers asynchronously,
// either an async `onWebhook` (a database lookup, your route handler) or a
// live HTTP server (`app` + `authToken`, see ./server.js). It drives a
// `Simulation` that pauses at each request Twilio makes and awaits the answer,
// so the timeline is the one `simulate` gives for the same answers.
import { Simulation } from "refer-sim";
import { liveApp } from "./server.js";
import { handlerFailed, sentUrl } from "./handler_error.js";

export { liveApp, twilioSignature, serverUrl, requestedUrl, basicAuthorization, MAX_REDIRECTS, MAX_ANSWER_BYTES } from "./server.js";

const OPTIONS = ["onWebhook", "app", "authToken", "signedUrl", "timeoutMs", "allowUntested"];

/** The requests whose answer Twilio does not read: a status or recording callback. */
export const CALLBACK_PURPOSES = new Set(["statusCallback", "recordingStatusCallback"]);

/**
 * The error a 500 answer says a handler threw, or null: the page a framework answers with when a
 * route handler throws instead of answering (Express's `<title>Error</title><pre>Error: boom<br>`,
 * or `<pre>Internal Server Error</pre>` with NODE_ENV=production; Fastify's
 * `{"statusCode":500,"error":"Internal Server Error","message":"boom"}`; a bare
 * `Internal Server Error`, as Koa's `ctx.onerror`, Hono's default `errorHandler` and a Next.js
 * pages API route in production send; Next.js's own error page, `<title>500: Internal Server
 * Error</title>`, which its development server renders for an API route that threw: read from
 * its source, not run). A 500 the handler sent itself
 * (`res.status(500).send("database down")`) is an answer, and null. node:http has no error page:
 * a listener that throws ends the process, and the request is unreachable (`notTested`).
 * @param {unknown} answer
 * @returns {string | null}
 */
export function handlerThrew(answer) {
  if (answer === null || typeof answer !== "object" || answer.status !== 500 || typeof answer.twiml !== "string") return null;
  const body = answer.twiml;
  const pre = /<title>Error<\/title>[\s\S]*?<pre>([\s\S]*?)(?:<br>|<\/pre>)/i.exec(body);
  if (pre !== null) {
    const named = { amp: "&", lt: "<", gt: ">", quot: '"', nbsp: " " };
    return pre[1].replace(/&(#\d+|[a-z]+);/gi, (m, e) => (e[0] === "#" ? String.fromCodePoint(Number(e.slice(1))) : named[e.toLowerCase()] ?? m)).trim();
  }
  if (body.trim() === "Internal Server Error" || /<title>500: Internal Server Error<\/title>/.test(body)) return "Internal Server Error";
  try {
    const j = JSON.parse(body);
    if (j?.statusCode === 500 && j.error === "Internal Server Error") return String(j.message ?? j.error);
  } catch {
    // not JSON
  }
  return null;
}

/**
 * Why a live server's answer to `request` means the handler meant to answer it never ran (or
 * threw), or null: the server could not be reached (a network error, `unreachable` with a
 * `cause`: not a silence past Twilio's 15 s, which is a tested answer), it turned the request
 * away at the door (401, 403, 404, 405, or 400 to an unsigned request, as `twilio.webhook()`
 * answers one without a signature), or the handler threw (a 500 with the framework's error page,
 * `handlerThrew`). A door status whose answer is TwiML (an XML type and a `<Response>`) came from
 * a handler, as does any answer to a status callback (Twilio does not read it).
 * @returns {null | { url: string, method: string, purpose: string, status: number | null, reason: string }}
 */
export function notTested(request, answer, authToken) {
  if (CALLBACK_PURPOSES.has(request.purpose) || answer === null || typeof answer !== "object") return null;
  const url = sentUrl(request);
  const at = { url, method: request.method, purpose: request.purpose };
  if (answer.unreachable) {
    if (answer.cause === undefined) return null;
    const reason = answer.cause?.code ?? String(answer.cause?.message ?? "").split("\n")[0];
    return { ...at, status: null, reason: `could not be reached${reason ? ` (${reason})` : ""}` };
  }
  const threw = handlerThrew(answer);
  if (threw !== null) return { ...at, status: 500, reason: `answered 500: your handler threw (${threw.split("\n")[0]})` };
  const door = [401, 403, 404, 405].includes(answer.status) || (answer.status === 400 && !authToken);
  const twiml = /xml/i.test(answer.contentType ?? "") && /<Response[\s/>]/.test(answer.twiml ?? "");
  if (!door || twiml) return null;
  const unsigned = answer.status === 400 ? " (the request was not signed: give authToken)" : "";
  return { ...at, status: answer.status, reason: `answered ${answer.status} before any handler ran${unsigned}` };
}

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
  const { onWebhook, app, authToken, signedUrl, timeoutMs, allowUntested } = options;
  if (onWebhook !== undefined && typeof onWebhook !== "function") throw badOptions("options.onWebhook: expected a function", "options.onWebhook");
  if (onWebhook !== undefined && app !== undefined) throw badOptions("options: give onWebhook or app, not both", "options.app");
  // Both only act on requests sent to a live server: without `app` they would be ignored.
  if (app === undefined && authToken !== undefined) throw badOptions("options.authToken signs the requests sent to options.app; give app too (an onWebhook handler gets no signed request)", "options.authToken");
  if (app === undefined && signedUrl !== undefined) throw badOptions("options.signedUrl says which URL signs the requests sent to options.app; give app and authToken too", "options.signedUrl");
  if (app === undefined && timeoutMs !== undefined) throw badOptions("options.timeoutMs is how long refer-sim waits for the server at options.app; give app too", "options.timeoutMs");
  if (allowUntested !== undefined && typeof allowUntested !== "boolean") throw badOptions("options.allowUntested: expected true or false", "options.allowUntested");
  if (app === undefined && allowUntested !== undefined) throw badOptions("options.allowUntested is about requests sent to options.app; give app too", "options.allowUntested");
  const answer = app !== undefined ? liveApp({ app, authToken, signedUrl, timeoutMs }) : onWebhook;
  const sim = new Simulation(scenario, { pauseAtWebhooks: true });
  /** With `app`: the TwiML requests that never reached a handler. */
  const untested = [];
  try {
    for (;;) {
      const request = sim.pending();
      if (request !== null) {
        const answered = answer === undefined ? undefined : app === undefined ? await handled(onWebhook, request, sim) : await answer(request);
        const missed = app === undefined ? null : notTested(request, answered, authToken);
        if (missed !== null) untested.push(missed);
        try {
          sim.respond(answered);
        } catch (e) {
          // The module words it for a caller of respond(); here the answer is onWebhook's, or the
          // server's at app (its redirectedTo: where its redirects ended, such as a Location over 2,048 bytes).
          // A new Error, so that its stack (what Node prints) says so too; code, offset and field kept.
          if (e?.code !== "bad_webhook_answer" || typeof e.message !== "string") throw e;
          const url = sentUrl(request);
          const whose = app === undefined ? "onWebhook's answer" : `the answer from ${app}`;
          const where = app !== undefined && e.field === "redirectedTo" ? " (the URL its redirects ended at)" : "";
          throw Object.assign(new Error(e.message.replace(/^respond's answer/, `${whose} to the ${request.purpose} request (${request.method} ${url})`) + where), e);
        }
      } else if (sim.step() === undefined) {
        const timeline = sim.timeline();
        if (app === undefined) return timeline;
        // A test of the answerOnBridge-true fallback passes against a server that is down or
        // refuses every request, as a failed referUrl gives that fallback: say so, unless asked not to.
        if (untested.length > 0 && allowUntested !== true) {
          const list = untested.map((u) => `${u.method} ${u.url} (${u.purpose}) ${u.reason}`).join("; ");
          throw Object.assign(
            new Error(`options.app: your handler was not tested: ${list}. The timeline (on this error's \`timeline\`) shows what Twilio does then; pass allowUntested: true if that failure is what you test`),
            { code: "app_untested", offset: null, field: "options.app", timeline, untested },
          );
        }
        return Object.assign(timeline, { untested });
      }
    }
  } finally {
    sim.free();
  }
}

/**
 * `onWebhook(request)` awaited; when it throws or rejects, a `webhook_handler_failed` Error that
 * says which request it was answering (purpose, method, URL), when (the simulated time and the
 * step that requested it), with the handler's own error as `cause` and the request as `request`.
 */
async function handled(onWebhook, request, sim) {
  try {
    return await onWebhook(request);
  } catch (e) {
    return Promise.reject(handlerFailed(e, request, `, sent at ${request.atMs} ms (step ${sim.steps().length})`));
  }
}

/** A `bad_options` Error shaped as the package's others (`ReferSimError`): `field` names the option. */
function badOptions(message, field) {
  return Object.assign(new Error(message), { code: "bad_options", offset: null, field });
}
