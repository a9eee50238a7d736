// Shared harness for the end-to-end tests: serves the playground on a free
// loopback port and drives Debian's Chromium through playwright-core.
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

/** Start the server and the browser (`readyTimeout`: how long the page may take to be ready); returns `{ url, browser, page, close, shot }`. */
export async function openPlayground({ viewport = { width: 1280, height: 720 }, path = "", readyTimeout = 10_000 } = {}) {
  const { server, url } = await startServer({ port: 0, quiet: true });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  await page.goto(url + path);
  await page.waitForSelector("body[data-ready=true]", { timeout: readyTimeout });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    url, browser, page, problems,
    shot: (name) => page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true }),
    close: async () => { await browser.close(); await new Promise((r) => server.close(r)); },
  };
}
