// The ladder's arrow labels as the page drew them before SIP messages had typed fields:
// regular expressions over the message text. Kept only as the oracle that the typed
// ladder is compared with (tests/js/ladder_fields.test.mjs, tests/e2e/ladder.test.mjs).

/** `{ label, sub, response }` of message `m`, read from its text the old way. */
export function oldLabels(m) {
  const fl = /^SIP\/2\.0\s+(.*)$/.exec(m.firstLine);
  const label = fl ? fl[1] : m.firstLine.split(" ")[0];
  let sub = "";
  if (label === "NOTIFY") {
    const i = m.text.search(/\r?\n\r?\n/);
    const frag = i < 0 ? "" : m.text.slice(i).trim();
    sub = frag ? `sipfrag: ${frag.split(/\r?\n/)[0]}` : "";
  } else if (label === "REFER") {
    const rt = /^Refer-To:\s*(.*)$/im.exec(m.text);
    sub = rt ? `Refer-To: ${rt[1].trim()}` : "";
  }
  return { label, sub, response: m.firstLine.startsWith("SIP/2.0") };
}
