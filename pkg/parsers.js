// `refer-sim/parsers`: the Refer-To and TwiML parsers and the TwiML builder without the transfer
// simulator, in a smaller module of their own (pkg/refer_sim_parsers_bg.wasm, built by
// scripts/build.sh from the crate without its `simulator` feature). Same results, errors and
// types as the main entry (pkg/index.js); the same healing after a trap (pkg/heal.js): a trap
// re-instantiates the module and throws an Error with `code: "internal"` and `call`.
// VoiceResponse and TwimlElement are the main entry's classes (pkg/voice_response.js).
import * as glue from "./refer_sim_parsers.js";
import { decode, decodeReferTo } from "./decode.js";
import { healer } from "./heal.js";
import { builderClasses } from "./voice_response.js";

const heal = healer(glue, "VoiceResponse, TwimlElement");
const { guard } = heal;

const builder = builderClasses(heal, glue.__twimlWrite);
export const VoiceResponse = builder.VoiceResponse;
export const TwimlElement = builder.TwimlElement;
/** Internal: the document of recorded builder calls (what VoiceResponse.toString uses; see pkg/voice_response.js). */
export function __twimlWrite(calls) {
  return guard("__twimlWrite", () => glue.__twimlWrite(calls));
}

export function parseReferTo(value) {
  return decodeReferTo(guard("parseReferTo", () => glue.parseReferTo(value)));
}
export function parseReferMessage(text) {
  return decode(guard("parseReferMessage", () => glue.parseReferMessage(text)));
}
export function parseTwiml(xml) {
  return decode(guard("parseTwiml", () => glue.parseTwiml(xml)));
}
export function checkTransfer(xml, role) {
  return decode(guard("checkTransfer", () => glue.checkTransfer(xml, role)));
}
export function version() {
  return guard("version", () => glue.version());
}
/** Test only: traps the module on purpose (see `__forceTrapForTests` in src/wasm/mod.rs). */
export function __forceTrapForTests() {
  return guard("__forceTrapForTests", () => glue.__forceTrapForTests());
}
export function initSync(module) {
  return glue.initSync(module);
}
/** Fetches and instantiates the module (browsers, bundlers); resolves to its exports. */
export default function init(moduleOrPath) {
  return glue.default(moduleOrPath);
}
