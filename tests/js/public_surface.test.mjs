// What a user of the package sees: the TypeScript types (what editors autocomplete from) declare
// no internal `__` export, and an input over a whole-scenario limit names the field to shorten.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { simulate, __forceTrapForTests } from "refer-sim";

const PKG = fileURLToPath(new URL("../../pkg/dist/", import.meta.url));
const REFER = { atMs: 1000, referTo: "<sip:AgentB@example.com>" };
const DIAL = `<Response><Dial referUrl="https://example.com/refer"><Sip>sip:AgentA@example.com</Sip></Dial></Response>`;

test("the package's types declare no __ export (test-only and internal calls stay out of autocomplete)", () => {
  for (const dts of ["refer_sim.d.ts", "refer_sim_parsers.d.ts"]) {
    const declared = [...readFileSync(join(PKG, dts), "utf8").matchAll(/^export (?:declare )?(?:function|const|class|let) (__\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(declared, [], `${dts} declares ${declared.join(", ")}`);
  }
  // Still callable from JavaScript, for the trap-healing tests.
  assert.throws(() => __forceTrapForTests(), (e) => e.code === "internal");
});

test("a scenario over 1 MiB names its longest value: a 10 MB initialTwiml is field initialTwiml", () => {
  const big = `<Response><Say>${"x".repeat(10_000_000)}</Say></Response>`;
  const check = (e, field) => {
    assert.equal(e.code, "too_large");
    assert.equal(e.field, field);
    assert.match(e.message, new RegExp(`^${field.replace(/[[\]".]/g, "\\$&")}: 10000032 bytes as JSON text, making the scenario \\d+ bytes, over the limit of 1048576 \\(1 MiB\\)$`));
    return true;
  };
  assert.throws(() => simulate({ initialTwiml: big, refer: REFER }), (e) => check(e, "initialTwiml"));
  assert.throws(() => simulate(JSON.stringify({ initialTwiml: DIAL, refer: REFER, app: { "https://example.com/refer": { twiml: big } } })), (e) =>
    check(e, 'app["https://example.com/refer"].twiml'),
  );
});

test("refer-sim run names the field of a scenario file over 1 MiB", () => {
  const dir = mkdtempSync(join(tmpdir(), "refer-sim-large-"));
  try {
    const file = join(dir, "big.json");
    writeFileSync(file, JSON.stringify({ initialTwiml: `<Response><Say>${"x".repeat(2_000_000)}</Say></Response>`, refer: REFER }));
    const run = spawnSync(process.execPath, [join(PKG, "cli.js"), "run", file], { encoding: "utf8" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^refer-sim: too_large \(initialTwiml\): initialTwiml: 2000032 bytes as JSON text/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
