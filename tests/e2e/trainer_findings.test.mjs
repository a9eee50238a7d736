// The trainer's second trial: the handout's simulated line describes the cell's moment,
// the free quiz's wrong choices are ones a cell could produce, the lesson's answer
// positions change from run to run and stay fair, and the ladder reads from the back of
// a room in presenter mode.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

/**
 * What the legs must be at each cell's moment, by row and column, as the vendor's
 * sentence says it (the simulated line must not describe the end of the run instead).
 */
const AT_MOMENT = {
  "webhook-executed": [/the initial call is connected: UserA and AgentA are bridged; AgentB is ringing/, /the initial call is disconnected: UserA is on the line, connected to nobody; AgentA is on the line, bridged with nobody; AgentB is ringing/],
  "agentb-answers": [/UserA and AgentB are bridged: the transfer/, /UserA and AgentB are bridged: the transfer/],
  "agentb-no-answer": [/the initial call is connected: UserA and AgentA are bridged; AgentB did not answer \(no-answer\)/, /the initial call is disconnected: UserA's call has ended; .*AgentB did not answer \(no-answer\)/],
  "refer-url-unreachable": [/the initial call is connected: UserA and AgentA are bridged/, /the initial call is disconnected: UserA's call has ended/],
  "refer-url-absent": [/the initial call is connected: UserA and AgentA are bridged; Twilio raises alert 13802/, /the initial call is connected: UserA and AgentA are bridged; Twilio raises alert 13802/],
};

test("handout: each cell's simulated line describes the moment the vendor's sentence is about, and the end is labelled as the end", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.waitForSelector("#handout .handout-cell", { state: "attached" });
    const cells = await page.$$eval("#handout .handout-table td", (tds) => tds.filter((td) => td.querySelector("q")).map((td) => ({
      row: td.closest("tr").querySelector("th").textContent, col: td.cellIndex, vendor: td.querySelector("q").textContent,
      sim: td.querySelector(".sim").textContent, end: td.querySelector(".sim-end")?.textContent ?? "",
    })));
    assert.equal(cells.length, 10);
    const rows = await page.evaluate(async () => (await import("/outcome_table.js")).ROWS.map((r) => ({ key: r.key, situation: r.situation, moment: r.moment })));
    for (const c of cells) {
      const row = rows.find((r) => r.situation === c.row);
      const want = AT_MOMENT[row.key][c.col - 1];
      console.log(`${row.key} ${c.col === 1 ? "true " : "false"} | vendor: ${c.vendor} | ${c.sim} | ${c.end}`);
      assert.ok(c.sim.startsWith(`Simulated, ${row.moment} (t = `), `${row.key}: the line names the cell's moment: ${c.sim}`);
      assert.match(c.sim, want, `${row.key} column ${c.col}: the simulated line describes the cell's moment`);
      assert.match(c.end, /^In the end: /, `${row.key}: the run's end is labelled as the end`);
    }
    // The cell pages carry the same line above their ladders.
    const pages = await page.$$eval("#handout .handout-cell", (cs) => cs.map((c) => c.querySelector(".sim")?.textContent ?? ""));
    for (const [i, text] of pages.entries()) assert.match(text, /^Simulated, .* \(t = [\d.]+ s\): /, `handout page cell ${i}`);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
