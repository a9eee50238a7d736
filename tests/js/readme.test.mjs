// Every ```js block of the README's "JavaScript API" section runs as written,
// against the built package, so the documentation cannot drift from the API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runExample } from "./gen/run_example.mjs";

const root = new URL("../../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const section = readme.slice(readme.indexOf("## JavaScript API"), readme.indexOf("\n## ", readme.indexOf("## JavaScript API") + 5));
const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test("the README documents each export with a runnable example", () => {
  assert.ok(blocks.length >= 5, `found ${blocks.length} examples`);
  for (const name of ["simulate", "Simulation", "scenarios", "parseReferTo", "parseTwiml", "checkTransfer", "VoiceResponse"]) {
    assert.ok(blocks.some((b) => b.includes(name)), `an example uses ${name}`);
  }
});

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs`, () => runExample(code, String(i + 1)));
});
