// The browser demo (book/demo.html) in headless Chromium, offline: parity with PyTorch and the
// three interactions.
//
// Usage: node tests/browser/check_demo.mjs [_build/html] [_build/screenshots] [book/demo.html]
// (the page, from the site's root: ko/book/demo.html is the Korean one, which uses the English
// site's networks and WebAssembly).
// Needs the built site (with `make demo-models` output: demo/demo.json and the ONNX files) and
// playwright-core from `make vendor`. Every request off 127.0.0.1 is blocked and counted. Checks:
// - the page loads MobileNet only: the standard twin's file is not requested until its "load"
//   button is pressed, which then answers for the digit shown (the bytes transferred before the
//   first answer and after the twin are printed);
// - the page's JavaScript preprocessing of a test digit equals PyTorch's (demo.json "parity");
// - every held-out test digit, loaded into the canvas with its button, gets PyTorch's top-1 from
//   both networks (and PyTorch's probabilities within 1e-3);
// - a stroke drawn with the mouse gets a prediction from both networks;
// - "Time it" shows, for both networks, the median latency and the middle half of the samples,
//   with no digit finer than the browser's clock: the page's measurement of the clock's step
//   agrees with the test's own, and the page shows the most decimals (0 to 3) that are no finer
//   than that step, for the browser's clock and for it coarsened to 1 ms, 0.1 ms and 5 µs (a
//   coarsening finer than the browser's own clock changes nothing);
// - the widget speaks the page's language (<html lang>): its labels are the ones the build
//   embedded from the package's catalog (booktools/sphinxext/demo_page.py), its answers too; on
//   the English page they are demo.md's fallback text, on a translated page none of them is;
// - with both networks' answers and latencies shown, 0 WCAG 2 A/AA violations (axe-core) and the
//   page still fits a 390-px phone;
// - 0 console errors, 0 page errors, 0 failed or 4xx/5xx requests.
// Screenshots: demo-first-answer.png, demo-test-digit.png, demo-drawn.png, demo-timed.png,
// demo-timed-phone.png.

import fs from "node:fs";
import path from "node:path";

import { ROOT, openOffline } from "./offline.mjs";
import { MB, axeProblems, axeViolations, phoneOverflow, phoneProblems, weigh } from "./audit.mjs";

const SITE = path.resolve(process.argv[2] ?? path.join(ROOT, "_build/html"));
const SHOTS = path.resolve(process.argv[3] ?? path.join(ROOT, "_build/screenshots"));
const PAGE = process.argv[4] ?? "book/demo.html";
const TAG = PAGE.startsWith("book/") ? "demo" : `${PAGE.split("/")[0]}-demo`;  // screenshots

