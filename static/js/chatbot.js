// Guichet's assistant widget (templates/chatbot/widget.html): turns the help links into a launcher and a chat
// panel that talks to the Rasa REST channel (POST /webhooks/rest/webhook). Server strings are only ever set
// with textContent (never innerHTML); links are shown only for http(s), tel: and mailto: addresses.
(function () {
  "use strict";

  var root = document.getElementById("chatbot");
  if (!root || !window.fetch) return;  // without fetch the plain links stay

  var launcher = root.querySelector("[data-chatbot-launcher]");
  var panel = root.querySelector("[data-chatbot-panel]");
  var log = root.querySelector("[data-chatbot-log]");
  var typing = root.querySelector("[data-chatbot-typing]");
  var form = root.querySelector("[data-chatbot-form]");
  var input = root.querySelector("[data-chatbot-input]");
  var send = root.querySelector("[data-chatbot-send]");
  var closer = root.querySelector("[data-chatbot-close]");
  var words = root.dataset;
  var HISTORY = "guichet-chatbot-history";
  var SENDER = "guichet-chatbot-sender";
  var pending = false;

  function storage() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }

  function randomId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // One sender per tab: the conversation goes on across page loads, and a new tab starts a new one.
  function sender() {
    var store = storage();
    var id = store && store.getItem(SENDER);
    if (!id) {
      id = randomId();
      if (store) store.setItem(SENDER, id);
    }
    return id;
  }

  function language() {
    var lang = (document.documentElement.lang || words.lang || "").slice(0, 2).toLowerCase();
    return ["fr", "de", "en"].indexOf(lang) >= 0 ? lang : "";
  }

  // "fr-CH" → "CH"; nothing when the browser names no region.
  function country() {
    var match = /^[a-z]{2,3}[-_](?:[A-Za-z]{4}[-_])?([A-Za-z]{2})\b/.exec(navigator.language || "");
    return match ? match[1].toUpperCase() : "";
  }

  function csrfToken() {
    var cookie = document.cookie.split(/;\s*/).filter(function (part) { return part.indexOf("csrftoken=") === 0; })[0];
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return ["http:", "https:", "tel:", "mailto:"].indexOf(parsed.protocol) >= 0 ? parsed.href : "";
    } catch (error) {
      return "";
    }
  }

  // --- the history of the tab's conversation, shown again after a page load -------------------------------

  var history = [];
  try { history = JSON.parse((storage() && storage().getItem(HISTORY)) || "[]") || []; } catch (error) { history = []; }

  function remember(entry) {
    history.push(entry);
    history = history.slice(-60);
    var store = storage();
    try { if (store) store.setItem(HISTORY, JSON.stringify(history)); } catch (error) { /* full: not kept */ }
  }

  // --- rendering ----------------------------------------------------------------------------------------

  function links(message) {
    var custom = message.custom || {};
    var found = [];
    var seen = {};
    (Array.isArray(custom.links) ? custom.links : []).concat(
      typeof custom.url === "string" ? [{ title: "", url: custom.url }] : []
    ).forEach(function (link) {
      var url = link && typeof link.url === "string" ? safeUrl(link.url) : "";
      if (url && !seen[url]) {
        seen[url] = true;
        found.push({ title: String(link.title || link.url), url: url });
      }
    });
    return found;
  }

  function disableOldButtons() {
    log.querySelectorAll(".chatbot-buttons button").forEach(function (button) { button.disabled = true; });
  }

  function bubble(role, text) {
    var item = document.createElement("div");
    item.className = "chatbot-message chatbot-" + role;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = (role === "user" ? words.you : words.bot) + ": ";
    item.appendChild(who);
    if (text) {
      var body = document.createElement("p");
      body.className = "chatbot-text";
      body.textContent = text;  // newlines are shown as line breaks by the stylesheet (white-space: pre-line)
      item.appendChild(body);
    }
    return item;
  }

  function showUser(text) {
    log.appendChild(bubble("user", text));
  }

  function showError(text) {
    var item = bubble("error", text);
    item.setAttribute("role", "alert");
    log.appendChild(item);
  }

  function showBot(message, active) {
    var item = bubble("bot", typeof message.text === "string" ? message.text : "");
    var custom = message.custom || {};
    if (typeof custom.request === "string") {
      item.dataset.request = custom.request;
      item.classList.add("chatbot-request");
    }
    var found = links(message);
    if (found.length) {
      var list = document.createElement("ul");
      list.className = "chatbot-links-list";
      found.forEach(function (link) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = link.url;
        a.textContent = link.title;
        if (link.url.indexOf("tel:") === 0) a.classList.add("chatbot-tel");
        li.appendChild(a);
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    var buttons = Array.isArray(message.buttons) ? message.buttons : [];
    if (buttons.length) {
      var row = document.createElement("div");
      row.className = "chatbot-buttons";
      buttons.forEach(function (choice) {
        if (!choice || typeof choice.payload !== "string") return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary small";
        button.textContent = String(choice.title || choice.payload);
        button.dataset.payload = choice.payload;
        button.disabled = !active;
        row.appendChild(button);
      });
      item.appendChild(row);
    }
    if (item.childNodes.length > 1) log.appendChild(item);
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function replay() {
    var lastUser = -1;
    history.forEach(function (entry, index) { if (entry.role === "user") lastUser = index; });
    history.forEach(function (entry, index) {
      if (entry.role === "user") showUser(entry.text);
      else if (entry.role === "bot") showBot(entry.message || {}, index > lastUser);
    });
    scrollDown();
  }

  // --- talking to the server -----------------------------------------------------------------------------

  function busy(on) {
    pending = on;
    send.disabled = on;
    root.classList.toggle("chatbot-busy", on);
    typing.textContent = on ? words.typing : "";
  }

  function talk(message, shown) {
    if (pending) return;
    disableOldButtons();
    if (shown) {
      showUser(shown);
      remember({ role: "user", text: shown });
    }
    scrollDown();
    busy(true);
    var metadata = {};
    if (language()) metadata.lang = language();
    if (country()) metadata.country = country();
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    var token = csrfToken();
    if (token) headers["X-CSRFToken"] = token;
    fetch(words.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify({ sender: sender(), message: message, metadata: metadata }),
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (!response.ok || !Array.isArray(body)) {
            throw new Error((body && typeof body.detail === "string" && body.detail) || words.error);
          }
          return body;
        });
      })
      .then(function (messages) {
        busy(false);
        messages.forEach(function (reply) {
          showBot(reply, true);
          remember({ role: "bot", message: reply });
        });
      })
      .catch(function (error) {
        busy(false);
        showError(error && error.message && !(error instanceof TypeError) ? error.message : words.error);
      })
      .then(scrollDown);
  }

  // --- opening and closing -------------------------------------------------------------------------------

  function open() {
    panel.hidden = false;
    root.classList.add("chatbot-open");
    launcher.setAttribute("aria-expanded", "true");
    scrollDown();
    input.focus();
    if (!history.length && !pending) talk(words.greeting, "");
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("chatbot-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open();
    else close();
  });
  closer.addEventListener("click", close);
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || pending) return;
    input.value = "";
    talk(text, text);
    input.focus();
  });
  log.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-payload]");
    if (!button || button.disabled || pending) return;
    talk(button.dataset.payload, button.textContent);
    input.focus();
  });

  // JavaScript is here: the plain links give way to the launcher.
  root.querySelector("[data-chatbot-links]").hidden = true;
  launcher.hidden = false;
  root.classList.add("chatbot-ready");
  replay();
})();
