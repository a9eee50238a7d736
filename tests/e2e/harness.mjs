// Shared harness for the end-to-end tests: serves the playground on a free
// loopback port and drives Debian's Chromium through playwright-core.
// Each test gets its own browser context (its own storage, cache and pages, as a fresh
// profile); the Chromium process under them is shared by the tests of one file, which
// saves about 0.6 s of wall clock and 0.8 s of CPU per test over a launch each.
// Screenshots go to artifacts/screenshots/ (kept by CI as test artifacts).
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve.mjs";

export const SCREENSHOTS = new URL("../../artifacts/screenshots/", import.meta.url);

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
];

/** Launch Debian's Chromium headless with the flags this machine needs. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

// The file's one Chromium: launched by the first openPlayground, closed shortly after the last
// close (so the test process can end); a browser that died is launched again.
let shared = null;
async function acquireBrowser() {
  if (!shared) {
    const s = { users: 0, timer: null, browser: launchChromium() };
    s.browser.then((b) => b.on("disconnected", () => { if (shared === s) shared = null; }), () => { if (shared === s) shared = null; });
    shared = s;
  }
  const s = shared;
  clearTimeout(s.timer);
  s.users++;
  try {
    return { browser: await s.browser, release: () => releaseBrowser(s) };
  } catch (e) {
    s.users--;
    throw e;
  }
}
function releaseBrowser(s) {
  if (--s.users > 0) return;
  s.timer = setTimeout(() => {
    if (s.users > 0) return;
    if (shared === s) shared = null;
    s.browser.then((b) => b.close(), () => {});
  }, 100);
}

/**
 * Start the server and a fresh browser context (`readyTimeout`: how long the page may take to be ready); returns
 * `{ url, browser, page, close, shot }`. `browser` is the shared Chromium: a page opened with `browser.newPage()` gets
 * its own context and must be closed by the test.
 */
export async function openPlayground({ viewport = { width: 1280, height: 720 }, path = "", readyTimeout = 10_000 } = {}) {
  const { server, url } = await startServer({ port: 0, quiet: true });
  let acquired = null, context = null, closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await context?.close();
    } finally {
      acquired?.release();
      await new Promise((r) => server.close(r));
    }
  };
  try {
    acquired = await acquireBrowser();
    context = await acquired.browser.newContext({ viewport });
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    await page.goto(url + path);
    await page.waitForSelector("body[data-ready=true]", { timeout: readyTimeout });
    mkdirSync(SCREENSHOTS, { recursive: true });
    return {
      url, browser: acquired.browser, page, problems, close,
      shot: (name) => page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true }),
    };
  } catch (e) {
    // A page that never became ready leaves nothing behind (the test process can still end).
    await close().catch(() => {});
    throw e;
  }
}

/** Open the playground at `viewport` with the guided lesson on, in presenter mode (a trainer's projector); returns what `openPlayground` does. */
export async function presentLesson(viewport) {
  const pg = await openPlayground({ viewport });
  await pg.page.check("#lesson-toggle");
  await pg.page.click("#presenter-toggle");
  return pg;
}

/** Wait two animation frames: the ladder's deferred scroll and re-layout have run. */
export const settled = (page) => page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));

/**
 * Open catalogue scenario `id` at its first step; with `quiz`, the free quiz is ticked first
 * (left ticked if it already is), so the scenario opens with its steps held back.
 */
export async function openScenario(page, id, { quiz = false } = {}) {
  if (quiz && !(await page.isChecked("#training-toggle"))) await page.check("#training-toggle");
  await page.selectOption("#scenario-picker", id);
  await page.waitForFunction(() => document.body.dataset.step === "0");
}

/**
 * Step the free quiz on to its end, answering each question right (or pressing Next where
 * none is open); `look()` is called after each step and what it returns is kept when it
 * differs (by `key`) from the last kept. Returns the kept values.
 */
export async function walkQuiz(page, look, key = (v) => JSON.stringify(v)) {
  const seen = [];
  for (let guard = 0; guard < 80; guard++) {
    const right = await page.$('#training .choices button[data-correct="true"]');
    if (right) await right.click();
    else if (await page.isDisabled("#btn-next")) break;
    else await page.click("#btn-next");
    const v = await look();
    if (!seen.length || key(v) !== key(seen.at(-1))) seen.push(v);
  }
  return seen;
}

/**
 * Open, through a share link, catalogue scenario "webhook-executed-aob-true" with its referUrl
 * answering `body` as `contentType` (undefined: the key left out), and wait for the run.
 */
export async function openAnswered(page, url, body, contentType) {
  const hash = await page.evaluate(async ([body, contentType]) => {
    const { encodeShared } = await import("/share.js");
    const { scenario } = window.__playground.state.catalogue.find((c) => c.id === "webhook-executed-aob-true");
    const [app] = Object.keys(scenario.app);
    return encodeShared({ scenario: { ...scenario, app: { ...scenario.app, [app]: { ...scenario.app[app], twiml: body, contentType } } }, step: 0 });
  }, [body, contentType]);
  await page.goto(`${url}#s=${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForFunction(() => window.__playground.state.steps.some((s) => s.response?.url === "https://example.com/handler"));
}
