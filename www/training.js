// Training mode (filled in next): "what happens next?" before each step.
export function mountTraining() {
  return { start() {}, stop() {}, ask() { return false; }, busy() { return false; }, finish() {} };
}
