// Every ```js block of the README's "JavaScript API" section runs as written,
// against the built package, so the documentation cannot drift from the API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";

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
  test(`README example ${i + 1} runs`, () => {
    // Written inside the repository so that "refer-sim" resolves like a user's import.
    const file = new URL(`tests/js/.readme_example_${i + 1}.mjs`, root);
    writeFileSync(file, code);
    try {
      execFileSync(process.execPath, [file.pathname], { stdio: "pipe" });
    } catch (e) {
      assert.fail(`example ${i + 1} failed:\n${code}\n${e.stderr}`);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
