// The npm package as a user gets it: `npm pack` of pkg/, installed into a fresh
// temporary project, then used from Node ESM, a plain browser page, a Vite
// production build loaded in headless Chromium, and TypeScript (tsc --strict).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { startServer } from "../../scripts/serve.mjs";
import { launchChromium } from "../e2e/harness.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const consumer = fileURLToPath(new URL("./consumer/", import.meta.url));
const bin = (name) => join(repo, "node_modules", ".bin", name);
let project;
let tarball;

before(() => {
  project = mkdtempSync(join(tmpdir(), "refer-sim-consumer-"));
  const packed = JSON.parse(
    execFileSync("npm", ["pack", join(repo, "pkg"), "--json", "--pack-destination", project], { encoding: "utf8" }),
  );
  tarball = packed[0];
  cpSync(consumer, project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", join(project, tarball.filename)], {
    cwd: project,
    stdio: "inherit",
  });
});

after(() => rmSync(project, { recursive: true, force: true }));

test("the tarball holds exactly the package files, with the crate's version", () => {
  const files = tarball.files.map((f) => f.path).sort();
  // The shipped files are pkg/dist/'s (scripts/build.sh): each hand-written pkg/*.js, stripped, and no source.
  const shipped = [
    "async.d.ts", "async.js", "cli.js", "decode.js", "handler_error.js", "heal.js", "index.js", "node.js", "parsers.js", "parsers_node.js", "refer_sim.d.ts", "refer_sim.js",
    "refer_sim_bg.wasm", "refer_sim_bg.wasm.d.ts", "refer_sim_parsers.d.ts", "refer_sim_parsers.js", "refer_sim_parsers_bg.wasm", "refer_sim_parsers_bg.wasm.d.ts", "server.d.ts", "server.js", "twiml_shapes.js", "voice_response.js",
  ];
  assert.deepEqual(files, ["LICENSE-APACHE", "LICENSE-MIT", "README.md", ...shipped.map((f) => `dist/${f}`), "package.json"]);
  // The license texts of the package's "MIT OR Apache-2.0", as the repository holds them.
  for (const f of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(readFileSync(join(project, "node_modules/refer-sim", f)).equals(readFileSync(join(repo, f))), `${f} differs from the repository's`);
  }
  // What users install is byte for byte what the JS tests, the page and the benches ran (pkg/dist/).
  for (const f of shipped) {
    const installed = readFileSync(join(project, "node_modules/refer-sim/dist", f));
    assert.ok(installed.equals(readFileSync(join(repo, "pkg/dist", f))), `dist/${f} differs from pkg/dist/${f}`);
  }
  assert.doesNotMatch(readFileSync(join(project, "node_modules/refer-sim/dist/index.js"), "utf8"), /^\s*\/\//m, "index.js ships comments");
  const cargo = readFileSync(join(repo, "Cargo.toml"), "utf8");
  assert.equal(tarball.version, cargo.match(/^version = "(.*)"/m)[1]);
  const pkg = JSON.parse(readFileSync(join(project, "node_modules/refer-sim/package.json"), "utf8"));
  assert.equal(pkg.sideEffects, false);
  assert.equal(pkg.types, "./dist/refer_sim.d.ts");
  assert.ok(pkg.license);
});

test("Node 20 ESM: import and call, no init step", () => {
  const out = execFileSync(process.execPath, ["node_app.mjs", "<sip:AgentB@example.com;transport=tls>"], {
    cwd: project,
    encoding: "utf8",
  });
  const r = JSON.parse(out);
  assert.equal(r.host, "example.com");
  assert.equal(r.target, "<sip:AgentB@example.com;transport=tls>");
  assert.equal(r.error.name, "Error");
  assert.equal(r.error.code, "unterminated_angle");
  assert.equal(typeof r.error.offset, "number");
  assert.deepEqual(r.connected, [["caller", "transferor"]], "simulate works from the tarball");
});

test("the installed bin runs, and refer-sim/async imports from the tarball", () => {
  const cli = join(project, "node_modules", ".bin", "refer-sim");
  const out = execFileSync(cli, ["run", "agentb-answers-aob-true", "--expect", "connected=caller+target"], { cwd: project, encoding: "utf8" });
  assert.match(out, /✓ expect connected=caller\+target/);
  const script = 'const { simulateAsync } = await import("refer-sim/async"); const { scenarios } = await import("refer-sim");' +
    'const t = await simulateAsync(scenarios()[0].scenario, { onWebhook: async () => undefined }); console.log(t.steps.length);';
  assert.ok(Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8" })) > 5);
});

// A user's page, served without the playground's CSP (the plain page declares an inline import map).
async function pageText(mounts, path) {
  const { server, url } = await startServer({ port: 0, quiet: true, mounts, csp: null });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url + path);
    await page.waitForFunction(() => document.getElementById("out")?.textContent.length > 0, null, { timeout: 10_000 });
    assert.deepEqual(errors, []);
    return JSON.parse(await page.textContent("#out"));
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
}

test("a plain browser page: init() then the API", async () => {
  const r = await pageText([["/", project]], "browser.html");
  assert.deepEqual(r, { host: "example.sip.twilio.com", name: "Agent B", connected: [["caller", "target"]] });
});

test("a bundler: a Vite production build of a page that imports the package", async () => {
  const outDir = join(project, "dist");
  await build({ root: join(project, "vite"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
  const r = await pageText([["/", outDir]], "index.html");
  assert.equal(r.scheme, "tel");
  assert.equal(r.alert, 13802, "the simulator runs in the bundled page");
});

test("TypeScript: the declarations type-check a typed example under --strict", () => {
  execFileSync(
    bin("tsc"),
    ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "typed.ts"],
    { cwd: project, stdio: "inherit" },
  );
});
