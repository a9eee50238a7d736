// The ladder's drawn texts as a reader sees them: each one's font size on screen and its box,
// and what a reader could not read (a text over another, out of its row, its note box or its head box).

/**
 * Every text of the ladder (heads and rows) as { cls, px: its font size on screen, box },
 * and the pairs of texts whose boxes overlap (a text over another is unreadable).
 */
export const ladderTexts = (page) => page.evaluate(() => {
  const texts = [...document.querySelectorAll("#ladder .ladder-head-svg text, #ladder .ladder-svg g.row text")];
  const out = texts.map((t) => {
    const r = t.getBoundingClientRect();
    return { cls: t.getAttribute("class") ?? "", text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a, box: { l: r.left, r: r.right, t: r.top, b: r.bottom }, head: !!t.closest(".ladder-head-svg") };
  });
  const overlaps = [];
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      if (out[i].head !== out[j].head) continue; // the rows scroll under the sticky (opaque) heads
      const a = out[i].box, b = out[j].box;
      const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
      const h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
      if (w > 1 && h > 1) overlaps.push(`"${out[i].text}" / "${out[j].text}"`);
    }
  }
  // A note's text stays inside its box; every row's texts inside the row.
  for (const g of document.querySelectorAll("#ladder .ladder-svg g.row")) {
    const bg = g.querySelector(".row-bg").getBoundingClientRect();
    for (const t of g.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (r.top < bg.top - 1 || r.bottom > bg.bottom + 1) overlaps.push(`"${t.textContent}" runs out of its row`);
    }
    const box = g.querySelector(".note-box")?.getBoundingClientRect();
    const note = g.querySelector(".note-text")?.getBoundingClientRect();
    if (box && (note.left < box.left - 1 || note.right > box.right + 1)) overlaps.push(`"${g.querySelector(".note-text").textContent}" runs out of its note box`);
  }
  // A column head's texts stay inside its box; every text inside the drawing and the ladder's box (not cut at an edge).
  for (const g of document.querySelectorAll("#ladder .ladder-head-svg g.col")) {
    const rect = g.querySelector("rect")?.getBoundingClientRect();
    for (const t of g.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (rect && (r.left < rect.left - 1 || r.right > rect.right + 1)) overlaps.push(`"${t.textContent}" runs out of its column head`);
    }
  }
  const frame = document.getElementById("ladder").getBoundingClientRect();
  for (const [i, t] of texts.entries()) {
    const svgBox = t.ownerSVGElement.getBoundingClientRect();
    const { l, r } = out[i].box;
    if (l < Math.max(svgBox.left, frame.left) - 1 || r > Math.min(svgBox.right, frame.right) + 1) overlaps.push(`"${t.textContent}" is cut at the drawing's edge`);
  }
  return { texts: out, overlaps };
});

