// Dark mode: every :hover, :focus, :focus-visible and :active rule of the page's style sheet keeps
// its text readable (newuser5 #4: a quiz choice and an outcome-table cell hovered in dark mode drew
// light text on #f3ebfa / #f3f6fa, 1.1:1). Read from the rules themselves: each rule with such a
// state is applied (Chrome's forced pseudo-states) to the elements its selector, without the
// state, matches on the page (outcome table, quiz choices and the stepper shown), and the text
// colour is measured against the first opaque background under it: at least 4.5:1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("dark mode: text stays at 4.5:1 or more in every hover, focus and active state the style sheet defines", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.emulateMedia({ colorScheme: "dark" });
    await page.check("#training-toggle");
    for (let i = 0; i < 10 && !(await page.$("#training .choices button")); i++) await page.click("#btn-next");
    const rules = await page.evaluate(() => {
      const out = [];
      const walk = (list) => { for (const r of list) { if (r.cssRules && !(r instanceof CSSStyleRule)) { if (!r.media || matchMedia(r.media.mediaText).matches) walk(r.cssRules); } else if (r instanceof CSSStyleRule && /:(hover|focus|focus-visible|active)\b/.test(r.selectorText)) out.push(r.selectorText); } };
      for (const sheet of document.styleSheets) walk(sheet.cssRules);
      return out;
    });
    assert.ok(rules.some((r) => r.includes(".choices button:hover")), rules.join(" | "));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
    const bad = [];
    let checked = 0;
    for (const rule of rules) {
      for (const part of rule.split(",")) {
        const states = [...part.matchAll(/:(hover|focus-visible|focus|active)\b/g)].map((m) => m[1]);
        const base = part.replace(/:(hover|focus-visible|focus|active)\b/g, "").trim() || "*";
        if (/svg|\.row/.test(base)) continue; // the ladder's rows: fills, measured by the ladder's own tests
        const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: base.replace(/\s*$/, "") });
        for (const nodeId of nodeIds.slice(0, 4)) {
          await cdp.send("CSS.forcePseudoState", { nodeId, forcedPseudoClasses: states });
          const { object } = await cdp.send("DOM.resolveNode", { nodeId });
          const { result } = await cdp.send("Runtime.callFunctionOn", {
            objectId: object.objectId, returnByValue: true,
            functionDeclaration: `function () {
              const rgb = (c) => (c.match(/[\\d.]+/g) ?? []).map(Number);
              const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
              if (!this.getClientRects().length || !this.textContent.trim()) return null;
              let bg = null;
              for (let e = this; e && !bg; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] === 1)) bg = c.slice(0, 3); }
              const fg = rgb(getComputedStyle(this).color).slice(0, 3);
              const [a, b] = [lum(fg), lum(bg ?? [15, 19, 24])].sort((x, y) => y - x);
              return { ratio: (a + 0.05) / (b + 0.05), fg: getComputedStyle(this).color, bg: String(bg) };
            }`,
          });
          await cdp.send("CSS.forcePseudoState", { nodeId, forcedPseudoClasses: [] });
          const v = result.value;
          if (!v) continue;
          checked++;
          if (v.ratio < 4.5) bad.push(`${part.trim()}: ${v.fg} on rgb(${v.bg}) = ${v.ratio.toFixed(2)}:1`);
        }
      }
    }
    assert.ok(checked > 10, `${checked} elements measured`);
    assert.deepEqual([...new Set(bad)], []);
  } finally {
    await pg.close();
  }
});
