// Writes the JavaScript the npm package ships (scripts/build.sh runs it): every pkg/*.js, found by
// a glob so a new file needs no edit here, goes to pkg/dist/ without its comments and its
// indentation; the wasm-bindgen glue that build.sh wrote into pkg/dist/ is stripped in place.
// pkg/*.d.ts are copied as they are (editors read their docs). The sources in pkg/ keep every
// comment; pkg/package.json points at pkg/dist/, so the tests, the CLI, the page and the benches
// run the shipped files.
//
// How: oxc's parser (rolldown, which Vite already brings; the same parser Vite builds with) lists
// each comment's exact range, so a comment is found anywhere, never inside a string, a template
// or a regular expression. A comment is removed; one that held line breaks leaves them, so every
// line of a shipped file has the line number it has in its source and a stack frame
// (`dist/index.js:123`) points at the source line without a source map. Identifiers, line breaks
// and code are kept: an error's name, message and frames read as before. Then each line loses its
// leading and trailing blanks, except where a line break is inside a template or string.
// Comments that tools read (`@ts-self-types`, `#__PURE__`, `@vite-ignore`, `@license`, `/*! */`)
// are kept. Each result is parsed again and must give the same syntax tree as its source (positions
// aside), so a strip can never change what the code does; any difference fails the build.
//
//   node scripts/pack_js.mjs            # what build.sh runs
//   node scripts/pack_js.mjs --sizes    # also prints each file's gzipped size, source -> shipped
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { parseSync } from "rolldown/experimental";

const pkg = new URL("../pkg/", import.meta.url);
const dist = new URL("dist/", pkg);

/** Comments that a tool reads: TypeScript's, bundlers' and licences' (JSDoc such as `@param` is not one). */
const KEPT = /^\s*@ts-self-types|^!|[@#]__(?:PURE|NO_SIDE_EFFECTS)__|@vite-ignore|@license|@preserve|webpack[A-Z]/;

/** Parses `code` as an ES module; throws on any syntax error. */
function parse(name, code) {
  const result = parseSync(name, code, { sourceType: "module", lang: "js" });
  if (result.errors.length) throw new Error(`pack_js: ${name} does not parse: ${result.errors[0].message}`);
  return result;
}

/** The syntax tree as text without positions, for comparing a source with its stripped copy. */
const shape = (program) => JSON.stringify(program, (key, value) => (key === "start" || key === "end" ? undefined : value));

/** Ranges [start, end) whose characters must stay as written: the raw text of each template
 * part, and each string literal (a `\` line continuation puts a line break inside one). */
function literalRanges(program) {
  const ranges = [];
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    if (node.type === "TemplateElement" || (node.type === "Literal" && typeof node.value === "string")) ranges.push([node.start, node.end]);
    for (const key in node) if (key !== "start" && key !== "end") walk(node[key]);
  };
  walk(program);
  return ranges;
}

/** `source` without its comments and its lines' leading and trailing blanks, line numbers kept. */
export function strip(name, source) {
  const { program, comments } = parse(name, source);
  // The text with comments replaced, and for each of its characters whether it is inside a literal.
  const literal = new Uint8Array(source.length);
  for (const [start, end] of literalRanges(program)) literal.fill(1, start, end);
  let text = "";
  let inLiteral = [];
  let at = 0;
  const copy = (end) => {
    text += source.slice(at, end);
    for (let i = at; i < end; i++) inLiteral.push(literal[i]);
    at = end;
  };
  for (const c of comments) {
    // The parser lists a `#!` line as a comment at offset 0; it stays, as do comments tools read.
    if (KEPT.test(c.value) || (c.start === 0 && source.startsWith("#!"))) continue;
    copy(c.start);
    // A block comment leaves its line breaks, or one space so that `a/**/b` stays two tokens.
    const breaks = c.type === "Block" ? c.value.replace(/[^\n]/g, "") : "";
    const gap = c.type === "Block" && breaks === "" ? " " : breaks;
    text += gap;
    for (let i = 0; i < gap.length; i++) inLiteral.push(0);
    at = c.end;
  }
  copy(source.length);
  // Blanks at a line's ends go, unless the line break is inside a template or string.
  let out = "";
  let lineStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== "\n") continue;
    const broken = i < text.length && inLiteral[i];
    let a = lineStart;
    let b = i;
    const keepStart = lineStart > 0 && inLiteral[lineStart - 1];
    if (!keepStart) while (a < b && (text[a] === " " || text[a] === "\t") && !inLiteral[a]) a++;
    if (!broken) while (b > a && (text[b - 1] === " " || text[b - 1] === "\t") && !inLiteral[b - 1]) b--;
    out += text.slice(a, b) + (i < text.length ? "\n" : "");
    lineStart = i + 1;
  }
  inLiteral = null;
  // Trailing empty lines carry no line number anyone reads.
  out = out.replace(/\n+$/, "\n");
  if (shape(parse(name, out).program) !== shape(program)) throw new Error(`pack_js: stripping ${name} changed its syntax tree`);
  if (out.split("\n").length > source.split("\n").length) throw new Error(`pack_js: ${name} gained lines`);
  return out;
}

const gz = (text) => gzipSync(text, { level: 9 }).length;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sizes = process.argv.includes("--sizes");
  mkdirSync(dist, { recursive: true });
  const jobs = [];
  for (const file of readdirSync(pkg).sort()) {
    if (!statSync(new URL(file, pkg)).isFile()) continue;
    if (file.endsWith(".d.ts")) copyFileSync(new URL(file, pkg), new URL(file, dist));
    else if (file.endsWith(".js")) jobs.push([new URL(file, pkg), new URL(file, dist), file]);
  }
  // The glue (wasm-bindgen wrote it into dist/, build.sh edited it) is stripped in place.
  for (const file of readdirSync(dist).sort()) {
    if (/^refer_sim\w*\.js$/.test(file)) jobs.push([new URL(file, dist), new URL(file, dist), file]);
  }
  for (const [from, to, file] of jobs) {
    const source = readFileSync(from, "utf8");
    const shipped = strip(file, source);
    writeFileSync(to, shipped);
    chmodSync(to, statSync(from).mode & 0o777);
    if (sizes) console.log(`${file.padEnd(24)} ${String(gz(source)).padStart(7)} -> ${String(gz(shipped)).padStart(7)} bytes gzipped`);
  }
}
