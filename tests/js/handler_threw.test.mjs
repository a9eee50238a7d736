// handlerThrew: which 500 answers are a framework's error page (the handler threw, so it was not
// tested) and which are a handler's own answer. The pages are the ones the frameworks' sources
// write (Koa lib/context.js ctx.onerror, Hono src/hono-base.ts errorHandler, Next.js
// packages/next/src/server/api-utils/node/api-resolver.ts sendError and pages/_error.tsx);
// node:http has none: a listener that throws ends the server process (checked here for real).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { scenarios } from "refer-sim";
import { handlerThrew, simulateAsync } from "refer-sim/async";

const at500 = (twiml, contentType = "text/plain; charset=utf-8") => ({ status: 500, twiml, contentType });

test("the bare text Koa, Hono and a production Next.js API route answer, and Next.js's error page", () => {
  // Koa: ctx.onerror writes statuses[500] as text/plain unless the error is `expose`d.
  assert.equal(handlerThrew(at500("Internal Server Error")), "Internal Server Error");
  // Next.js `next dev`: the pages router's _error page for status 500.
  const next = '<!DOCTYPE html><html><head><meta charSet="utf-8"/><title>500: Internal Server Error</title></head><body><div id="__next"><div style="font-family:system-ui"><div><style>body{color:#000}</style><h1 class="next-error-h1" style="display:inline-block">500</h1><div style="display:inline-block;text-align:left"><h2 style="font-size:14px">Internal Server Error<!-- -->.</h2></div></div></div></div></body></html>';
  assert.equal(handlerThrew(at500(next, "text/html; charset=utf-8")), "Internal Server Error");
  // A handler's own 500 is an answer: its own words, or a page of its own.
  for (const own of ["database down", "<html><title>Sorry</title><body>500: Internal Server Error, try later</body></html>", '{"message":"Internal Server Error"}']) {
    assert.equal(handlerThrew(at500(own)), null, own);
  }
  // Only a 500 is a thrown handler's page.
  assert.equal(handlerThrew({ status: 502, twiml: "Internal Server Error" }), null);
});

test("a node:http server whose listener throws ends its process: the request could not be reached, so it was not tested", async () => {
  // The server runs in its own process: the throw is an uncaught exception there.
  const child = spawn(process.execPath, ["--input-type=module", "-e", `
    import { createServer } from "node:http";
    const s = createServer(() => { throw new TypeError("agent is undefined"); });
    s.listen(0, "127.0.0.1", () => console.log(s.address().port));
  `], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const port = await new Promise((resolve, reject) => {
      child.stdout.once("data", (d) => resolve(Number(String(d).trim())));
      child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    const { scenario } = scenarios().find((e) => e.id === "agentb-answers-aob-true");
    await assert.rejects(simulateAsync(scenario, { app: `http://127.0.0.1:${port}` }), (e) => {
      assert.equal(e.code, "app_untested");
      assert.equal(e.untested[0].status, null);
      assert.match(e.untested[0].reason, /^could not be reached \((ECONNRESET|socket hang up)\)$/);
      return true;
    });
    const exited = child.exitCode ?? (await new Promise((r) => child.once("exit", r)));
    assert.notEqual(exited, 0);
  } finally {
    child.kill();
  }
});
