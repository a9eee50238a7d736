// The keyboard focus ring on the ladder's greyed rows (steps not reached yet, drawn at 30%
// opacity): with the whole row dimmed the ring was dimmed too, #0b5cad at opacity 0.3 on
// white (1.5:1), and on a selected row it was the selection's dashed 1.5-unit line. WCAG 1.4.11
// (non-text contrast) asks 3:1 against what is next to it. Checked twice: by the computed style
// (the ring's colour through every ancestor's opacity) and by the pixels drawn on screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openScenario, settled, SCREENSHOTS } from "./harness.mjs";

/** WCAG relative luminance of an [r, g, b] colour (0-255). */
function luminance([r, g, b]) {
  const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours. */
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE = [255, 255, 255];

/** The focused row as drawn: its state, the ring's colour, width in screen px and dashes, and the opacity it is drawn with. */
function focusedRow(page) {
  return page.evaluate(() => {
    const g = document.activeElement.closest("g.row");
    const bg = g.querySelector(".row-bg");
    const through = (n) => { let a = 1; for (; n; n = n.parentElement) a *= Number(getComputedStyle(n).opacity); return a; };
    const cs = getComputedStyle(bg);
    const rgb = cs.stroke.match(/\d+/g).slice(0, 3).map(Number);
    const r = bg.getBoundingClientRect();
    return {
      row: Number(g.dataset.row), future: g.classList.contains("future"), selected: g.classList.contains("selected"),
      focusVisible: g.matches(":focus-visible"), rgb, dash: cs.strokeDasharray,
      widthPx: parseFloat(cs.strokeWidth) * bg.getScreenCTM().a, ringOpacity: through(bg),
      drawingOpacity: through(g.querySelector(".arrow, .note-box")),
      box: { x: r.x, y: r.y, width: r.width, height: r.height },
    };
  });
}

/** The darkest pixel's colour along the row's top edge (the ring's line), read from a screenshot of the page. */
async function ringPixel(page, box) {
  const clip = { x: Math.round(box.x + 12), y: Math.round(box.y - 2), width: 40, height: 5 };
  const png = await page.screenshot({ clip });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    let best = null;
    for (let i = 0; i < d.length; i += 4) {
      const sum = d[i] + d[i + 1] + d[i + 2];
      if (!best || sum < best[0] + best[1] + best[2]) best = [d[i], d[i + 1], d[i + 2]];
    }
    return best;
  }, png.toString("base64"));
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`${viewport.width}x${viewport.height}: the focus ring on a greyed (future) ladder row is solid, 3 px and at least 3:1 against the row`, async () => {
    const pg = await openPlayground({ viewport });
    try {
      const { page } = pg;
      await openScenario(page, "agentb-answers-aob-true");
      await page.focus("#btn-next");
      for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
      // Tab into the ladder (its current row), then ↓ to the rows of steps not reached yet.
      await page.focus("#scrubber");
      await page.keyboard.press("Tab");
      for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
      await settled(page);
      // Each state's ring is read off the screen when it is measured: Enter also scrolls the page to
      // the chosen message, so a box measured before it is not where the row is after it.
      const checks = [];
      let row = await focusedRow(page);
      checks.push(["a future row", row, await ringPixel(page, row.box)]);
      await page.keyboard.press("Enter"); // selected as well (the selection's dashed line was drawn over the ring)
      await settled(page);
      const selected = await focusedRow(page);
      assert.ok(selected.selected, "Enter selects the focused row");
      checks.push(["a future row, selected", selected, await ringPixel(page, selected.box)]);
      for (const [what, r, pixel] of checks) {
        assert.ok(r.future && r.focusVisible, `${what}: the focused row is greyed (future) and :focus-visible (${JSON.stringify(r)})`);
        assert.ok(r.drawingOpacity <= 0.31, `${what}: the row's drawing is still greyed (opacity ${r.drawingOpacity})`);
        // The ring's colour as drawn: blended with the white under it by the opacity it is drawn with.
        const drawn = r.rgb.map((c) => c * r.ringOpacity + 255 * (1 - r.ringOpacity));
        const ratio = contrast(drawn, WHITE);
        assert.ok(ratio >= 3, `${what}: the ring is ${drawn.map(Math.round)} on white, contrast ${ratio.toFixed(2)}:1 (3:1 wanted)`);
        assert.equal(r.dash, "none", `${what}: the ring is solid`);
        assert.ok(r.widthPx >= 2.5, `${what}: the ring is ${r.widthPx.toFixed(2)} px wide`);
        const onScreen = contrast(pixel, WHITE);
        assert.ok(onScreen >= 3, `${what}: on screen the ring's line is rgb(${pixel}), contrast ${onScreen.toFixed(2)}:1 against white`);
      }
      row = await focusedRow(page);
      await page.screenshot({
        path: new URL(`ladder-focus-future-${viewport.width}.png`, SCREENSHOTS).pathname,
        clip: { x: 0, y: Math.max(0, row.box.y - 120), width: viewport.width, height: Math.min(300, viewport.height - Math.max(0, row.box.y - 120)) },
      });
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}
