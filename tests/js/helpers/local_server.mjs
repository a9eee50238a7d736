// The live tests' server: an Express app (or any node:http listener) on an ephemeral port of
// 127.0.0.1, nothing fixed, so that test files can run side by side. Not a test file itself
// (node --test runs *.test.mjs).
import { createServer } from "node:http";

/**
 * Listens with `handler` on 127.0.0.1, port 0; resolves once listening (rejects on a listen error).
 * @param {import("node:http").RequestListener} handler an Express app or a node:http listener
 * @returns {Promise<{ server: import("node:http").Server, url: string }>} `url` is `http://127.0.0.1:<port>`
 */
export async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** Closes `server`, its open connections first (a keep-alive socket would hold `close` up), and waits until it has. */
export function close(server) {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}
