// What the browser test measures on a page besides "does it work" (issue 20): does it fit a phone,
// does it pass a WCAG 2 A/AA checker (axe-core, from npm), and how many bytes does it transfer.

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

import { ROOT } from "./offline.mjs";

export const PHONE = { width: 390, height: 844 };  // an iPhone 12–15's CSS viewport

// ---- phones -------------------------------------------------------------------------------------

// The page at the phone's width, once the layout has settled: how wide the document is, and when it
// is wider than the screen, the elements that make it so (outermost, widest first); `violations`:
// the WCAG rule whose verdict depends on the width, run at that width (a box that scrolls only on a
// phone needs its tab stop there: site.js checks 200 ms after a resize); `shot`, a
// path: a full-page screenshot at that width. The tab gets its viewport back.
export async function phoneOverflow(tab, shot = null, viewport = PHONE) {
  const before = tab.viewportSize();
  await tab.setViewportSize(viewport);
  const resized = Date.now();
  try {
    const result = await tab.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      await document.fonts.ready;
      await frame();
      await new Promise((resolve) => setTimeout(resolve, 50));  // resize handlers (widgets, theme)
      await frame();
      const root = document.documentElement;
      const width = root.clientWidth;
      const result = { width, scrollWidth: root.scrollWidth, culprits: [] };
      if (root.scrollWidth <= width) return result;
      // an element widens the page unless it is hidden, fixed (a drawer off the screen) or inside
      // a box that clips or scrolls it
      const harmless = (node) => {
        const style = getComputedStyle(node);
        if (style.visibility === "hidden" || style.position === "fixed") return true;
        for (let p = node.parentElement; p && p !== document.body; p = p.parentElement) {
          const outer = getComputedStyle(p);
          if (outer.overflowX !== "visible" || outer.position === "fixed") return true;
        }
        return false;
      };
      const describe = (node) => {
        const id = node.id ? `#${node.id}` : "";
        const cls = [...node.classList].slice(0, 3).map((c) => `.${c}`).join("");
        return `${node.tagName.toLowerCase()}${id}${cls}`;
      };
      const wide = [...document.body.querySelectorAll("*")].filter((node) => {
        const box = node.getBoundingClientRect();
        return box.width > 0 && box.right + window.scrollX > width + 1 && !harmless(node);
      });
      const inWide = new Set(wide);
      const outer = wide.filter((node) => !inWide.has(node.parentElement));
      result.culprits = outer
        .map((node) => ({ element: describe(node), right: Math.round(node.getBoundingClientRect().right + window.scrollX) }))
        .sort((a, b) => b.right - a.right).slice(0, 3);
      return result;
    });
    await tab.waitForTimeout(Math.max(0, 250 - (Date.now() - resized)));
    result.violations = await axeViolations(tab, WIDTH_RULES);
    if (shot) {
      await tab.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
      await tab.screenshot({ path: shot, fullPage: true });
    }
    return result;
  } finally {
    if (before) await tab.setViewportSize(before);
  }
}

// ---- accessibility ------------------------------------------------------------------------------

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// Issue 20: every figure has alt text that says what it shows (the code cell's metadata
// "mystnb": {"image": {"alt": "…"}}, translated through the .po files), so axe's `image-alt` and
// `figure-alt`, the book's own check below (Sphinx writes the image's file name as its alt when a
// cell has none, which axe accepts), fail the test like every other rule. Set this to true only
// while figures are known to lack their alt text: they are then counted, not failed.
export const ALT_TEXT_PENDING = false;
export const PENDING_RULES = ALT_TEXT_PENDING ? new Set(["image-alt", "figure-alt"]) : new Set();

const require = createRequire(path.join(ROOT, "_build/npm/package.json"));
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// the rules whose verdict depends on the viewport's width, run again at the phone's
const WIDTH_RULES = ["scrollable-region-focusable"];

