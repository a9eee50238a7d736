// Playground entry: loads the WebAssembly module once, then wires each panel.
// Panels only render what the module returns; no SIP or transfer logic lives here.
import init from "/pkg/index.js";
import { mountReferToPanel } from "./refer_to_panel.js";
import { mountPlayground } from "./app.js";

const status = document.getElementById("status");
try {
  await init();
  mountReferToPanel(document.getElementById("refer-to-panel"));
  mountPlayground(document);
  status.textContent = "Ready.";
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "true";
} catch (err) {
  status.textContent = `Could not load the playground: ${err.message}`;
  status.classList.add("failed");
  console.error(err);
}
