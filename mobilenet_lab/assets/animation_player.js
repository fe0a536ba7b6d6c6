// The offline player of mobilenet_lab.animations. It builds the player of the animation it
// belongs to (document.currentScript's parent; else every one not started yet), so the HTML has
// no element ids. Without JavaScript only the still is there.
(function () {
  "use strict";
  var ICONS = {
    first: "M3 2h2v12H3zM14 2v12L6 8z",
    back: "M12 2v12L4 8z",
    play: "M4 2v12l10-6z",
    pause: "M4 2h3v12H4zM9 2h3v12H9z",
    forward: "M4 2v12l8-6z",
    last: "M11 2h2v12h-2zM2 2v12l8-6z"
  };

  function element(tag, attributes, parent) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    parent.appendChild(node);
    return node;
  }

  function png(base64) {
    return "data:image/png;base64," + base64;
  }

  function start(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var data = JSON.parse(root.querySelector(".mnl-frames").textContent);
    var still = root.querySelector(".mnl-still");
    var size = { width: data.size[0], height: data.size[1] };
    var count = data.shapes.length, shown = 0, timer = null;

    var player = element("div", { "class": "mnl-player" }, root);
    var stage = element("div", { "class": "mnl-stage" }, player);
    element("img", Object.assign({ src: png(data.background), alt: still.alt }, size), stage);
    var layers = data.changes.map(function (change) {
      var attributes = { "class": "mnl-layer", src: png(change), alt: "" };
      return element("img", Object.assign(attributes, size), stage);
    });
    // SVG made by the HTML parser (no namespace to name): the lines and highlights
    stage.insertAdjacentHTML("beforeend", '<svg viewBox="0 0 ' + size.width + " " +
      size.height + '" preserveAspectRatio="none" fill="none" stroke-linecap="round" ' +
      'stroke-linejoin="round" aria-hidden="true"></svg>');
    var lines = stage.lastElementChild;

    var bar = element("div", { "class": "mnl-anim-bar" }, player);
    var buttons = {};
    ["first", "back", "play", "forward", "last"].forEach(function (action) {
      var button = element("button", { type: "button" }, bar);
      button.innerHTML = '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="' +
        ICONS[action] + '"/></svg>';
      button.addEventListener("click", function () { act(action); });
      buttons[action] = button;
    });
    var range = element("input", {
      type: "range", min: 0, max: count - 1, value: 0, "aria-label": data.labels.step
    }, bar);
    var position = element("output", {}, bar);
    range.addEventListener("input", function () { playing(false); show(+range.value); });

    function show(k) {
      shown = Math.max(0, Math.min(count - 1, k));
      layers.forEach(function (layer, j) {
        layer.style.visibility = j <= shown ? "visible" : "hidden";
      });
      lines.innerHTML = data.shapes[shown];
      range.value = shown;
      position.textContent = (shown + 1) + " / " + count;
    }

    function label(action, text) {
      buttons[action].setAttribute("aria-label", text);
      buttons[action].setAttribute("title", text);
    }

    function playing(on) {
      if (timer) { clearInterval(timer); timer = null; }
      if (on) {
        if (shown >= count - 1) show(0);
        timer = setInterval(function () {
          if (shown >= count - 1) playing(false); else show(shown + 1);
        }, data.interval);
      }
      buttons.play.querySelector("path").setAttribute("d", on ? ICONS.pause : ICONS.play);
      label("play", on ? data.labels.pause : data.labels.play);
    }

    function act(action) {
      if (action === "play") { playing(!timer); return; }
      playing(false);
      show({ first: 0, back: shown - 1, forward: shown + 1, last: count - 1 }[action]);
    }

    ["first", "back", "forward", "last"].forEach(function (a) { label(a, data.labels[a]); });
    playing(false);
    show(0);
    root.classList.add("mnl-live");
  }

  var me = document.currentScript, parent = me && me.parentNode;
  var roots = parent && parent.classList && parent.classList.contains("mnl-anim")
    ? [parent] : document.querySelectorAll(".mnl-anim:not([data-ready])");
  Array.prototype.forEach.call(roots, start);
})();
