// What the browser tests share: the built site served on 127.0.0.1, and headless Chromium (Debian's,
// CHROMIUM) with playwright-core from `make vendor`, where every request off the site is blocked
// and counted as a failure.

import { createRequire } from "node:module";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const require = createRequire(path.join(ROOT, "_build/npm/package.json"));
const { chromium } = require("playwright-core");

const TYPES = {
  ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".png": "image/png", ".svg": "image/svg+xml", ".woff": "font/woff", ".woff2": "font/woff2",
  ".ttf": "font/ttf", ".eot": "application/vnd.ms-fontobject", ".ico": "image/x-icon",
  ".json": "application/json", ".ipynb": "application/json", ".zip": "application/zip",
  ".txt": "text/plain", ".wasm": "application/wasm", ".onnx": "application/octet-stream",
};

const COMPRESSED = /^(text\/|application\/json|image\/svg)/;

function serve(site) {
  const gzipped = new Map();  // file -> its gzipped bytes, compressed once
  const server = http.createServer((req, res) => {
    let file = path.join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(site)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404).end("not found"); return; }
    const type = TYPES[path.extname(file)] ?? "application/octet-stream";
    // text goes gzipped when the browser asks, as a static host (GitHub Pages) sends it, so that
    // the bytes the tests count are the bytes a reader downloads
    if (COMPRESSED.test(type) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
      if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(fs.readFileSync(file)));
      res.writeHead(200, { "content-type": type, "content-encoding": "gzip" }).end(gzipped.get(file));
      return;
    }
    res.writeHead(200, { "content-type": type });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Serve `site` and open Chromium on it; `failures` collects the blocked requests (and whatever the
// caller adds); `close()` shuts both down.
export async function openOffline(site, viewport) {
  const server = await serve(site);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = fs.mkdtempSync("/tmp/chromium-profile-");
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const failures = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    failures.push(`off-site request blocked: ${url}`);
    return route.abort("blockedbyclient");
  });
  const close = async () => {
    await context.close();
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { origin, context, failures, close };
}
