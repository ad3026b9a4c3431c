// Guichet: the little behaviour the pages need besides htmx. No page has inline script or handler (the
// Content-Security-Policy forbids them): elements ask for behaviour with data-* attributes instead.
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-nav-toggle]");
  if (toggle) {
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (event.target.closest("[data-print]")) window.print();
});

// <form data-confirm="Question?">: sent only once the person says yes.
document.addEventListener("submit", function (event) {
  var question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// <select data-autosubmit>: choosing an option sends its form.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});

// Print buttons are hidden until this script runs: without it they could do nothing.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) { button.hidden = false; });
});

// htmx sends the CSRF token with every non-GET request.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

// <input data-browser-time-zone>: filled with the browser's time zone (support requests read times in it).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
    try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { input.value = ""; }
  });
});

// Tabs wider than a phone scroll sideways: the current one is brought into the row's view.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".tabs").forEach(function (tabs) {
    var current = tabs.querySelector("[aria-current=page]");
    if (current && tabs.scrollWidth > tabs.clientWidth) {
      tabs.scrollLeft = current.offsetLeft - tabs.offsetLeft - (tabs.clientWidth - current.offsetWidth) / 2;
    }
  });
});
