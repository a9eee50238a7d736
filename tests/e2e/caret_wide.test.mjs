// Carets under a bad character stay under it after wide characters (CJK, emoji): in the
// Refer-To inspector, the Refer-To editor and the TwiML editor. The check is the browser's own
// drawing, whatever the fonts: the caret's x (a Range over "^") against the x of the character
// it points at (a Range over that character in the line above).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

/** For each `pre.caret` under `scope`: the caret's x, the x of the character pointed at, and that character. */
const carets = (page, scope) => page.$$eval(`${scope} pre.caret`, (pres) => pres.map((pre) => {
  const text = pre.textContent;
  const nl = text.indexOf("\n");
  const line = text.slice(0, nl);
  const spaces = text.length - nl - 2; // characters before the caret, one space each
  const col = [...line].slice(0, spaces).join("").length; // the string index of the character pointed at
  // The text nodes that hold the line and the caret, wherever the page put them.
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  const at = (offset) => {
    let rest = offset;
    for (const n of nodes) {
      if (rest < n.length) return [n, rest];
      rest -= n.length;
    }
    return null;
  };
  const x = (offset, width) => {
    const [n, o] = at(offset);
    const r = document.createRange();
    r.setStart(n, o);
    r.setEnd(n, o + width);
    return r.getClientRects()[0].left;
  };
  const wide = line.codePointAt(col) > 0xffff ? 2 : 1;
  return { line, char: line.slice(col, col + wide), charX: x(col, wide), caretX: x(text.length - 1, 1) };
}));

const VALUE = "\"山田 太郎 😀🎉 東京\" <sip:AgentB@exa mple.com>";

test("carets sit under the bad character after CJK characters and emoji: Refer-To inspector, Refer-To editor, TwiML editor", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const seen = [];
    // The Refer-To inspector.
    await page.fill("#rt-input", VALUE);
    await page.waitForSelector("#rt-error:not([hidden])");
    seen.push(["inspector", ...(await carets(page, "#refer-to-panel"))]);
    // The editors (the panel opened): the Refer-To field and a TwiML error after wide text.
    await page.evaluate(() => document.getElementById("editors").scrollIntoView());
    await page.fill("#ed-referto", VALUE);
    await page.waitForSelector("#ed-referto-error .error pre.caret");
    seen.push(["Refer-To editor", ...(await carets(page, "#ed-referto-error"))]);
    await page.fill("#ed-initial", "<Response><Say>こんにちは 世界 👋🏽 ようこそ</Say><Dial referUrl=\"https://example.com/r\" bogus=\"1\"><Sip>sip:AgentA@example.com</Sip></Dial></Response>");
    await page.waitForFunction(() => [...document.querySelectorAll("#ed-initial-diags li.diag pre.caret")].some((p) => p.textContent.includes("世界")));
    seen.push(["TwiML editor", ...(await carets(page, "#ed-initial-diags"))]);
    const off = [];
    for (const [where, ...list] of seen) {
      assert.ok(list.length > 0, `${where}: a caret is drawn`);
      for (const c of list) {
        console.log(`${where}: caret at x ${c.caretX.toFixed(1)}, "${c.char}" at x ${c.charX.toFixed(1)} (${(c.caretX - c.charX).toFixed(1)} px) in ${JSON.stringify(c.line)}`);
        if (Math.abs(c.caretX - c.charX) > 1) off.push(`${where}: caret ${(c.caretX - c.charX).toFixed(1)} px from "${c.char}"`);
      }
    }
    assert.ok(/[^\x00-\x7f]/.test(seen.flatMap(([, ...l]) => l.map((c) => c.line.slice(0, c.line.indexOf(c.char)))).join("")), "wide characters before the carets");
    assert.deepEqual(off, []);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
