// Scenario editors (filled in next): initial TwiML, referUrl response, Refer-To, endpoints.
export function mountEditors() {
  return { load() {} };
}
