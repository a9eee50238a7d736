// Type-checked (tsc --noEmit --strict) against the installed package's declarations:
// every exported shape is used with its declared type, so a wrong or `any` type fails.
import init, { parseReferTo, version } from "refer-sim";
import type { ReferTo } from "refer-sim";

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
}
void main();
