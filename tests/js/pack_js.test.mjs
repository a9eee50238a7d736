// The package ships its JavaScript without comments (scripts/pack_js.mjs, run by scripts/build.sh):
// the strip finds comments with a real parser, so text that only looks like one (in a string, a
// template, a regular expression) stays; line numbers stay, so a stack frame of a shipped file
// names its source line; and what `refer-sim` loads is the stripped copy in pkg/dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parseSync } from "rolldown/experimental";
import { simulate, scenarios } from "refer-sim";
import { strip } from "../../scripts/pack_js.mjs";

const PKG = new URL("../../pkg/", import.meta.url);
const DIST = new URL("dist/", PKG);

test("strip removes comments anywhere and keeps strings, templates and regular expressions that hold comment marks", () => {
  const source = [
    "#!/usr/bin/env node",
    "/* @ts-self-types=\"./x.d.ts\" */",
    "// a whole-line comment",
    "/** a doc",
    " * over lines */",
    "export const s = \"// not a comment\", t = '/* nor this */'; // trailing",
    "export const r = /\\/\\*+[^*]*\\*\\//g, d = 4 / 2 / 1; /* after */",
    "export const u = `first",
    "    // kept: inside a template",
    "  ${/* gone */ 1 + 1} /* kept */`;",
    "export const c = \"a\\",
    "    b\";",
    "export const p = /*#__PURE__*/ Object.freeze({ a/* one space */: 1 });",
    "/** @param {number} n */ export const f = (n) => n; /*! kept */",
    "    export const last = 1;   ",
    "",
  ].join("\n");
  const out = strip("case.js", source);
  assert.equal(out, [
    "#!/usr/bin/env node",
    "/* @ts-self-types=\"./x.d.ts\" */",
    "",
    "",
    "",
    "export const s = \"// not a comment\", t = '/* nor this */';",
    "export const r = /\\/\\*+[^*]*\\*\\//g, d = 4 / 2 / 1;",
    "export const u = `first",
    "    // kept: inside a template",
    "  ${  1 + 1} /* kept */`;",
    "export const c = \"a\\",
    "    b\";",
    "export const p = /*#__PURE__*/ Object.freeze({ a : 1 });",
    "export const f = (n) => n; /*! kept */",
    "export const last = 1;",
    "",
  ].join("\n"));
});

test("strip refuses what does not parse", () => {
  assert.throws(() => strip("bad.js", "export const a = ;"), /pack_js: bad\.js does not parse/);
});

test("every pkg/*.js is shipped from pkg/dist/ without comments, line for line", () => {
  const sources = readdirSync(PKG).filter((f) => f.endsWith(".js"));
  assert.ok(sources.includes("index.js") && sources.includes("cli.js"));
  for (const file of sources) {
    const source = readFileSync(new URL(file, PKG), "utf8");
    const shipped = readFileSync(new URL(file, DIST), "utf8");
    const { comments, errors } = parseSync(file, shipped, { sourceType: "module", lang: "js" });
    assert.deepEqual(errors, []);
    assert.deepEqual(comments.filter((c) => !(c.start === 0 && shipped.startsWith("#!"))).map((c) => c.value), [], `${file} ships comments`);
    // Line n of the shipped file is line n of the source, without comments and blanks at its ends.
    const lines = shipped.split("\n");
    const sourceLines = source.split("\n");
    assert.ok(lines.length <= sourceLines.length, file);
    lines.forEach((line, i) => assert.ok(line === "" || sourceLines[i].includes(line.split(/\s/)[0]), `${file}:${i + 1}`));
    assert.ok(shipped.length < source.length, `${file}: ${shipped.length} of ${source.length} characters`);
  }
});

test("refer-sim resolves to the shipped copies, and a thrown error's frame names its source line", () => {
  const require = createRequire(import.meta.url);
  const manifest = JSON.parse(readFileSync(require.resolve("refer-sim/package.json"), "utf8"));
  assert.equal(manifest.exports["."].node, "./dist/node.js");
  // The shipped code is dist/'s; beside it only the license texts (tests/package checks the tarball).
  assert.deepEqual(manifest.files, ["dist/", "LICENSE-MIT", "LICENSE-APACHE"]);
  let error;
  try {
    simulate(scenarios()[0].scenario, { notAnOption: true });
  } catch (e) {
    error = e;
  }
  assert.match(error.message, /^options\.notAnOption is not an option/);
  const frame = error.stack.split("\n").find((l) => /^\s*at /.test(l));
  const [, path, line] = frame.match(/\((.*):(\d+):\d+\)$/) ?? frame.match(/at (.*):(\d+):\d+$/);
  assert.equal(path, new URL("index.js", DIST).href);
  const sourceLine = readFileSync(new URL("index.js", PKG), "utf8").split("\n")[line - 1];
  assert.match(sourceLine, /new Error\(`options\.\$\{key\} is not an option/);
});
