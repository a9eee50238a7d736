// Runs one documentation example as an ES module, written inside the repository
// so that "refer-sim" resolves like a user's import; shared by the README tests.
import assert from "node:assert/strict";
import { writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";

const root = new URL("../../../", import.meta.url);

/** Runs `code` as tests/js/.readme_example_<name>.mjs; fails the test with its stderr. */
export function runExample(code, name) {
  const file = new URL(`tests/js/.readme_example_${name}.mjs`, root);
  writeFileSync(file, code);
  try {
    execFileSync(process.execPath, [file.pathname], { stdio: "pipe" });
  } catch (e) {
    assert.fail(`example ${name} failed:\n${code}\n${e.stderr}`);
  } finally {
    rmSync(file, { force: true });
  }
}