// A full-page screenshot from the top, nothing focused (the theme's sticky header and its
// "skip to main content" link would otherwise cover the demo).
async function shoot(tab, name) {
  await tab.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await tab.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

// The page loads MobileNet only: the first test digit gets its answer and no other (the standard
// twin's file not even requested); the twin's "load" button then fetches it and adds its answer.
async function firstAnswer(tab, info, weight, fail) {
  const [first, ...others] = Object.keys(info.models);
  const requested = (name) => weight.resources.some((r) => r.url.endsWith(`/demo/${info.models[name].file}`));
  const answered = (n) => tab.waitForFunction((k) => Number(document.getElementById("mobilenet-demo").dataset.predictions ?? 0) > k, n);
  await tab.locator(".demo-sample").first().click();
  await answered(0);
  await tab.waitForLoadState("networkidle");
  const before = { bytes: weight.bytes, requests: weight.requests };
  const shown = await tab.evaluate(() => ({ last: Object.keys(window.mobilenetDemo.last), loaded: window.mobilenetDemo.loaded }));
  if (JSON.stringify(shown.last) !== JSON.stringify([first]) || JSON.stringify(shown.loaded) !== JSON.stringify([first])) {
    fail(`first answer from ${JSON.stringify(shown.last)} (loaded ${JSON.stringify(shown.loaded)}), expected ${first} only`);
  }
  for (const name of others) if (requested(name)) fail(`${name}'s network downloaded before its answer was asked for`);
  await shoot(tab, `${TAG}-first-answer.png`);
  for (const name of others) {
    const n = Number(await tab.evaluate(() => document.getElementById("mobilenet-demo").dataset.predictions));
    await tab.locator(`.demo-net[data-net="${name}"] .demo-load`).click();
    await answered(n);
    const last = await tab.evaluate(() => window.mobilenetDemo.last);
    if (!last[name] || last[name].top1 !== info.digits[0].top1[name]) fail(`${name} loaded, answer ${JSON.stringify(last[name]?.top1)}`);
    if (!requested(name)) fail(`${name} answered without its network being downloaded`);
    if (await tab.locator(`.demo-net[data-net="${name}"] .demo-load`).isVisible()) fail(`${name}'s load button still shown`);
  }
  console.log(`  before the first answer: ${MB(before.bytes)} MB in ${before.requests} requests (${others.join(", ")} not requested); `
    + `with ${others.join(", ")}: ${MB(weight.bytes)} MB`);
}

// The clock's step as the test measures it: the median nonzero difference between consecutive
// readings of performance.now() (optionally coarsened to `step` ms), in the page.
const measureStep = (tab, step = 0) => tab.evaluate((coarse) => {
  const now = coarse ? () => Math.floor(performance.now() / coarse) * coarse : () => performance.now();
  const diffs = [];
  let last = now();
  while (diffs.length < 33) {
    const t = now();
    if (t !== last) { diffs.push(t - last); last = t; }
  }
  return diffs.sort((a, b) => a - b)[16];
}, step);

// The most decimals of a millisecond (0 to 3) whose last digit is no finer than a clock's step.
const decimalsWanted = (step) => {
  let decimals = 0;
  while (decimals < 3 && 10 ** -(decimals + 1) >= 0.999 * step) decimals += 1;
  return decimals;
};

// "Time it"'s numbers: as many decimals as the clock's step allows (decimalsWanted), the step
// measured by the page as the test does; the median within the middle half; the page's function
// agrees with decimalsWanted for clocks coarsened to 1 ms, 0.1 ms and 5 µs.
async function checkTiming(tab, latencies) {
  const problems = [];
  const timing = await tab.evaluate(() => window.mobilenetDemo.timing);
  const step = await measureStep(tab);
  if (!(Math.abs(timing.step - step) <= 0.1 * step)) problems.push(`clock step ${timing.step} ms, the test measured ${step} ms`);
  if (timing.decimals !== decimalsWanted(step)) problems.push(`${timing.decimals} decimals for a clock of ${step} ms, want ${decimalsWanted(step)}`);
  const number = String.raw`(\d+(?:\.(\d+))?)`;
  const shape = new RegExp(String.raw`^${number} ms \(${number}–${number}\)`);
  Object.entries(timing.networks).forEach(([name, stats], i) => {
    const match = shape.exec(latencies[i] ?? "");
    if (!match) return problems.push(`${name}: latency ${JSON.stringify(latencies[i])}`);
    const [median, low, high] = [match[1], match[3], match[5]];
    const decimals = [match[2], match[4], match[6]].map((d) => (d ?? "").length);
    if (decimals.some((d) => d !== timing.decimals)) problems.push(`${name}: ${latencies[i]} with ${timing.decimals} decimals expected`);
    if ([stats.median, stats.low, stats.high].map((v) => v.toFixed(timing.decimals)).join() !== [median, low, high].join()) {
      problems.push(`${name}: ${latencies[i]} is not ${JSON.stringify(stats)}`);
    }
    if (!(stats.low <= stats.median && stats.median <= stats.high)) problems.push(`${name}: median outside its middle half`);
  });
  for (const coarse of [1, 0.1, 0.005]) {
    const [page, test] = [await tab.evaluate((c) => {
      const demo = window.mobilenetDemo;
      const seen = demo.clockStep(() => Math.floor(performance.now() / c) * c);
      return [seen, demo.decimalsFor(seen), demo.latencyText({ median: 3.26, low: 3.04, high: 3.71 }, demo.decimalsFor(seen), 1)];
    }, coarse), await measureStep(tab, coarse)];
    const decimals = decimalsWanted(test);
    if (!(Math.abs(page[0] - test) <= 0.1 * test) || page[1] !== decimals) {
      problems.push(`a ${coarse}-ms clock: step ${page[0]}, ${page[1]} decimals (${page[2]}); want ${test}, ${decimals}`);
    }
  }
  return problems;
}

async function main() {
  const started = Date.now();
  const info = JSON.parse(fs.readFileSync(path.join(SITE, "demo/demo.json"), "utf8"));
  fs.mkdirSync(SHOTS, { recursive: true });
  const { origin, context, failures, close } = await openOffline(SITE, { width: 1280, height: 1100 });
  const fail = (what) => failures.push(what);
  const tab = await context.newPage();
  tab.on("console", (msg) => { if (msg.type() === "error") fail(`console error: ${msg.text()}`); });
  tab.on("pageerror", (err) => fail(`JavaScript error: ${err.message}`));
  tab.on("requestfailed", (req) => fail(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  tab.on("response", (res) => { if (res.status() >= 400) fail(`HTTP ${res.status()}: ${res.url()}`); });
  const predictions = () => tab.evaluate(() => Number(document.getElementById("mobilenet-demo").dataset.predictions ?? 0));
  const weight = await weigh(context, tab);
  try {
    await tab.goto(`${origin}/${PAGE}`, { waitUntil: "load" });
    await tab.waitForFunction(() => window.mobilenetDemo?.ready, null, { timeout: 30000 });
    await tab.evaluate(() => window.mobilenetDemo.ready);
    const state = await tab.locator(".demo-status").getAttribute("data-state");
    if (state !== "ready") throw new Error(`demo not ready: ${state}`);

    // 0. the widget's words are the page's language's, from the labels the build embedded
    const words = await tab.evaluate(async () => {
      const { language } = window.mobilenetDemo;
      const labels = JSON.parse(document.getElementById("mobilenet-demo-labels").textContent);
      const selectors = [".demo-clear", ".demo-time", ".demo-timing caption"];
      const texts = (doc) => [...selectors.map((s) => doc.querySelector(s).textContent),
        ...[...doc.querySelectorAll(".demo-timing thead th")].map((th) => th.textContent)];
      const html = await (await fetch(location.href)).text();
      return {
        page: document.documentElement.lang || "en",
        language,
        status: [document.querySelector(".demo-status").textContent, labels.ready],
        expected: [labels.clear, labels.time, labels.caption, ...labels.headers],
        shown: texts(document),
        fallback: texts(new DOMParser().parseFromString(html, "text/html")),
      };
    });
    if (!words.page.startsWith(words.language)) fail(`page lang ${words.page}, widget ${words.language}`);
    if (words.status[0] !== words.status[1]) fail(`status ${JSON.stringify(words.status[0])}, want ${JSON.stringify(words.status[1])}`);
    const english = words.language === "en";
    words.expected.forEach((want, i) => {
      if (words.shown[i] !== want) fail(`label ${i}: ${JSON.stringify(words.shown[i])}, want ${JSON.stringify(want)}`);
      if ((words.fallback[i] === want) !== english) {
        fail(`label ${i}: ${JSON.stringify(want)} ${english ? "differs from" : "is"} demo.md's English ${JSON.stringify(words.fallback[i])}`);
      }
    });
    console.log(`  language: ${words.page} (${words.shown.slice(1, 3).join(", ")})`);

    // 1. the JavaScript preprocessing equals PyTorch's
    const diff = await tab.evaluate(({ pixels, spec, expected }) => {
      const got = window.mobilenetDemo.preprocess(pixels, spec);
      return Math.max(...expected.map((v, i) => Math.abs(v - got[i])));
    }, { pixels: info.digits[0].pixels, spec: info.preprocess, expected: info.parity });
    if (!(diff < 1e-4)) fail(`preprocessing differs from PyTorch's by ${diff}`);

    await firstAnswer(tab, info, weight, fail);

    // 2. every held-out digit, loaded into the canvas: PyTorch's top-1 from both networks
    const buttons = tab.locator(".demo-sample");
    if ((await buttons.count()) !== info.digits.length) fail("not one button per test digit");
    for (let i = 0; i < info.digits.length; i++) {
      const before = await predictions();
      await buttons.nth(i).click();
      await tab.waitForFunction((n) => Number(document.getElementById("mobilenet-demo").dataset.predictions) > n, before);
      const last = await tab.evaluate(() => window.mobilenetDemo.last);
      for (const [net, expected] of Object.entries(info.digits[i].probs)) {
        const got = last[net];
        if (got.top1 !== info.digits[i].top1[net]) {
          fail(`test digit ${info.digits[i].label}: ${net} top-1 ${got.top1}, PyTorch ${info.digits[i].top1[net]}`);
        }
        const worst = Math.max(...expected.map((p, d) => Math.abs(p - got.probs[d])));
        if (!(worst < 1e-3)) fail(`test digit ${info.digits[i].label}: ${net} probabilities differ by ${worst}`);
      }
      if (i === 3) await shoot(tab, `${TAG}-test-digit.png`);
    }

    // 3. a stroke drawn with the mouse gets a prediction
    await tab.locator(".demo-clear").click();
    if (await tab.evaluate(() => window.mobilenetDemo.last) !== null) fail("Clear kept the prediction");
    const box = await tab.locator(".demo-canvas").boundingBox();
    const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
    const before = await predictions();
    // a "7": the top bar, then the diagonal
    const stroke = [[0.3, 0.2], [0.5, 0.2], [0.7, 0.2], [0.62, 0.4], [0.55, 0.6], [0.48, 0.82]];
    await tab.mouse.move(...at(...stroke[0]));
    await tab.mouse.down();
    for (const p of stroke.slice(1)) await tab.mouse.move(...at(...p), { steps: 8 });
    await tab.mouse.up();
    await tab.waitForFunction((n) => Number(document.getElementById("mobilenet-demo").dataset.predictions) > n, before);
    const drawn = await tab.evaluate(() => {
      const { last, fill } = window.mobilenetDemo;
      return {
        last,
        answers: [...document.querySelectorAll(".demo-answer")].map((a) => a.textContent),
        expected: Object.values(last ?? {}).map((r) => fill("answer", { digit: r.top1, percent: (100 * r.probs[r.top1]).toFixed(1) })),
      };
    });
    for (const net of Object.keys(info.models)) {
      if (!drawn.last?.[net] || !(drawn.last[net].top1 >= 0 && drawn.last[net].top1 <= 9)) fail(`no ${net} prediction after drawing`);
    }
    if (drawn.answers.join("|") !== drawn.expected.join("|")) fail(`answers after drawing: ${drawn.answers}`);
    console.log(`  drawn stroke: ${drawn.answers.join("; ")}`);
    await shoot(tab, `${TAG}-drawn.png`);

    // 4. "Time it": a median and a spread for both networks, at the clock's resolution
    await tab.locator(".demo-time").click();
    await tab.waitForFunction(() => window.mobilenetDemo.timing !== null, null, { timeout: 120000 });
    const latencies = await tab.locator(".demo-latency").allTextContents();
    (await checkTiming(tab, latencies)).forEach(fail);
    console.log(`  time it: ${latencies.join(", ")} (${await tab.locator(".demo-time-note").textContent()})`);

    // 5. everything shown: WCAG 2 A/AA (before a full-page screenshot resizes the viewport), and on
    // a phone
    await tab.mouse.move(0, 0);
    axeProblems(await axeViolations(tab)).forEach(fail);
    await shoot(tab, `${TAG}-timed.png`);
    phoneProblems(await phoneOverflow(tab, path.join(SHOTS, `${TAG}-timed-phone.png`))).forEach(fail);
  } catch (err) {
    fail(`${err.message}`);
  } finally {
    await close();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const unique = [...new Set(failures)];
  for (const f of unique) console.log(`FAIL ${f}`);
  console.log(`demo browser test: ${info.digits.length} test digits, ${unique.length} problems, ${seconds} s; screenshots in ${SHOTS}`);
  process.exit(unique.length ? 1 : 0);
}

main().catch((err) => { console.error(err); process.exit(1); });
