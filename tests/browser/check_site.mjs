// Open every page of the built book in headless Chromium, offline, and fail on anything broken.
//
// Usage: node tests/browser/check_site.mjs [_build/html] [_build/screenshots]
// Needs Debian's chromium (CHROMIUM, default /usr/bin/chromium) and playwright-core from
// `make vendor` (_build/npm/node_modules). The site is served by this script on 127.0.0.1; every
// other request is blocked and counted as a failure. Checks per page: console errors and page
// errors, failed or 4xx/5xx requests, broken images, math that MathJax did not render, widgets
// that did not render, internal links (file and #anchor), and the Colab link (a notebook page must
// link to its own notebook on GitHub, other pages to none), and on every chapter the concept quiz
// (jupyterquiz): five questions rendered from the page itself, a wrong answer marked wrong and a
// correct one marked correct, each with its feedback, in the page's language (the Korean chapters
// show the Korean quiz, the English ones the English quiz, the other one hidden). Screenshots go
// to _build/screenshots/: every page at desktop width with BROWSER_SHOTS=all (`make browser`),
// else the four pages below in each language (a full-page PNG costs a page about 2 s of CPU);
// every quiz, answered, on its own: <page>__quiz.png.
// Every convolution animation (mobilenet_lab.animations) goes live, its "Next step" button moves
// it one step, the still stands in for it with reduced motion, and on a 390-px phone an
// animation of two panels shows them one above the other, neither shrunk below 60%.
// The Korean site (_build/html/ko/, issue 13) is opened as well, page by page: its Colab buttons
// open the Korean reader edition (ko/reader/…), every page's language switcher leads to the same
// page in the other language, and a Korean search ("합성곱") finds chapter 1.
// Issue 20, on every page of both sites (tests/browser/audit.mjs): axe-core's WCAG 2.0/2.1 A and
// AA rules, 0 violations (figures without alt text included: ALT_TEXT_PENDING); at a 390-px
// phone viewport the page is no wider than the screen (else: its width and widest elements) and
// every box that scrolls there has a tab stop; the bytes each page transfers, written to
// _build/page-weight.json and page-weight.md (the largest pages), with the WCAG and phone results
// in _build/accessibility.json. Phone screenshots of four pages per language: <page>__phone.png.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { ROOT, openOffline } from "./offline.mjs";
import {
  PENDING_RULES, axeProblems, axeViolations, figureAltViolations, phoneOverflow, phoneProblems, weigh, writeWeights,
} from "./audit.mjs";

const SITE = path.resolve(process.argv[2] ?? path.join(ROOT, "_build/html"));
const SHOTS = path.resolve(process.argv[3] ?? path.join(ROOT, "_build/screenshots"));
const REPORTS = path.dirname(SHOTS);  // page-weight.json/.md and accessibility.json, next to SHOTS
const ALL_SHOTS = process.env.BROWSER_SHOTS === "all";  // a desktop screenshot of every page
// pages also photographed at the phone's width (<page>__phone.png), in every language
const PHONE_SHOTS = new Set(["index.html", "book/04_depthwise_separable_convolution.html",
  "book/08_training.html", "book/demo.html"]);

// What the test needs to know about the book, from the chapter registry (booktools/book.py;
// `make browser` writes it): its languages, its numbered chapters (number, page, notebook) and
// each language's Colab links, `colab[lang][edition] + notebook`.
const BOOK = JSON.parse(fs.readFileSync(path.join(ROOT, "_build/book.json"), "utf8"));

function pages(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith("_") ? [] : pages(full, base);
    return entry.name.endsWith(".html") ? [path.relative(base, full)] : [];
  }).sort();
}

// Judge a page only once it has finished loading, whatever this machine renders first: network
// idle, then every font the page declares (@font-face, the widget manager's icon fonts too)
// asked for and loaded or failed, then network idle again. A browser loads a font lazily, when
// a glyph needs it, so without this the verdict depended on the machine.
async function settle(tab) {
  await tab.waitForLoadState("networkidle").catch(() => {});
  await tab.evaluate(async () => {
    await Promise.allSettled([...document.fonts].map((font) => font.load()));
    await document.fonts.ready;
  });
  await tab.waitForLoadState("networkidle").catch(() => {});
}

