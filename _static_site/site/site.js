// The book's own script on every page (issue 20; _config.yml: html_js_files): every box that
// scrolls can be reached with the keyboard and has a name (WCAG 2.1.1; axe:
// scrollable-region-focusable). The theme gives code blocks, cell outputs and tables a tab stop
// when they scroll, but checks only on load, resize and changes to the page, so a box that starts
// to scroll once a font has loaded kept none; and it knows nothing of display math, widgets or
// the demo's table. This checks all of them, again whenever a font or an image loads, the page
// changes (widgets render late) or the window is resized.
(function () {
  "use strict";
  const SELECTOR = [
    // the theme's (pydata-sphinx-theme 0.17, addTabStopsToScrollableElements)
    "pre", ".nboutput > .output_area", ".cell_output > .output", ".jp-RenderedHTMLCommon",
    ".pst-scrollable-table-container",
    // the book's
    'mjx-container[display="true"]', ".jupyter-widgets.widget-box", ".jupyter-widgets.widget-output",
    ".site-scroll",
  ].map((s) => `.bd-article ${s}`).join(", ");
  // the name a screen reader gives such a box, in the page's language (<html lang>)
  const LABELS = { en: "Scrollable content", ko: "스크롤할 수 있는 내용" };
  const LANGUAGE = (document.documentElement.lang || "en").toLowerCase().split("-")[0];
  const LABEL = LABELS[LANGUAGE] ?? LABELS.en;

  function scrolls(box) {
    const style = getComputedStyle(box);
    const x = /auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth;
    const y = /auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight;
    return x || y;
  }

  // What this script added to a box is listed in data-site-scroll, so that it can take it back.
  // A tab stop of -1 (the theme's "does not scroll") counts as none.
  function update() {
    timer = null;
    document.querySelectorAll(SELECTOR).forEach((box) => {
      const added = box.dataset.siteScroll;
      if (scrolls(box)) {
        if (added !== undefined) return;
        const wanted = { tabindex: "0", role: "region", "aria-label": LABEL };
        if (box.hasAttribute("aria-labelledby")) delete wanted["aria-label"];
        if (box.getAttribute("tabindex") === "-1") box.removeAttribute("tabindex");
        const missing = Object.keys(wanted).filter((name) => !box.hasAttribute(name));
        missing.forEach((name) => box.setAttribute(name, wanted[name]));
        box.dataset.siteScroll = missing.join(" ");
      } else if (added !== undefined) {
        added.split(" ").filter(Boolean).forEach((name) => box.removeAttribute(name));
        delete box.dataset.siteScroll;
      }
    });
  }

  let timer = null;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  };
  // for the browser test: true while a check is due
  window.bookSiteScroll = { pending: () => timer !== null };
  function start() {
    update();
    window.addEventListener("resize", later);
    document.fonts?.addEventListener("loadingdone", later);
    // an image that loads late can make its box scroll (load does not bubble: capture it)
    document.addEventListener("load", (event) => event.target instanceof HTMLImageElement && later(), true);
    const main = document.getElementById("main-content") ?? document.body;
    new MutationObserver(later).observe(main, { subtree: true, childList: true });
  }
  if (document.readyState === "complete") start();
  else {
    timer = -1; // due at load
    window.addEventListener("load", start);
  }
})();
