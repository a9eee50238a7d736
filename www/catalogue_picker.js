// Scenario picker: the module's built-in catalogue (`scenarios()`), grouped as the
// module groups it ("The outcome table", "Preconditions: REFER refused", "Variations")
// and titled in the documentation's words, with the chosen scenario's description.
import { el, clear } from "./dom.js";
import { readAnswerOnBridge } from "./compare.js";

/**
 * Mount the picker in `root`. `onPick(entry)` fires when the user chooses a scenario.
 * Returns { show(id, edited, scenario, conceal) }: mark the current entry (or a custom scenario).
 */
export function mountPicker(root, catalogue, onPick) {
  const select = el("select", { attrs: { id: "scenario-picker", "aria-describedby": "scenario-description" } });
  const custom = el("option", { text: "Your own scenario (edited or loaded)", attrs: { value: "" } });
  custom.hidden = true;
  // While the free quiz holds steps back the picker shows this instead of the title (which tells the ending).
  // Value "" like `custom`: no catalogue entry (the tests and the page bench list the others); hidden, it cannot be chosen.
  const concealed = el("option", { text: "Scenario hidden until the quiz's last step", attrs: { value: "" } });
  concealed.hidden = true;
  select.append(custom, concealed);
  const groups = new Map();
  for (const entry of catalogue) {
    if (!groups.has(entry.group)) {
      const og = el("optgroup", { attrs: { label: entry.group } });
      groups.set(entry.group, og);
      select.append(og);
    }
    groups.get(entry.group).append(el("option", { text: entry.title, attrs: { value: entry.id } }));
  }
  const description = el("p", { cls: "description", attrs: { id: "scenario-description" } });
  const group = el("span", { cls: "group-name", attrs: { id: "scenario-group" } });
  clear(root);
  root.append(el("label", { text: "Scenario", attrs: { for: "scenario-picker" } }), select, el("div", { cls: "scenario-about" }, group, description));
  select.addEventListener("change", () => {
    const entry = catalogue.find((c) => c.id === select.value);
    if (entry) onPick(entry);
  });

  /**
   * Show entry `id` (or a custom scenario); `edited` with the `scenario` shown says plainly how it differs.
   * `conceal` (the free quiz holds steps back): neither the title nor the description is shown, since
   * both tell what happens ("AgentB is busy", "UserA and AgentB are bridged"); every scenario can still be picked.
   */
  function show(id, edited, scenario, conceal = false) {
    const entry = catalogue.find((c) => c.id === id);
    custom.hidden = Boolean(entry);
    if (conceal) {
      concealed.selected = true;
      group.textContent = "Free quiz";
      description.classList.remove("variant");
      description.textContent = "The title and description are hidden until the quiz reaches the last step: they tell what happens. You can still pick another scenario here.";
      return;
    }
    select.value = entry ? entry.id : "";
    group.textContent = entry ? `${entry.group}${edited ? " · edited variant" : ""}` : "Custom scenario";
    description.classList.toggle("variant", Boolean(entry && edited));
    if (!entry) {
      description.textContent = "A scenario from a shared link, a file or your edits.";
    } else if (!edited) {
      description.textContent = entry.description;
    } else {
      const aob = scenario ? readAnswerOnBridge(scenario.initialTwiml) : null;
      const flipped = aob !== null && aob !== readAnswerOnBridge(entry.scenario.initialTwiml);
      description.textContent = flipped
        ? `Edited variant: answerOnBridge is ${aob ? "true" : "false or not set"} here, so the title and the text “${entry.description}” describe the original, not what you see. No catalogue scenario matches this variant.`
        : `Edited variant of this scenario: what you see is your version. The original: ${entry.description}`;
    }
  }
  return { show, select };
}