// axe-core's WCAG 2.0/2.1 A and AA rules (or only `rules`) on the whole page, as it is now: the
// violations, each with its rule, impact, help text and (up to three) offending elements.
export async function axeViolations(tab, rules = null) {
  // the page's own check of its scrolling boxes (_static_site/site/site.js) done first (if it is
  // still due after 20 s, axe judges the page as it is; a busy machine can take seconds)
  await tab.waitForFunction(() => !window.bookSiteScroll?.pending(), null, { timeout: 20000 }).catch(() => {});
  const present = await tab.evaluate(() => typeof window.axe !== "undefined");
  if (!present) await tab.addScriptTag({ content: AXE_SOURCE });
  const runOnly = rules ? { type: "rule", values: rules } : { type: "tag", values: WCAG_TAGS };
  return tab.evaluate(async (runOnly) => {
    const results = await window.axe.run(document, { runOnly, resultTypes: ["violations"] });
    return results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary.split("\n").slice(1).join(" ").slice(0, 200)}`),
    }));
  }, runOnly);
}

// The book's own rule next to axe's: an image whose alt text is missing or a file name (what
// Sphinx writes for a notebook's figure without alt text), as one violation in axe's shape.
export async function figureAltViolations(tab) {
  const images = await tab.evaluate(() => [...document.images].filter((img) => {
    const alt = img.getAttribute("alt");
    const file = (img.getAttribute("src") ?? "").split("/").pop().split("?")[0];
    return alt === null || (alt.trim() !== "" && (alt.split("/").pop() === file || /\.(png|jpe?g|gif|svg|webp)$/i.test(alt.trim())));
  }).map((img) => img.getAttribute("src")));
  if (!images.length) return [];
  return [{ rule: "figure-alt", impact: "serious", help: "Figures must have alt text that says what they show, not a file name",
    count: images.length, nodes: images.slice(0, 3) }];
}

// ---- page weight --------------------------------------------------------------------------------

// Count what a tab transfers (every request, headers and body as sent: the offline server gzips
// text as a static host does) from now on, through the Chrome DevTools Protocol, until `stop()`
// (before axe, which fetches the page's style sheets again).
export async function weigh(context, tab) {
  const cdp = await context.newCDPSession(tab);
  await cdp.send("Network.enable");
  const urls = new Map();
  const weight = { requests: 0, bytes: 0, decoded: 0, resources: [], stop: () => cdp.detach().catch(() => {}) };
  const sizes = new Map();
  cdp.on("Network.responseReceived", ({ requestId, response }) => urls.set(requestId, response.url));
  cdp.on("Network.dataReceived", ({ requestId, dataLength }) => {
    sizes.set(requestId, (sizes.get(requestId) ?? 0) + dataLength);
  });
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    const decoded = sizes.get(requestId) ?? 0;
    weight.requests += 1;
    weight.bytes += encodedDataLength;
    weight.decoded += decoded;
    weight.resources.push({ url: urls.get(requestId) ?? "?", bytes: encodedDataLength, decoded });
  });
  return weight;
}

export const MB = (bytes) => (bytes / 1e6).toFixed(2);

// The weights of every page, as JSON (every page, the heaviest first, with its five largest
// requests) and as a Markdown table of the `top` heaviest pages, one row per page of the book with
// a column per language (`source(page)`: the English page of a translated one; `language(page)`).
export function writeWeights(weights, dir, { source, language, top = 10 }) {
  const rows = Object.entries(weights).map(([page, w]) => ({
    page, requests: w.requests, bytes: w.bytes, decoded: w.decoded,
    largest: [...w.resources].sort((a, b) => b.bytes - a.bytes).slice(0, 5)
      .map((r) => ({ path: new URL(r.url).pathname, bytes: r.bytes })),
  })).sort((a, b) => b.bytes - a.bytes);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "page-weight.json"), `${JSON.stringify(rows, null, 1)}\n`);
  const languages = [...new Set(rows.map((r) => language(r.page)))]
    .sort((a, b) => (b === "en") - (a === "en") || a.localeCompare(b));  // English first
  const book = new Map();  // English page -> { language: row }, in the order of the heaviest
  for (const row of rows) {
    if (!book.has(source(row.page))) book.set(source(row.page), {});
    book.get(source(row.page))[language(row.page)] = row;
  }
  const lines = [
    `| page | ${languages.map((l) => `transferred, ${l} (MB)`).join(" | ")} | requests | largest request (MB) |`,
    `|---|${languages.map(() => "---:").join("|")}|---:|---|`,
    ...[...book].slice(0, top).map(([page, byLanguage]) => {
      const first = byLanguage[languages[0]] ?? Object.values(byLanguage)[0];
      const largest = first.largest[0];
      return `| ${page} | ${languages.map((l) => (byLanguage[l] ? MB(byLanguage[l].bytes) : "")).join(" | ")} | ${first.requests} | `
        + `${largest ? `${path.basename(largest.path)} (${MB(largest.bytes)})` : ""} |`;
    }),
  ];
  fs.writeFileSync(path.join(dir, "page-weight.md"), `${lines.join("\n")}\n`);
  return rows;
}

// ---- verdicts -----------------------------------------------------------------------------------

// What fails a page: axe's violations (but the pending rules) and, at the phone's width, a page
// wider than the screen or a violation there.
export function axeProblems(violations, where = "") {
  return violations.filter((v) => !PENDING_RULES.has(v.rule))
    .map((v) => `WCAG${where} (axe ${v.rule}, ${v.impact}): ${v.help}, ${v.count}×: ${v.nodes.join(" | ")}`);
}

export function phoneProblems(phone) {
  const problems = axeProblems(phone.violations, ` at ${phone.width} px`);
  if (phone.scrollWidth > phone.width) {
    const widest = phone.culprits.map((c) => `${c.element} to ${c.right} px`).join(", ");
    problems.unshift(`${phone.scrollWidth} px wide on a ${phone.width}-px phone (widest: ${widest || "?"})`);
  }
  return problems;
}