async function checkPage(context, origin, page, failures) {
  const tab = await context.newPage();
  const fail = (what) => failures.push(`${page}: ${what}`);
  tab.on("console", (msg) => { if (msg.type() === "error") fail(`console error: ${msg.text()}`); });
  tab.on("pageerror", (err) => fail(`JavaScript error: ${err.message}`));
  tab.on("requestfailed", (req) => fail(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  tab.on("response", (res) => { if (res.status() >= 400) fail(`HTTP ${res.status()}: ${res.url()}`); });
  const weight = await weigh(context, tab);
  await tab.goto(`${origin}/${page}`, { waitUntil: "load" });
  await settle(tab);
  const info = await tab.evaluate(async () => {
    if (window.MathJax?.startup?.promise) await window.MathJax.startup.promise;
    const hasWidgets = !!document.querySelector('script[type="application/vnd.jupyter.widget-view+json"]');
    for (let i = 0; hasWidgets && i < 100 && !document.querySelector(".jupyter-widgets"); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const math = [...document.querySelectorAll("span.math, div.math")];
    return {
      math: math.length,
      unrendered: math.filter((m) => !m.querySelector("mjx-container")).map((m) => m.textContent.slice(0, 60)),
      mathErrors: document.querySelectorAll("mjx-merror").length,
      hasWidgets,
      widgets: document.querySelectorAll(".jupyter-widgets").length,
      brokenImages: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
      links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
      switcher: [...document.querySelectorAll(".dropdown-language-switcher a[href]")]
        .map((a) => a.href),
      ids: [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.getAttribute("name")),
    };
  });
  for (const text of info.unrendered) fail(`math not rendered by MathJax: ${text}`);
  if (info.mathErrors) fail(`${info.mathErrors} MathJax error(s) in formulas`);
  if (info.hasWidgets && !info.widgets) fail("widget state saved but no widget rendered");
  for (const src of info.brokenImages) fail(`broken image: ${src}`);
  info.quiz = CHAPTERS.has(sourcePage(page)) ? await checkQuiz(tab, page, fail) : 0;
  info.animations = await checkAnimations(tab, fail);
  await settle(tab);  // widgets and MathJax may have declared fonts of their own meanwhile
  // WCAG before the screenshot: a full-page screenshot resizes the viewport behind the page's back
  // (the page's check of its scrolling boxes runs during it, and no resize tells it of the return)
  await tab.mouse.move(0, 0);  // nothing hovered: the same verdict on every machine
  await weight.stop();
  info.axe = [...await axeViolations(tab), ...await figureAltViolations(tab)];
  axeProblems(info.axe).forEach(fail);
  const shot = path.join(SHOTS, page.replace(/\//g, "__").replace(/\.html$/, ".png"));
  if (ALL_SHOTS || PHONE_SHOTS.has(sourcePage(page))) await tab.screenshot({ path: shot, fullPage: true });
  info.phone = await phoneOverflow(tab, PHONE_SHOTS.has(sourcePage(page)) ? shot.replace(/\.png$/, "__phone.png") : null);
  phoneProblems(info.phone).forEach(fail);
  info.weight = weight;
  await tab.close();
  return info;
}

const LANGUAGES = BOOK.languages.slice(1);  // translated sites, each in <lang>/ under the English one

function language(page) {
  return LANGUAGES.find((lang) => page.startsWith(`${lang}/`)) ?? "en";
}

function sourcePage(page) {
  const lang = language(page);
  return lang === "en" ? page : page.slice(lang.length + 1);
}

const CHAPTERS = new Set(BOOK.chapters.map((c) => `${c.page}.html`));

// The chapter's quiz: jupyterquiz builds it in the browser from the questions embedded in the
// page (no request), once per language; the page shows the quiz of its own language (<html
// lang>). Answer the first question wrongly, then rightly, as a student would.
async function checkQuiz(tab, page, fail) {
  const lang = language(page);
  const mine = `.mobilenet-lab-quiz-${lang} .Quiz`;
  const rendered = await tab.waitForFunction((sel) => document.querySelectorAll(sel).length >= 5,
    mine, { timeout: 10000 }).then(() => true, () => false);
  if (!rendered) { fail(`concept quiz (${lang}) not rendered`); return 0; }
  const questions = await tab.locator(mine).count();
  if (questions !== 5) fail(`concept quiz has ${questions} questions, expected 5`);
  const shown = await tab.evaluate(() => [...document.querySelectorAll(".mobilenet-lab-quiz > div")]
    .filter((d) => d.offsetParent !== null).map((d) => d.getAttribute("lang")));
  if (JSON.stringify(shown) !== JSON.stringify([lang])) {
    fail(`quiz languages shown ${JSON.stringify(shown)}, expected only ${lang}`);
  }
  const text = await tab.locator(mine).first().innerText();
  if (lang === "ko" && !/[가-힣]/.test(text)) fail(`Korean quiz shows no Korean: ${text.slice(0, 80)}`);
  if (lang === "en" && /[가-힣]/.test(text)) fail(`English quiz shows Korean: ${text.slice(0, 80)}`);
  const first = tab.locator(mine).first();
  await first.scrollIntoViewIfNeeded();
  const answer = async (correct) => {
    const label = first.locator(`label.MCButton[data-correct="${correct}"]`).first();
    const expected = (await label.getAttribute("data-feedback")) ?? "";
    await label.click();
    const fb = await first.locator(".Feedback").evaluate((el) => ({ cls: el.className, text: el.textContent }));
    const marked = fb.cls.split(/\s+/).includes(correct ? "correct" : "incorrect");
    const text = expected.replace(/<[^>]+>/g, "").slice(0, 40);
    if (!marked || !text || !fb.text.includes(text)) {
      fail(`quiz: a${correct ? " correct" : " wrong"} answer gave feedback ${JSON.stringify(fb)}`);
    }
  };
  await answer(false);
  await answer(true);
  const root = first.locator("xpath=..");
  await root.screenshot({ path: path.join(SHOTS, page.replace(/\//g, "__").replace(/\.html$/, "__quiz.png")) });
  // leave the page as the other pages are screenshot: at the top, nothing focused
  await tab.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  return questions;
}

// The animations' players (mobilenet_lab/assets/animation_player.js): live, stepping, a still
// with reduced motion, stacked panels on a phone. Returns how many the page has.
async function checkAnimations(tab, fail) {
  const count = await tab.locator(".mnl-anim").count();
  for (let i = 0; i < count; i++) {
    const anim = tab.locator(".mnl-anim").nth(i);
    if (!(await anim.evaluate((el) => el.classList.contains("mnl-live")))) {
      fail(`animation ${i + 1}: the player did not start`);
      continue;
    }
    const step = () => anim.locator(".mnl-anim-bar output").innerText();
    const before = await step();
    await anim.locator(".mnl-anim-bar button").nth(3).click();  // "Next step"
    const after = await step();
    if (!/^1 \/ \d+$/.test(before) || !after.startsWith("2 /")) {
      fail(`animation ${i + 1}: "Next step" went from "${before}" to "${after}"`);
    }
  }
  if (!count) return 0;
  await tab.emulateMedia({ reducedMotion: "reduce" });
  const still = await tab.evaluate(() => [...document.querySelectorAll(".mnl-anim")].map((el) => ({
    player: el.querySelector(".mnl-player").offsetParent !== null,
    still: el.querySelector(".mnl-still").offsetParent !== null,
  })));
  await tab.emulateMedia({ reducedMotion: "no-preference" });
  still.forEach((s, i) => {
    if (s.player || !s.still) fail(`animation ${i + 1}: reduced motion shows ${JSON.stringify(s)}`);
  });
  const size = tab.viewportSize();
  await tab.setViewportSize({ width: 390, height: 844 });
  // the players' ResizeObservers fire after the resize, later on a busy machine: wait (up to 15 s)
  // until every multi-panel player has stacked, then measure (a player that never stacks fails below)
  await tab.waitForFunction(() => [...document.querySelectorAll(".mnl-anim")].every((el) =>
    el.classList.contains("mnl-stacked") ||
    JSON.parse(el.querySelector(".mnl-frames").textContent).regions.length < 2),
  null, { timeout: 15000 }).catch(() => {});
  const phone = await tab.evaluate(() => [...document.querySelectorAll(".mnl-anim")].map((el) => {
    const data = JSON.parse(el.querySelector(".mnl-frames").textContent);
    const shown = [...el.querySelectorAll(el.classList.contains("mnl-stacked") ? ".mnl-view" : ".mnl-whole")]
      .filter((v) => v.closest(".mnl-player") && v.offsetParent !== null);
    const natural = data.regions.length > 1 && el.classList.contains("mnl-stacked")
      ? data.regions.map((r) => r[2] - r[0]) : [data.size[0]];
    return { panels: data.regions.length, stacked: el.classList.contains("mnl-stacked"),
      scales: shown.map((v, j) => v.getBoundingClientRect().width / natural[j]) };
  }));
  await tab.setViewportSize(size);
  phone.forEach((p, i) => {
    if ((p.panels > 1 && !p.stacked) || !p.scales.length || Math.min(...p.scales) < 0.6) {
      fail(`animation ${i + 1} on a 390-px phone: ${JSON.stringify(p)}`);
    }
  });
  return count;
}

function checkColab(page, links, failures) {
  // A chapter's Colab button opens its reader edition (the Korean one on a Korean page); the
  // teacher page lists every chapter's student edition; no other page links to Colab.
  const colab = [...new Set(links.filter((l) => l.includes("colab.research.google.com")))];
  const notebook = sourcePage(page).replace(/\.html$/, ".ipynb");
  const lang = language(page);
  const reader = BOOK.colab[lang].reader;
  let expected = [];
  if (fs.existsSync(path.join(ROOT, notebook))) expected = [reader + path.basename(notebook)];
  if (sourcePage(page) === "book/teachers.html") {
    // every numbered chapter's student edition, in reading order, in the page's language
    expected = BOOK.chapters.map((c) => BOOK.colab[lang].student + c.notebook);
  }
  if (JSON.stringify(colab) !== JSON.stringify(expected)) {
    failures.push(`${page}: Colab links ${JSON.stringify(colab)}, expected ${JSON.stringify(expected)}`);
  }
}

function checkLinks(origin, results, failures) {
  for (const [page, info] of Object.entries(results)) {
    for (const href of new Set(info.links)) {
      if (!href.startsWith(origin)) continue;
      const url = new URL(href);
      let target = decodeURIComponent(url.pathname).replace(/^\//, "");
      if (target === "" || target.endsWith("/")) target += "index.html";
      if (!fs.existsSync(path.join(SITE, target))) { failures.push(`${page}: broken link ${href}`); continue; }
      const anchor = decodeURIComponent(url.hash.slice(1));
      if (anchor && target.endsWith(".html") && results[target] && !results[target].ids.includes(anchor)) {
        failures.push(`${page}: link to a missing anchor ${href}`);
      }
    }
  }
}

function checkSwitcher(origin, page, switcher, all, failures) {
  // Every page offers the same page in every language that has it (the redirecting index.html
  // pages of each site included).
  const source = sourcePage(page);
  for (const lang of ["en", ...LANGUAGES]) {
    if (lang === language(page)) continue;
    const counterpart = lang === "en" ? source : `${lang}/${source}`;
    if (!all.includes(counterpart)) continue;
    if (!switcher.includes(`${origin}/${counterpart}`)) {
      failures.push(`${page}: no language switcher link to ${counterpart} (has ${JSON.stringify(switcher)})`);
    }
  }
}

async function checkSearch(context, origin, failures) {
  // Sphinx has no Korean search language; the book's (booktools/sphinxext/korean.py) indexes nouns without
  // their particles, so "합성곱" finds chapter 1, where it is written "합성곱은", "합성곱을"….
  if (!fs.existsSync(path.join(SITE, "ko/search.html"))) return;
  const tab = await context.newPage();
  await tab.goto(`${origin}/ko/search.html?q=${encodeURIComponent("합성곱")}`, { waitUntil: "load" });
  // Sphinx lists the hits one by one and writes its summary line once it has finished.
  const found = await tab.waitForFunction(
    () => (document.querySelector(".search-summary")?.textContent.trim()
      ? [...document.querySelectorAll("#search-results a")].map((a) => a.href) : null),
    null, { timeout: 15000 },
  ).then((handle) => handle.jsonValue()).catch(() => []);
  const hits = found.filter((href) => href.includes("01_standard_convolution"));
  if (!hits.length) failures.push(`ko/search.html: "합성곱" does not find chapter 1 (${found.length} results)`);
  console.log(`  ko/search.html?q=합성곱: ${found.length} results`);
  await tab.close();
}

// _build/page-weight.{json,md} (every page's transferred bytes, the largest first) and
// _build/accessibility.json (every page's width at the phone viewport and its axe violations).
function writeReports(results) {
  const weights = Object.fromEntries(Object.entries(results).map(([page, r]) => [page, r.weight]));
  const rows = writeWeights(weights, REPORTS, { source: sourcePage, language });
  const audit = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)).map(([page, r]) => [page, {
    phoneWidth: r.phone.scrollWidth, culprits: r.phone.culprits,
    violations: r.axe.map((v) => ({ rule: v.rule, impact: v.impact, count: v.count, pending: PENDING_RULES.has(v.rule) })),
  }]));
  fs.writeFileSync(path.join(REPORTS, "accessibility.json"), `${JSON.stringify(audit, null, 1)}\n`);
  for (const rule of PENDING_RULES) {
    const pages = Object.entries(audit).map(([page, a]) => [page, a.violations.find((v) => v.rule === rule)?.count ?? 0])
      .filter(([, n]) => n);
    const total = pages.reduce((sum, [, n]) => sum + n, 0);
    if (total) console.log(`  pending (issue 20, ALT_TEXT_PENDING): ${rule} ${total}× on ${pages.length} pages`);
  }
  console.log(`  heaviest page: ${rows[0].page}, ${(rows[0].bytes / 1e6).toFixed(2)} MB; `
    + `reports in ${REPORTS}/page-weight.md, page-weight.json, accessibility.json`);
}

// Pages are checked a few at a time, each in its own tab (BROWSER_TABS, default: one per CPU core,
// at most 4): a page's verdict does not depend on the others.
const TABS = Number(process.env.BROWSER_TABS) || Math.min(4, os.availableParallelism());

async function inParallel(items, tabs, work) {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(tabs, items.length) }, worker));
}

async function main() {
  const started = Date.now();
  const all = pages(SITE);
  if (!all.length) throw new Error(`no pages in ${SITE}: build the book first`);
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const { origin, context, failures, close } = await openOffline(SITE, { width: 1280, height: 900 });
  const results = {};
  try {
    await inParallel(all, TABS, async (page) => {
      results[page] = await checkPage(context, origin, page, failures);
      checkColab(page, results[page].links, failures);
      if (page.endsWith(".html") && !page.endsWith("search.html") && !page.endsWith("genindex.html")
        && sourcePage(page) !== "index.html") {
        checkSwitcher(origin, page, results[page].switcher, all, failures);
      }
    });
    for (const page of all) {
      const r = results[page];
      const quiz = r.quiz ? `, a ${r.quiz}-question quiz answered` : "";
      const anims = r.animations ? `, ${r.animations} animation(s) played` : "";
      const pending = r.axe.filter((v) => PENDING_RULES.has(v.rule)).map((v) => `, ${v.count}× ${v.rule} (pending)`).join("");
      console.log(`  ${page}: ${r.math} formulas, ${r.widgets} widgets, ${r.links.length} links${quiz}${anims}; `
        + `${(r.weight.bytes / 1e6).toFixed(2)} MB in ${r.weight.requests} requests, ${r.phone.scrollWidth} px at phone width${pending}`);
    }
    checkLinks(origin, results, failures);
    await checkSearch(context, origin, failures);
  } finally {
    await close();
  }
  writeReports(results);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const unique = [...new Set(failures)].sort();
  for (const f of unique) console.log(`FAIL ${f}`);
  console.log(`browser test: ${all.length} pages (${TABS} at a time), ${unique.length} problems, ${seconds} s; screenshots in ${SHOTS}`);
  process.exit(unique.length ? 1 : 0);
}

main().catch((err) => { console.error(err); process.exit(1); });
