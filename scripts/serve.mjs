// Static server for the playground: `/` is www/, `/pkg/` is the built package as shipped (pkg/dist/).
// Dependency-free; used by `make play` and by the end-to-end tests (port 0 picks
// a free port). Serves only files below those two folders, on loopback only.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
/** The playground's mounts: URL prefix → folder. */
export const PLAYGROUND = [
  ["/pkg/", join(root, "pkg", "dist")],
  ["/", join(root, "www")],
];
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
};
/** The page's Content-Security-Policy: no inline script, no eval except WebAssembly compilation. */
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function resolvePath(mounts, urlPath) {
  for (const [prefix, dir] of mounts) {
    if (!urlPath.startsWith(prefix)) continue;
    let rel = decodeURIComponent(urlPath.slice(prefix.length));
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = normalize(join(dir, rel));
    if (file !== dir && !file.startsWith(dir + sep)) return null;
    return file;
  }
  return null;
}

/**
 * Start the server; resolves to `{ server, url }` once it listens. `mounts` maps URL
 * prefixes to folders (the playground's by default; the package tests serve a project).
 * `csp` is the Content-Security-Policy header (the playground's by default; `null` sends
 * none, as a user's own page that declares an inline import map may need).
 */
export function startServer({ port = 8080, host = "127.0.0.1", quiet = false, mounts = PLAYGROUND, csp = CSP } = {}) {
  const server = createServer(async (req, res) => {
    const headers = { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" };
    if (csp) headers["Content-Security-Policy"] = csp;
    try {
      const path = new URL(req.url, "http://localhost").pathname;
      const file = resolvePath(mounts, path);
      if (!file || !(await stat(file)).isFile()) throw new Error("not found");
      const body = await readFile(file);
      res.writeHead(200, { ...headers, "Content-Type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, "Content-Type": "text/plain; charset=utf-8" });
      res.end("not found\n");
    }
    if (!quiet) console.log(`${req.method} ${req.url} ${res.statusCode}`);
  });
  return new Promise((resolveStart, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolveStart({ server, url: `http://${host}:${bound}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--port");
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  const { url } = await startServer({ port });
  console.log(`refer-sim playground: ${url}  (Ctrl-C to stop)`);
}
