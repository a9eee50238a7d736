// Type-checked (tsc --noEmit --strict) against the installed package's declarations:
// every exported shape is used with its declared type, so a wrong or `any` type fails.
import init, { parseReferTo, version, VoiceResponse, TwimlElement, parseTwiml, checkTransfer } from "refer-sim";
import type { ReferTo, ParsedTwiml, TwimlDiagnostic, TwimlFinding, TwimlNode, TwimlResponse } from "refer-sim";

async function main(): Promise<void> {
  await init();
  const r: ReferTo = parseReferTo("sip:a@b.com");
  const host: string | null = r.uri.host;
  const port: number | null = r.uri.port;
  const scheme: string = r.uri.scheme;
  const headers: [string, string][] = r.uri.headers;
  const display: string | null = r.displayName;
  const target: string = r.transferTarget;
  const v: string = version();
  console.log(host, port, scheme, headers, display, target, v);

  // The builder with twilio-node's call shapes: every argument optional, text alone or after attributes.
  const response = new VoiceResponse();
  const dial: TwimlElement = response.dial({ answerOnBridge: true, referUrl: "https://example.com/handler", timeout: 20 });
  dial.sip("sip:AgentA@xyz.sip.us1.twilio.com");
  dial.sip({ username: "admin", password: "1234" }, "sip:kate@example.com");
  const tag: string = dial.tag;
  response.say("Goodbye");
  response.say({ voice: "alice", loop: 2 }, "Still there?");
  response.hangup();
  const xml: string = response.toString();

  const parsed: ParsedTwiml = parseTwiml(xml);
  const root: TwimlResponse | null = parsed.response;
  const first: TwimlNode | undefined = root?.children[0];
  const kind: string | undefined = first?.type;
  const diagnostics: TwimlDiagnostic[] = parsed.diagnostics;
  const line: number | undefined = diagnostics[0]?.line;

  const findings: TwimlFinding[] = checkTransfer(xml);
  const again: TwimlFinding[] = checkTransfer(xml, "referResponse");
  const codes: string[] = findings.map((f) => f.code);
  const vendor: number | null | undefined = again[0]?.vendorCode;
  console.log(tag, kind, line, codes, vendor);
}
void main();
