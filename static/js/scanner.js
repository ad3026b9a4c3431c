// App-Scanner: reads QR codes from the camera with jsQR and asks the server through the htmx form.
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  if (!form) return;
  var video = document.getElementById("camera-video");
  var message = document.getElementById("camera-message");
  var codeInput = form.querySelector("[name=code]");
  var sourceInput = form.querySelector("[name=source]");  // a QR code must carry a ticket's secret
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var busy = false, scanned = false, lastCode = "", lastAt = 0, audio = null;

  function nonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // every request, typed or scanned, carries a fresh id: a retried request gets the first answer back
  form.addEventListener("htmx:configRequest", function (event) { event.detail.parameters.nonce = nonce(); });
  form.addEventListener("htmx:beforeRequest", function () { busy = true; });
  form.addEventListener("htmx:afterRequest", function () {
    busy = false;
    if (scanned) { codeInput.value = ""; scanned = false; }  // the field stays for typed numbers
    sourceInput.value = "typed";
  });

  document.querySelectorAll(".mode-switch button").forEach(function (button) {
    button.addEventListener("click", function () {
      document.getElementById("scan-direction").value = button.dataset.direction;
      document.querySelectorAll(".mode-switch button").forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
    });
  });

  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var oscillator = audio.createOscillator(), gain = audio.createGain();
      oscillator.type = ok ? "sine" : "square";
      oscillator.frequency.value = ok ? 1046 : 196;
      gain.gain.value = 0.2;
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + (ok ? 0.15 : 0.45));
    } catch (error) { /* no sound on this device */ }
    if (navigator.vibrate) navigator.vibrate(ok ? 60 : [120, 60, 120]);
  }

  // The verdict takes the screen at once. On a phone the result sits below the form, out of sight: the panel
  // covers the screen (CSS, under 960 px) until "next" or a tap, and the camera waits meanwhile. On a wide
  // screen it is beside the camera, and is brought into view if it is not.
  var panel = document.getElementById("scan-panel");
  var next = document.getElementById("scan-next");
  var shown = false, typed = false;

  function showVerdict(verdict) {
    panel.classList.add("takeover");
    if (window.getComputedStyle(panel).position === "fixed") {
      shown = true;
      document.body.classList.add("verdict-shown");
      next.hidden = false;
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();  // no keyboard
      verdict.setAttribute("tabindex", "-1");
      verdict.focus({ preventScroll: true });
      panel.scrollTop = 0;
    } else {
      panel.classList.remove("takeover");
      var box = verdict.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) verdict.scrollIntoView({ block: "nearest" });
    }
  }

  function closeVerdict() {
    if (!shown) return;
    shown = false;
    lastAt = Date.now();  // the ticket just answered, still in the frame, is not read again at once
    panel.classList.remove("takeover");
    document.body.classList.remove("verdict-shown");
    next.hidden = true;
    window.scrollTo(0, 0);  // back to the camera and the form
    if (typed) { codeInput.focus(); codeInput.select(); }
  }

  next.addEventListener("click", closeVerdict);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") closeVerdict(); });
  panel.addEventListener("click", function (event) {  // a tap on the verdict itself, not on one of its buttons
    if (shown && !event.target.closest("button, a, form")) closeVerdict();
  });
  form.addEventListener("htmx:beforeRequest", function () { typed = sourceInput.value !== "camera"; });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "scan-result") return;
    var verdict = event.detail.target.querySelector(".verdict");
    if (!verdict) return;
    beep(verdict.classList.contains("green"));
    showVerdict(verdict);
  });

  function submit(code) {
    scanned = true;
    codeInput.value = code;
    sourceInput.value = "camera";
    htmx.trigger(form, "submit");
  }

  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA && !busy && !shown && window.jsQR) {
      var scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (found && found.data && (found.data !== lastCode || now - lastAt > 3000)) {
        lastCode = found.data;
        lastAt = now;
        submit(found.data);
      }
    }
    setTimeout(tick, 120);
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        message.hidden = true;
        tick();
      })
      .catch(noCamera);
  } else {
    noCamera();
  }

  // No camera: no frame to aim at, only the message, in a band that leaves the typed code in view.
  function noCamera() {
    message.textContent = message.dataset.denied;
    message.closest(".camera").classList.add("no-camera");
  }
})();
