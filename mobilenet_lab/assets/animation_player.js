// The offline player of mobilenet_lab.animations. It builds the player of the animation it
// belongs to (document.currentScript's parent; else every one not started yet), so the HTML has
// no element ids. Without JavaScript only the still is there.
//
// An animation with several panels lists their regions (left, top, right, bottom, in pixels of
// the frame). Where the picture would shrink below STACK_BELOW of its size (a phone), the player
// shows the regions one above the other, each a clipped view of the same frames, and so does the
// still that stands in for it with reduced motion.
(function () {
  "use strict";
  var STACK_BELOW = 0.6;
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

  function percent(value) {
    return (100 * value).toFixed(4) + "%";
  }

  // A view of one region of a frame-sized picture: the picture is shifted and clipped so that
  // only the region shows, at any width up to the region's own.
  function regionView(region, size, parent) {
    var width = region[2] - region[0], height = region[3] - region[1];
    var view = element("div", { "class": "mnl-view" }, parent);
    view.style.width = width + "px";
    view.style.aspectRatio = width + " / " + height;
    var shift = element("div", { "class": "mnl-shift" }, view);
    shift.style.width = percent(size.width / width);
    shift.style.left = percent(-region[0] / width);
    shift.style.top = percent(-region[1] / height);
    return shift;
  }

  function start(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var data = JSON.parse(root.querySelector(".mnl-frames").textContent);
    var still = root.querySelector(".mnl-still");
    var size = { width: data.size[0], height: data.size[1] };
    var regions = data.regions || [];
    var count = data.shapes.length, shown = 0, timer = null;

    var player = element("div", { "class": "mnl-player" }, root);
    var whole = element("div", { "class": "mnl-whole" }, player);
    var stages = [stage(whole, still.alt)];
    if (regions.length > 1) {
      var views = element("div", { "class": "mnl-views" }, player);
      var stills = element("div", { "class": "mnl-still-views" }, root);
      regions.forEach(function (region, index) {
        stages.push(stage(regionView(region, size, views), index ? "" : still.alt));
        var copy = { src: still.src, alt: index ? "" : still.alt };
        element("img", Object.assign(copy, size), regionView(region, size, stills));
      });
      root.insertBefore(stills, player);
    }

    // one picture of the frames: background, the changes of each frame, the lines and marks
    function stage(parent, alt) {
      var box = element("div", { "class": "mnl-stage" }, parent);
      element("img", Object.assign({ src: png(data.background), alt: alt }, size), box);
      var layers = data.changes.map(function (change) {
        var attributes = { "class": "mnl-layer", src: png(change), alt: "" };
        return element("img", Object.assign(attributes, size), box);
      });
      // SVG made by the HTML parser (no namespace to name): the lines and highlights
      box.insertAdjacentHTML("beforeend", '<svg viewBox="0 0 ' + size.width + " " +
        size.height + '" preserveAspectRatio="none" fill="none" stroke-linecap="round" ' +
        'stroke-linejoin="round" aria-hidden="true"></svg>');
      return { layers: layers, lines: box.lastElementChild };
    }

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
      stages.forEach(function (picture) {
        picture.layers.forEach(function (layer, j) {
          layer.style.visibility = j <= shown ? "visible" : "hidden";
        });
        picture.lines.innerHTML = data.shapes[shown];
      });
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

    // side by side where the picture keeps most of its size, else the regions stacked
    function layout() {
      var parent = root.parentNode, style = window.getComputedStyle(parent);
      var room = parent.clientWidth - parseFloat(style.paddingLeft || 0) -
        parseFloat(style.paddingRight || 0);
      var stacked = room > 0 && room < STACK_BELOW * size.width;
      var widest = Math.max.apply(null, regions.map(function (r) { return r[2] - r[0]; }));
      root.classList.toggle("mnl-stacked", stacked);
      root.style.width = (stacked ? widest : size.width) + "px";
    }

    ["first", "back", "forward", "last"].forEach(function (a) { label(a, data.labels[a]); });
    playing(false);
    show(0);
    if (regions.length > 1) {
      layout();
      if (window.ResizeObserver) new ResizeObserver(layout).observe(root.parentNode);
      else window.addEventListener("resize", layout);
    }
    root.classList.add("mnl-live");
  }

  var me = document.currentScript, parent = me && me.parentNode;
  var roots = parent && parent.classList && parent.classList.contains("mnl-anim")
    ? [parent] : document.querySelectorAll(".mnl-anim:not([data-ready])");
  Array.prototype.forEach.call(roots, start);
})();
