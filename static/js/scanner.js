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

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "scan-result") return;
    var verdict = event.detail.target.querySelector(".verdict");
    if (verdict) beep(verdict.classList.contains("green"));
  });

  function submit(code) {
    scanned = true;
    codeInput.value = code;
    sourceInput.value = "camera";
    htmx.trigger(form, "submit");
  }

  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA && !busy && window.jsQR) {
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
