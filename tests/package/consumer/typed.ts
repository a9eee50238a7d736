// Type-checked (tsc --noEmit --strict) against the installed package's declarations:
// every exported shape is used with its declared type, so a wrong or `any` type fails.
import init, { parseReferTo, parseReferMessage, version, VoiceResponse, TwimlElement, parseTwiml, checkTransfer, simulate, Simulation, scenarios } from "refer-sim";
import type {
  ReferTo, ParsedTwiml, TwimlDiagnostic, TwimlFinding, TwimlNode, TwimlResponse,
  Scenario, Timeline, Step, StepKind, Leg, LegStatus, SipMessage, SipBody, WebhookRequest, Alert, Outcome, CatalogueEntry,
  SimulateOptions, WebhookAnswer, Provenance, ReferToWarning, ReferSimError, ReferMessage, ReferRefusal, ReferMessageNote,
} from "refer-sim";

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

  // A pasted REFER: every field typed; its scenario fields spread into a scenario's refer.
  const m: ReferMessage = parseReferMessage("r: <sip:b@example.com>\r\nb: <sip:a@example.com>");
  const refusals: ReferRefusal[] = m.refusals;
  const notes: ReferMessageNote[] = m.notes;
  const referredUser: string | null | undefined = m.referredBy?.uri?.user;
  const sub: boolean | null = m.referSub;
  const form: "request" | "headers" = m.form;
  const replay: { referTo: string | string[]; referSub: boolean } = m.scenario;
  console.log(refusals.map((x) => x.status), notes.length, referredUser, sub, form, replay, m.referTo?.transferTarget);

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

  // The simulator: scenario in, timeline out, every shape typed.
  const scenario: Scenario = {
    initialTwiml: xml,
    refer: { atMs: 20000, referTo: "<sip:AgentB@example.sip.twilio.com>" },
    endpoints: { "sip:AgentB@example.sip.twilio.com": { answer: "no-answer" } },
  };
  const options: SimulateOptions = {
    onWebhook(request: WebhookRequest): WebhookAnswer {
      const t: string | undefined = request.params["ReferTransferTarget"];
      return { status: 200, twiml: `<Response><Dial><Sip>${t ?? ""}</Sip></Dial></Response>` };
    },
  };
  const timeline: Timeline = simulate(scenario, options);
  const step: Step | undefined = timeline.steps[0];
  const stepKind: StepKind | undefined = step?.kind;
  const provenance: Provenance | undefined = step?.tag;
  const legs: Leg[] = step?.legs ?? [];
  const status: LegStatus | undefined = legs[0]?.status;
  const bridged: string | null | undefined = legs[0]?.bridgedWith;
  const messages: SipMessage[] = timeline.steps.flatMap((s) => s.messages);
  const firstLine: string | undefined = messages[0]?.firstLine;
  const method: string | null | undefined = messages[0]?.method;
  const sipStatus: number | null | undefined = messages[0]?.status;
  const reason: string | null | undefined = messages[0]?.reason;
  const sipHeaders: [string, string][] = messages[0]?.headers ?? [];
  const sipBody: SipBody | null | undefined = messages[0]?.body;
  const contentType: string | undefined = sipBody?.contentType;
  console.log(method, sipStatus, reason, sipHeaders, contentType, sipBody?.text);
  const webhook: WebhookRequest | null | undefined = timeline.steps.find((s) => s.webhook)?.webhook;
  const body: string | null | undefined = webhook?.body;
  const alerts: Alert[] = timeline.outcome.alerts;
  const outcome: Outcome = timeline.outcome;
  const pairs: [string, string][] = outcome.connected;
  const finals: Record<string, LegStatus> = outcome.legs;
  const catalogue: CatalogueEntry[] = scenarios();
  const sim = new Simulation(catalogue[0]!.scenario);
  const next: Step | undefined = sim.step();
  const done: boolean = sim.done;
  const now: number = sim.nowMs;
  const warnings: ReferToWarning[] = r.warnings;
  try {
    simulate("{}");
  } catch (e) {
    const err = e as ReferSimError;
    const code: string = err.code;
    console.log(code);
  }
  console.log(stepKind, provenance, status, bridged, firstLine, body, alerts, pairs, finals, next, done, now, warnings);
}
void main();
