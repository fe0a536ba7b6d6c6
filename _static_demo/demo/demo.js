// The browser demo (book/demo.md): draw a digit, run chapter 8's two networks with
// onnxruntime-web (WebAssembly, one thread), show their probabilities and time them. The page
// loads MobileNet only; the standard twin (eight times the bytes) loads when its answer or its
// time is asked for.
//
// Preprocessing mirrors chapter 8 (mobilenet_lab.data.digits_datasets): a digit is 8×8 pixels
// with values 0–16 (a drawing is brought there the way the UCI digits were made: the ink cropped,
// scaled into a 32×32 bitmap, then 4×4 blocks counted), divided by 16, scaled to size×size with
// PyTorch's bilinear interpolation (align_corners=False), and normalised with the training split's
// mean and standard deviation (all from demo.json, written at build time).
/* global ort */
(function () {
  "use strict";
  const SCRIPT = document.currentScript.src;
  // A translated site lives in <lang>/ under the English one and serves no copy of the networks
  // or of the runtime's WebAssembly: it uses the English site's (scripts/build_translation.py).
  const SITE = document.documentElement.lang.startsWith("en") ? "../../" : "../../../";
  const MODELS = new URL(`${SITE}demo/`, SCRIPT).href;
  const WASM = new URL(`${SITE}_static/vendor/onnxruntime-web/`, SCRIPT).href;
  const RUNS = 100; // timed samples per network
  const WARMUP = 5;
  const MIN_TICKS = 10; // a timed sample spans at least this many steps of the clock
  const MAX_BATCH = 20;

  // ---- the widget's words, in the page's language -------------------------------------------
  // The book's build writes them into the page as JSON (id "mobilenet-demo-labels"), translated
  // by the package's catalog (booktools/sphinxext/demo_page.py, LABELS): the page's HTML
  // (book/demo.md) is raw HTML that Sphinx does not translate, so its labels carry data-text="key"
  // (data-label="key" for an aria-label) and are filled in from there. The English in demo.md is
  // what a reader without JavaScript sees.
  const LABELS = JSON.parse(document.getElementById("mobilenet-demo-labels").textContent);
  const LANGUAGE = (document.documentElement.lang || "en").toLowerCase().split("-")[0];
  // a label with its {fields} filled in
  const fill = (key, values = {}) =>
    LABELS[key].replace(/\{(\w+)\}/g, (field, name) => (name in values ? String(values[name]) : field));
  const NAMES = { separable: LABELS.separable, standard: LABELS.standard };

  // The page's own labels: text (data-text="key"), aria-label (data-label="key"), table headers.
  function translatePage(root) {
    root.querySelectorAll("[data-text]").forEach((node) => {
      if (typeof LABELS[node.dataset.text] === "string") node.textContent = LABELS[node.dataset.text];
    });
    root.querySelectorAll("[data-label]").forEach((node) => {
      if (typeof LABELS[node.dataset.label] === "string") node.setAttribute("aria-label", LABELS[node.dataset.label]);
    });
    root.querySelectorAll(".demo-timing thead th").forEach((th, i) => {
      if (LABELS.headers[i]) th.textContent = LABELS.headers[i];
    });
  }

  // ---- preprocessing (mirrors Python; tested against PyTorch by the browser test) ----------
  // torch.nn.functional.interpolate(mode="bilinear", align_corners=False), one channel.
  function bilinear(src, n, size) {
    const out = new Float32Array(size * size);
    const scale = n / size;
    const index = (d) => {
      const s = Math.max(scale * (d + 0.5) - 0.5, 0);
      const i0 = Math.floor(s);
      const i1 = i0 < n - 1 ? i0 + 1 : i0;
      return [i0, i1, s - i0];
    };
    for (let y = 0; y < size; y++) {
      const [y0, y1, ly] = index(y);
      for (let x = 0; x < size; x++) {
        const [x0, x1, lx] = index(x);
        const top = (1 - lx) * src[y0 * n + x0] + lx * src[y0 * n + x1];
        const bottom = (1 - lx) * src[y1 * n + x0] + lx * src[y1 * n + x1];
        out[y * size + x] = (1 - ly) * top + ly * bottom;
      }
    }
    return out;
  }

  // 64 pixel values 0–16 (row by row) -> the network's input, size×size floats.
  function preprocess(pixels, spec) {
    const scaled = Float32Array.from(pixels.flat(), (v) => v / spec.max);
    const image = spec.size === 8 ? scaled : bilinear(scaled, 8, spec.size);
    return image.map((v) => (v - spec.mean) / spec.std);
  }

  // The ink of the drawing canvas -> 8×8 values 0–16, or null when nothing is drawn.
  function drawingToPixels(canvas) {
    const { width, height } = canvas;
    const alpha = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (alpha[4 * (y * width + x) + 3] > 32) {
          x0 = Math.min(x0, x); x1 = Math.max(x1, x);
          y0 = Math.min(y0, y); y1 = Math.max(y1, y);
        }
      }
    }
    if (x1 < 0) return null;
    // a box around the ink, centred, a little larger than it; a narrow (or flat) drawing is
    // stretched up to 4:5, as the dataset's digits fill most of their box: a thin "7" kept at its
    // own aspect ratio reads as a "3" to both networks, stretched it reads as a "7".
    const w0 = Math.max(x1 - x0, 8) * 1.1;
    const h0 = Math.max(y1 - y0, 8) * 1.1;
    const w = Math.max(w0, 0.8 * h0);
    const h = Math.max(h0, 0.8 * w0);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const bitmap = document.createElement("canvas");
    bitmap.width = bitmap.height = 32;
    const ctx = bitmap.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(canvas, cx - w / 2, cy - h / 2, w, h, 0, 0, 32, 32);
    const ink = ctx.getImageData(0, 0, 32, 32).data;
    const pixels = [];
    for (let r = 0; r < 8; r++) {
      const row = [];
      for (let c = 0; c < 8; c++) {
        let count = 0;
        for (let dy = 0; dy < 4; dy++) {
          for (let dx = 0; dx < 4; dx++) {
            if (ink[4 * ((4 * r + dy) * 32 + 4 * c + dx) + 3] > 64) count++;
          }
        }
        row.push(count);
      }
      pixels.push(row);
    }
    return pixels;
  }

  // ---- the page ------------------------------------------------------------------------------
  const demo = {
    ready: null, last: null, preprocess, drawingToPixels, timing: null, language: LANGUAGE, labels: LABELS, fill,
    loaded: [], // the networks loaded so far, in order
  };
  window.mobilenetDemo = demo;

  function softmax(logits) {
    const m = Math.max(...logits);
    const e = Array.from(logits, (v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  }

  // the q-quantile of sorted numbers, interpolated linearly between the two nearest
  function quantile(sorted, q) {
    const i = (sorted.length - 1) * q;
    const lo = Math.floor(i);
    return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
  }
  const sorted = (xs) => [...xs].sort((a, b) => a - b);
  const median = (xs) => quantile(sorted(xs), 0.5);

  function el(tag, attrs = {}, text = "") {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text) node.textContent = text;
    return node;
  }

  const fmt = (n) => n.toLocaleString("en-US");
  const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
  const blank = () => Array.from({ length: 8 }, () => Array(8).fill(0));

  // ---- the networks: MobileNet loads with the page, any other network (the standard twin, eight
  // times the bytes) the first time its answer or its time is asked for -------------------------
  const FIRST = "separable";

  function createNetworks(info) {
    const sessions = {};
    const loading = {};
    const side = info.preprocess.size;
    return {
      names: Object.keys(info.models),
      loaded: (name) => name in sessions,
      load(name) {
        loading[name] ??= ort.InferenceSession.create(MODELS + info.models[name].file, {
          executionProviders: ["wasm"],
          graphOptimizationLevel: "all",
        }).then((session) => {
          sessions[name] = session;
          demo.loaded.push(name);
          return session;
        }, (err) => {
          delete loading[name]; // a failed download can be tried again
          throw err;
        });
        return loading[name];
      },
      async run(name, input) {
        const session = sessions[name];
        const tensor = new ort.Tensor("float32", input, [1, 1, side, side]);
        const output = await session.run({ [session.inputNames[0]]: tensor });
        return output[session.outputNames[0]].data;
      },
    };
  }

  // ---- probability bars, one block per network; one not loaded yet offers to load itself -------
  function createBars(root, info, onLoad) {
    const bars = {};
    for (const [name, model] of Object.entries(info.models)) {
      const block = el("div", { class: "demo-net", "data-net": name });
      block.append(el("h4", {}, NAMES[name] ?? name));
      const answer = el("p", { class: "demo-answer" }, "—");
      const load = el("button", { type: "button", class: "demo-load" }, fill("load", { mb: megabytes(model.bytes) }));
      load.addEventListener("click", () => onLoad(name));
      block.append(answer, load);
      const rows = [];
      for (let d = 0; d < 10; d++) {
        const row = el("div", { class: "demo-row" });
        const bar = el("span", { class: "demo-bar" });
        const track = el("span", { class: "demo-track" });
        track.append(bar);
        const value = el("span", { class: "demo-value" }, "");
        row.append(el("span", { class: "demo-digit" }, String(d)), track, value);
        block.append(row);
        rows.push({ row, bar, value });
      }
      root.querySelector(".demo-bars").append(block);
      bars[name] = { answer, load, rows };
    }
    return bars;
  }

  function showBars(view, probs) {
    const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
    view.answer.textContent = probs ? fill("answer", { digit: top, percent: (100 * probs[top]).toFixed(1) }) : "—";
    view.rows.forEach(({ row, bar, value }, d) => {
      bar.style.width = probs ? `${(100 * probs[d]).toFixed(1)}%` : "0";
      value.textContent = probs ? `${(100 * probs[d]).toFixed(1)} %` : "";
      row.classList.toggle("demo-top", d === top);
    });
    return top;
  }

  function createPreview(root, spec) {
    const preview = root.querySelector(".demo-preview");
    return (pixels) => {
      const ctx = preview.getContext("2d");
      const cell = preview.width / 8;
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, preview.width, preview.height);
      for (let r = 0; r < 8; r++) {
        for (let c = 0; c < 8; c++) {
          const grey = Math.round(255 * (1 - pixels[r][c] / spec.max));
          ctx.fillStyle = `rgb(${grey},${grey},${grey})`;
          ctx.fillRect(c * cell, r * cell, cell, cell);
        }
      }
    };
  }

  // ---- the drawing canvas: a stroke ends in onDrawn(8×8 pixels) --------------------------------
  function createCanvas(root, onDrawn) {
    const canvas = root.querySelector(".demo-canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.lineWidth = canvas.width / 9; // about as thick, relative to the digit, as the dataset's
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000000";
    let drawing = false;
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return [
        ((event.clientX - box.left) * canvas.width) / box.width,
        ((event.clientY - box.top) * canvas.height) / box.height,
      ];
    };
    const clear = () => ctx.clearRect(0, 0, canvas.width, canvas.height);
    canvas.addEventListener("pointerdown", (event) => {
      if (root.dataset.source === "test") clear();
      root.dataset.source = "drawing";
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      const [x, y] = point(event);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + 0.01, y);
      ctx.stroke();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      const [x, y] = point(event);
      ctx.lineTo(x, y);
      ctx.stroke();
    });
    const finish = () => {
      if (!drawing) return;
      drawing = false;
      const pixels = drawingToPixels(canvas);
      if (pixels) onDrawn(pixels);
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    // a test digit, drawn as its 8×8 blocks of grey
    const show = (pixels, max) => {
      clear();
      const cell = canvas.width / 8;
      for (let r = 0; r < 8; r++) {
        for (let c = 0; c < 8; c++) {
          ctx.fillStyle = `rgba(0,0,0,${pixels[r][c] / max})`;
          ctx.fillRect(c * cell, r * cell, cell, cell);
        }
      }
    };
    return { clear, show };
  }

  // ---- the cost table (wrapped in a box that scrolls on a narrow screen) and "Time it" ----------
  function createTable(root, info) {
    const table = root.querySelector(".demo-timing");
    const box = el("div", { class: "demo-table site-scroll", "aria-label": LABELS.caption });
    table.replaceWith(box);
    box.append(table);
    const cells = {};
    for (const [name, model] of Object.entries(info.models)) {
      const row = el("tr", { "data-net": name });
      row.append(el("td", {}, NAMES[name] ?? name));
      row.append(el("td", { class: "num" }, fmt(model.mult_adds)));
      row.append(el("td", { class: "num" }, fmt(model.params)));
      row.append(el("td", { class: "num" }, `${megabytes(model.bytes)} MB`));
      row.append(el("td", { class: "num" }, `${(100 * model.test_acc).toFixed(1)} %`));
      const latency = el("td", { class: "num demo-latency" }, "—");
      row.append(latency);
      table.querySelector("tbody").append(row);
      cells[name] = latency;
    }
    return cells;
  }

  // ---- timing, with the resolution the browser's clock has ---------------------------------------
  // Browsers coarsen performance.now() against timing attacks (Chrome to 0.1 ms, or 5 µs on a
  // cross-origin-isolated page; Firefox and Safari to as much as 1 ms), some with jitter. The
  // clock's step is measured, as the median nonzero difference between consecutive readings in a
  // busy loop, and no time is shown with a digit finer than it.
  function clockStep(now = () => performance.now(), samples = 64, budgetMs = 200) {
    const steps = [];
    const end = Date.now() + budgetMs;
    let last = now();
    for (let i = 0; steps.length < samples && i < 1e7 && (i % 1024 || Date.now() < end); i++) {
      const t = now();
      if (t !== last) {
        steps.push(t - last);
        last = t;
      }
    }
    return steps.length ? median(steps) : budgetMs;
  }
  // the decimals of a millisecond that show no digit finer than a clock of this step (0 to 3);
  // a step within 0.1 % of a power of ten (0.09999999 ms) counts as that power
  const decimalsFor = (step) => Math.min(3, Math.max(0, Math.floor(-Math.log10(step) + 1e-3)));
  const shownStep = (step) => String(Number(step.toPrecision(2)));

  // a network's samples (ms per image) as a median and the middle half (interquartile range)
  function spread(times) {
    const s = sorted(times);
    return { median: quantile(s, 0.5), low: quantile(s, 0.25), high: quantile(s, 0.75) };
  }
  function latencyText(stats, decimals, batch) {
    const values = Object.fromEntries(["median", "low", "high"].map((k) => [k, stats[k].toFixed(decimals)]));
    return fill(batch > 1 ? "latencyBatched" : "latency", { ...values, batch });
  }
  Object.assign(demo, { clockStep, decimalsFor, latencyText });

  // How many runs in a row one sample times, per network: enough to span MIN_TICKS steps of the
  // clock (a run shorter than that would be mostly rounding), from the warm-up's time.
  async function warmUp(networks, input, step) {
    const batch = {};
    for (const name of networks.names) {
      const t0 = performance.now();
      for (let i = 0; i < WARMUP; i++) await networks.run(name, input);
      const perRun = Math.max(performance.now() - t0, step) / WARMUP;
      batch[name] = Math.min(MAX_BATCH, Math.max(1, Math.ceil((MIN_TICKS * step) / perRun)));
    }
    return batch;
  }

  // every network, one image at a time, interleaved so that both see the same conditions
  async function timeAll(networks, input, cells) {
    const names = networks.names;
    const times = Object.fromEntries(names.map((n) => [n, []]));
    for (const name of names) cells[name].textContent = LABELS.timing;
    const step = clockStep();
    const batch = await warmUp(networks, input, step);
    for (let i = 0; i < RUNS; i++) {
      for (const name of names) {
        const t0 = performance.now();
        for (let r = 0; r < batch[name]; r++) await networks.run(name, input);
        times[name].push((performance.now() - t0) / batch[name]);
      }
    }
    const decimals = decimalsFor(step);
    const timing = { step, decimals, runs: RUNS, batch, networks: {} };
    for (const name of names) {
      timing.networks[name] = spread(times[name]);
      cells[name].textContent = latencyText(timing.networks[name], decimals, batch[name]);
    }
    demo.timing = timing;
    return timing;
  }

  async function loadInfo(say) {
    try {
      const response = await fetch(MODELS + "demo.json");
      if (!response.ok) throw new Error(`demo.json: HTTP ${response.status}`);
      return await response.json();
    } catch (err) {
      say(LABELS.missing, "error");
      throw err;
    }
  }

  // ---- the widget -------------------------------------------------------------------------------
  async function start(root) {
    const status = root.querySelector(".demo-status");
    const say = (text, state) => {
      status.textContent = text;
      status.dataset.state = state;
    };
    translatePage(root);
    say(LABELS.loading, "loading");
    ort.env.wasm.numThreads = 1; // one thread: no SharedArrayBuffer needed on a static host
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmPaths = WASM;
    const info = await loadInfo(say);
    const spec = info.preprocess;
    const networks = createNetworks(info);
    await networks.load(FIRST);

    let current = null; // 8×8 pixels now shown
    const showPreview = createPreview(root, spec);
    async function predict(pixels) {
      current = pixels;
      showPreview(pixels);
      const input = preprocess(pixels, spec);
      const result = {};
      for (const name of networks.names.filter(networks.loaded)) {
        const probs = softmax(await networks.run(name, input));
        result[name] = { probs, top1: showBars(bars[name], probs) };
      }
      demo.last = result;
      root.dataset.predictions = String(Number(root.dataset.predictions ?? 0) + 1);
      return result;
    }

    // a network's first answer: load it, then answer for what is shown
    async function load(name) {
      if (networks.loaded(name)) return;
      const button = bars[name].load;
      button.disabled = true;
      button.textContent = LABELS.loadingNet;
      say(fill("loadingOne", { name: NAMES[name] ?? name, mb: megabytes(info.models[name].bytes) }), "loading");
      try {
        await networks.load(name);
      } catch (err) {
        button.disabled = false;
        button.textContent = fill("load", { mb: megabytes(info.models[name].bytes) });
        say(LABELS.missing, "error");
        throw err;
      }
      shown(name);
      if (current) await predict(current);
      say(LABELS.ready, "ready");
    }
    const bars = createBars(root, info, load);
    // a network's block shows its answer once it is loaded, its "load" button until then
    const shown = (name) => {
      bars[name].answer.hidden = !networks.loaded(name);
      bars[name].load.hidden = networks.loaded(name);
    };
    networks.names.forEach(shown);

    const canvas = createCanvas(root, predict);
    root.querySelector(".demo-clear").addEventListener("click", () => {
      canvas.clear();
      Object.values(bars).forEach((view) => showBars(view, null));
      demo.last = null;
      current = null;
      root.dataset.source = "";
      showPreview(blank());
    });

    // held-out test digits, one click each
    const samples = root.querySelector(".demo-samples");
    info.digits.forEach((digit, i) => {
      const button = el("button", { type: "button", class: "demo-sample", "data-index": i },
        String(digit.label));
      button.title = fill("sample", { label: digit.label });
      button.addEventListener("click", async () => {
        canvas.show(digit.pixels, spec.max);
        root.dataset.source = "test";
        await predict(digit.pixels);
      });
      samples.append(button);
    });

    const cells = createTable(root, info);
    const timeButton = root.querySelector(".demo-time");
    timeButton.addEventListener("click", async () => {
      timeButton.disabled = true;
      try {
        for (const name of networks.names) await load(name);
        const timing = await timeAll(networks, preprocess(current ?? info.digits[0].pixels, spec), cells);
        const { separable, standard } = timing.networks;
        const counted = info.models.standard.mult_adds / info.models.separable.mult_adds;
        root.querySelector(".demo-time-note").textContent = fill("timed", {
          runs: RUNS,
          tick: shownStep(timing.step),
          ticks: MIN_TICKS,
          measured: (standard.median / separable.median).toFixed(1),
          counted: counted.toFixed(1),
        });
      } finally {
        timeButton.disabled = false;
      }
    });

    showPreview(blank());
    root.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    say(LABELS.ready, "ready");
    return info;
  }

  function boot() {
    const root = document.getElementById("mobilenet-demo");
    if (!root) return;
    demo.ready = start(root).catch((err) => {
      console.error("MobileNet demo:", err);
      throw err;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
