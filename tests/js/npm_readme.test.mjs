// Every code block of the npm README (pkg/README.md, what an installer reads)
// runs as written: each ```js block as a module inside the repository, so
// "refer-sim" resolves like a user's import; each ```sh block in a scratch
// directory with `npx refer-sim` running the package's bin. Only the
// `npm install` line is not run (the package is installed already).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { runExample } from "./gen/run_example.mjs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";

const root = new URL("../../", import.meta.url);
const readme = readFileSync(new URL("pkg/README.md", root), "utf8");
const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));
const manifest = createRequire(import.meta.url).resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);

test("the npm README shows each thing the package does, with code", () => {
  assert.deepEqual([...new Set(blocks.map((b) => b.lang))].sort(), ["js", "sh"]);
  const all = blocks.map((b) => b.code).join("\n");
  for (const name of ["simulate(", "simulateAsync(", "authToken", "pauseAtWebhooks", "respond(", "parseReferTo(", "checkTransfer(", "VoiceResponse", "refer-sim run", "refer-sim check"]) {
    assert.ok(all.includes(name), `an example uses ${name}`);
  }
  assert.doesNotMatch(readme, /make test|src\/|cargo /, "build and layout belong to the repository README");
  assert.match(readme, /make play/);
});

blocks.forEach(({ lang, code }, i) => {
  if (lang === "js") {
    test(`npm README example ${i + 1} (js) runs`, () => runExample(code, `npm_${i + 1}`));
    return;
  }
  const script = code.split("\n").filter((line) => !line.startsWith("npm install")).join("\n");
  if (!script.trim()) return;
  test(`npm README example ${i + 1} (sh) runs`, () => {
    const dir = mkdtempSync(join(tmpdir(), "refer-sim-readme-"));
    try {
      const shell = `set -e\nnpx() { shift; node "$REFER_SIM_BIN" "$@"; }\n${script}`;
      const out = execFileSync("sh", ["-c", shell], { cwd: dir, env: { ...process.env, REFER_SIM_BIN: bin }, stdio: "pipe" }).toString();
      if (script.includes('|| echo "exit status $?"')) assert.match(out, /exit status 1/, out);
      if (script.includes("--expect")) assert.doesNotMatch(out.replace(/[\s\S]*exit status 1/, ""), /✗/);
      if (script.includes("--json")) JSON.parse(readFileSync(join(dir, "timeline.json"), "utf8"));
    } catch (e) {
      assert.fail(`example ${i + 1} failed:\n${script}\n${e.stdout ?? ""}${e.stderr ?? ""}${e.message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
