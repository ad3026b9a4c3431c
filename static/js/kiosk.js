// Kiosk mode (/fr|de|en/kiosk/): a touch screen customers buy tickets at. Pages are server-rendered and
// navigation is boosted by htmx (the page stays full screen from one step to the next); this script adds:
// - the full-screen button (Fullscreen API), shown when the browser can, hidden while full screen;
// - the − / + buttons beside each quantity, bounded by the field's min and max, and the order's total;
// - the return to the start screen in the default language after data-kiosk-idle seconds untouched
//   (the hidden #kiosk-home link is followed, boosted like any other: full screen is kept).
// Everything is delegated from the document, so it works on pages htmx swaps in.
(function () {
  "use strict";
  var timer = null;

  function root() { return document.getElementById("kiosk"); }

  function arm() {  // (re)start the idle countdown of the page on screen
    clearTimeout(timer);
    var kiosk = root();
    if (!kiosk || !kiosk.dataset.kioskIdle || "kioskAtHome" in kiosk.dataset) return;
    timer = setTimeout(goHome, Number(kiosk.dataset.kioskIdle) * 1000);
  }
  function goHome() {
    var home = document.getElementById("kiosk-home");
    if (!home) return;
    if (window.htmx) home.click();
    else window.location.assign(home.href);
  }

  function setUp() {
    var kiosk = root();
    if (kiosk) document.documentElement.lang = kiosk.dataset.kioskLang || document.documentElement.lang;
    var fullscreen = document.querySelector("[data-kiosk-fullscreen]");
    if (fullscreen) fullscreen.hidden = !document.fullscreenEnabled || Boolean(document.fullscreenElement);
    document.querySelectorAll("[data-kiosk-step]").forEach(function (button) { button.hidden = false; });
    total();
    arm();
  }

  function total() {
    var form = document.querySelector("form[data-currency]");
    var line = document.querySelector("[data-kiosk-total-line]");
    if (!form || !line) return;
    var sum = 0, count = 0;
    form.querySelectorAll("[data-price]").forEach(function (row) {
      var quantity = Number(row.querySelector("[data-kiosk-quantity]").value) || 0;
      sum += quantity * Number(row.dataset.price);
      count += quantity;
    });
    line.hidden = count === 0;
    line.querySelector("[data-kiosk-total]").textContent = new Intl.NumberFormat(document.documentElement.lang, {
      style: "currency", currency: form.dataset.currency,
    }).format(sum);
  }

  document.addEventListener("click", function (event) {
    var step = event.target.closest("[data-kiosk-step]");
    if (step) {
      var input = step.parentNode.querySelector("[data-kiosk-quantity]");
      var value = (Number(input.value) || 0) + Number(step.dataset.kioskStep);
      var max = input.max === "" ? Infinity : Number(input.max);
      input.value = String(Math.max(Number(input.min) || 0, Math.min(max, value)));
      total();
    }
    if (event.target.closest("[data-kiosk-fullscreen]")) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-kiosk-quantity]")) total();
  });
  document.addEventListener("fullscreenchange", function () {
    var fullscreen = document.querySelector("[data-kiosk-fullscreen]");
    if (fullscreen) fullscreen.hidden = Boolean(document.fullscreenElement);
  });
  ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true, capture: true });
  });
  document.addEventListener("DOMContentLoaded", setUp);
  // a boosted navigation swapped the whole page in (a poll swaps only its part: that is no touch)
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target === document.body) setUp();
  });
})();
