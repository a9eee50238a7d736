// The guided lesson: every choice of every kind of question is the right answer in some question
// (newuser5 #5: over 2,000 seeds "UserA is with AgentB: the transfer went through" was never right
// in the 6 "end" questions, "Nobody: UserA's call has ended" never in the 5 "who", "Never: UserA
// and AgentA stay connected" never in the 2 "release": a class learns to strike them out).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("guided lesson: each choice of each kind of question is right in at least one of the lesson's questions", async () => {
  const pg = await openPlayground();
  try {
    const never = await pg.page.evaluate(async () => {
      const { cellQuestions } = await import("/lesson.js");
      const { tableCells } = await import("/outcome_table.js");
      const { simulate } = await import("/pkg/index.js");
      const kinds = new Map(); // kind → Map(choice → times right)
      for (const cell of tableCells(window.__playground.state.catalogue)) {
        for (const q of cellQuestions(cell, simulate(cell.entry.scenario))) {
          const kind = q.id.split(":").at(-1).replace("-after-webhook", "");
          const m = kinds.get(kind) ?? new Map();
          kinds.set(kind, m);
          // The choice's role, with the request's own wording for how the referUrl ended.
          for (const c of q.choices) { const t = c.text.replace("request fails", "webhook is answered"); m.set(t, (m.get(t) ?? 0) + (c.correct ? 1 : 0)); }
        }
      }
      return [...kinds].flatMap(([kind, m]) => [...m].filter(([, n]) => n === 0).map(([t]) => `${kind}: "${t}"`));
    });
    assert.deepEqual(never, [], "choices never right in any question of their kind");
  } finally {
    await pg.close();
  }
});
