// Playground entry: loads the WebAssembly module once, then wires each panel.
// Panels only render what the module returns; no SIP or transfer logic lives here.
import init from "/pkg/refer_sim.js";
import { mountReferToPanel } from "./refer_to_panel.js";

const status = document.getElementById("status");
try {
  await init();
  mountReferToPanel(document.getElementById("refer-to-panel"));
  status.textContent = "Ready.";
  document.body.dataset.ready = "true";
} catch (err) {
  status.textContent = `Could not load the WebAssembly module: ${err.message}`;
  status.classList.add("failed");
}
