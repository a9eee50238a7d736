// The typed SIP fields of a timeline (method or status and reason, headers, body) say
// what each message's text says, on the whole catalogue; and the playground's ladder
// model (www/ladder.js) is drawn from those fields alone: with every text replaced by
// garbage it draws the same rows, and its labels are those the page drew when it still
// parsed the text (the old regular expressions are kept, as the oracle, in ladder_oracle.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, scenarios } from "refer-sim";
import { ladderModel } from "../../www/ladder.js";
import { oldLabels } from "./ladder_oracle.mjs";

const catalogue = scenarios().map((e) => ({ id: e.id, scenario: e.scenario, steps: simulate(e.scenario).steps }));

test("every message's text is its typed fields written out (start line, headers in order, body)", () => {
  let n = 0;
  for (const { id, steps } of catalogue) {
    for (const m of steps.flatMap((s) => s.messages)) {
      n++;
      const start = m.method !== null ? `${m.method} ` : `SIP/2.0 ${m.status} ${m.reason}`;
      assert.ok(m.method !== null ? m.status === null && m.reason === null && m.firstLine.startsWith(start) : m.firstLine === start, `${id}: ${m.firstLine}`);
      const text = `${m.firstLine}\r\n${m.headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n${m.body?.text ?? ""}`;
      assert.equal(text, m.text, `${id}: ${m.firstLine}`);
      const contentType = m.headers.find(([k]) => k === "Content-Type")?.[1] ?? null;
      assert.equal(m.body?.contentType ?? null, contentType, `${id}: ${m.firstLine} Content-Type`);
      const length = Number(m.headers.find(([k]) => k === "Content-Length")[1]);
      assert.equal(length, Buffer.byteLength(m.body?.text ?? ""), `${id}: ${m.firstLine} Content-Length`);
    }
  }
  assert.ok(n > 400, `${n} messages checked`);
});

test("the ladder draws the same rows when every SIP text and first line is garbage", () => {
  for (const { id, scenario, steps } of catalogue) {
    const garbled = steps.map((s) => ({ ...s, legs: s.legs, messages: s.messages.map((m) => ({ ...m, text: "garbage\r\nRefer-To: <sip:wrong>\r\n\r\nSIP/2.0 999 Wrong", firstLine: "NOTIFY sip:garbage SIP/2.0" })) }));
    const strip = (model) => model.rows.map(({ detail, ...row }) => row); // detail shows the text itself
    assert.deepEqual(strip(ladderModel(garbled, scenario)), strip(ladderModel(steps, scenario)), id);
  }
});

test("every SIP arrow of the catalogue keeps the label and the line under it that the text-reading ladder drew", () => {
  let n = 0;
  for (const { id, scenario, steps } of catalogue) {
    const sip = ladderModel(steps, scenario).rows.filter((r) => r.kind === "sip");
    const messages = steps.flatMap((s) => s.messages);
    assert.equal(sip.length, messages.length, id);
    sip.forEach((row, i) => {
      n++;
      assert.deepEqual({ label: row.label, sub: row.sub, response: row.response }, oldLabels(messages[i]), `${id} row ${i}`);
    });
  }
  assert.ok(n > 400, `${n} arrows compared`);
});

test("a TwiML note shows the step's own narration (no verb is read out of it)", () => {
  const { scenario, steps } = catalogue.find((c) => c.id === "agentb-answers-aob-true");
  const notes = ladderModel(steps, scenario).rows.filter((r) => r.kind === "note" && steps[r.step].kind === "twiml-verb");
  assert.ok(notes.length > 0);
  for (const r of notes) assert.equal(r.label, `TwiML: ${steps[r.step].narration}`);
});
