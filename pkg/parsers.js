// `refer-sim/parsers`: the Refer-To and TwiML parsers and the TwiML builder without the transfer
// simulator, in a smaller module of their own (pkg/refer_sim_parsers_bg.wasm, built by
// scripts/build.sh from the crate without its `simulator` feature). Same results, errors and
// types as the main entry (pkg/index.js); the same healing after a trap (pkg/heal.js): a trap
// re-instantiates the module and throws an Error with `code: "internal"` and `call`.
// VoiceResponse and TwimlElement are the main entry's classes (pkg/voice_response.js).
import * as glue from "./refer_sim_parsers.js";
import { parserExports } from "./decode.js";
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

const parsers = parserExports(glue, guard);
export const parseReferTo = parsers.parseReferTo;
/** Internal: the module export behind parseReferTo's fast path (pkg/decode.js). */
export const __referTo = parsers.__referTo;
export const parseReferMessage = parsers.parseReferMessage;
export const parseTwiml = parsers.parseTwiml;
export const checkTransfer = parsers.checkTransfer;
export const version = parsers.version;
export const __forceTrapForTests = parsers.__forceTrapForTests;
export function initSync(module) {
  return glue.initSync(module);
}
/** Fetches and instantiates the module (browsers, bundlers); resolves to its exports. */
export default function init(moduleOrPath) {
  return glue.default(moduleOrPath);
}
