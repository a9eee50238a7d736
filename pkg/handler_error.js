// The error a throwing `onWebhook` gives, shared by `simulate` and `Simulation` (pkg/index.js) and
// `simulateAsync` (pkg/async.js), and the URL a request was sent to. A file of the package's own, not in package.json's `exports`.

/**
 * A `webhook_handler_failed` Error: which request the handler was answering (purpose, method,
 * URL), `when` it was sent (simulateAsync: ", sent at N ms (step S)"; a synchronous run has no
 * pause to read them at: ""), and why; `cause` is the handler's own error, `request` the request
 * object it got, `field` `options.onWebhook`.
 */
export function handlerFailed(e, request, when) {
  const url = sentUrl(request);
  const why = e instanceof Error ? `${e.name}: ${e.message}` : `it threw ${typeof e === "string" ? JSON.stringify(e) : String(e)}`;
  return Object.assign(
    new Error(`options.onWebhook threw while answering the ${request.purpose} request (${request.method} ${url})${when}: ${why}. Twilio never sees your handler fail like this; fix the handler, or return { status: 500 } to test what Twilio does with a server error`, { cause: e }),
    { code: "webhook_handler_failed", offset: null, field: "options.onWebhook", request },
  );
}

/** The URL a webhook request went to as sent: with its query string for a GET (`queryUrl`), else `url`. */
export function sentUrl(request) {
  return request.method === "GET" ? request.queryUrl : request.url;
}
