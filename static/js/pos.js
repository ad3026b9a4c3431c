// The box office's point of sale (/pos/). It keeps selling when the network or the server is down:
// - a station holds an allotment of tickets (secrets and QR codes issued in advance, kept in IndexedDB);
//   every sale takes its tickets from it when it can, online or not, so a sale's content is fixed on the
//   device before it is sent and a retry can never sell twice;
// - each sale is queued on the device with its own uuid and time, printed at once, and synced through
//   POST /api/v1/pos/sales/batch/ (idempotent on the uuid) as soon as the server answers;
// - online, the allotment of the event on screen is topped up to the station's target;
// - a customer who ordered at a kiosk to pay at the counter gives its reference: the order is found and paid
//   here (online only: GET/POST /api/v1/pos/orders/<reference>/), and its tickets printed.
(function () {
  "use strict";
  var app = document.getElementById("pos");
  if (!app) return;
  var API = app.dataset.api;
  var T = JSON.parse(document.getElementById("pos-strings").textContent);
  var STATIONS = JSON.parse(document.getElementById("pos-stations-data").textContent);
  var LANG = document.documentElement.lang || "fr";
  var $ = function (id) { return document.getElementById(id); };

  var state = {
    token: null, station: null, catalogue: null, eventId: null, cart: {}, method: "cash",
    pool: [], queue: [], history: [], lastSync: null, reachable: navigator.onLine, unpaired: false,
    syncing: false, lastReceipt: null, choosing: false, closed: false, taken: {},
  };
  function online() { return state.reachable && navigator.onLine; }

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function money(amount) {
    var currency = (state.catalogue && state.catalogue.currency) || "EUR";
    return new Intl.NumberFormat(LANG, { style: "currency", currency: currency }).format(Number(amount));
  }
  function when(iso) {
    return new Intl.DateTimeFormat(LANG, { dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
  }
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else if (key === "class") node.className = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // --- IndexedDB: key-value settings, the allotment pool, the queue, the history, the spent secrets ------
  var dbPromise = new Promise(function (resolve, reject) {
    var request = indexedDB.open("guichet-pos", 1);
    request.onupgradeneeded = function () {
      var db = request.result;
      db.createObjectStore("kv");
      db.createObjectStore("pool", { keyPath: "secret" });
      db.createObjectStore("queue", { keyPath: "uuid" });
      db.createObjectStore("history", { keyPath: "uuid" });
      db.createObjectStore("spent");
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
  function tx(stores, mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(stores, mode), result;
        var handles = {};
        stores.forEach(function (name) { handles[name] = transaction.objectStore(name); });
        result = work(handles);
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }
  function getAll(store) {
    return tx([store], "readonly", function (s) {
      var out = { items: [] };
      s[store].getAll().onsuccess = function (event) { out.items = event.target.result; };
      return out;
    }).then(function (out) { return out.items; });
  }
  function kvGet(key) {
    return tx(["kv"], "readonly", function (s) {
      var out = {};
      s.kv.get(key).onsuccess = function (event) { out.value = event.target.result; };
      return out;
    }).then(function (out) { return out.value; });
  }
  function kvSet(key, value) { return tx(["kv"], "readwrite", function (s) { s.kv.put(value, key); }); }

  // --- the server ---------------------------------------------------------------------------------------
  function api(method, path, body) {
    var options = { method: method, headers: { Authorization: "Bearer " + state.token } };
    if (body) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    return fetch(API + path, options).then(function (response) {
      reachable(response.status < 500);
      if (response.status >= 500) throw new Error("server " + response.status);
      if (response.status === 401) { state.unpaired = true; render(); throw new Error("unpaired"); }
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }, function (error) { reachable(false); throw error; });
  }
  function reachable(yes) {
    if (state.reachable !== yes) { state.reachable = yes; renderStatus(); }
  }

  function refresh() {  // online: what the station sells, its pool of tickets, and the top-up
    if (!state.token || state.unpaired) return Promise.resolve();
    return api("GET", "station/?language=" + LANG).then(function (answer) {
      if (answer.status !== 200) return;
      state.catalogue = answer.data;
      kvSet("catalogue", answer.data);
      if (!state.eventId || !eventById(state.eventId)) state.eventId = answer.data.events.length ? answer.data.events[0].id : null;
      return loadPool().then(topUp);
    }).then(render, function () { render(); });
  }
  function loadPool() {  // the server's list minus what this device sold: decided inside the transaction
    return api("GET", "allotments/tickets/?language=" + LANG).then(function (answer) {  // that writes it,
      if (answer.status !== 200) return;  // so a sale made meanwhile never goes back in the pool
      return tx(["pool", "spent", "queue"], "readwrite", function (s) {
        var out = { pool: [] };
        s.spent.getAllKeys().onsuccess = function (event) {
          var sold = {};
          event.target.result.forEach(function (secret) { sold[secret] = true; });
          s.queue.getAll().onsuccess = function (queued) {
            queued.target.result.forEach(function (sale) {
              (sale.content.tickets || []).forEach(function (secret) { sold[secret] = true; });
            });
            out.pool = answer.data.filter(function (ticket) { return !sold[ticket.secret]; });
            s.pool.clear();
            out.pool.forEach(function (ticket) { s.pool.put(ticket); });
          };
        };
        return out;
      }).then(function (out) { state.pool = withoutSecrets(out.pool, state.taken); });
    });
  }
  function withoutSecrets(tickets, secrets) {
    return tickets.filter(function (ticket) { return !secrets[ticket.secret]; });
  }
  function topUp() {  // the event on screen: each category back to the station's target, as far as seats allow
    var event = eventById(state.eventId);
    if (!event || state.closed) return;
    var target = state.catalogue.allotment_target;
    return event.categories.reduce(function (chain, category) {
      var missing = target - inHand(event.id, category.id);
      if (missing <= 0 || category.left <= 0) return chain;
      var quantity = Math.min(missing, category.left);
      return chain.then(function () {
        return api("POST", "allotments/", { event: event.id, category: category.id, quantity: quantity });
      });
    }, Promise.resolve()).then(function (answer) { if (answer) return loadPool(); });
  }

  function sync() {  // the queue, oldest first, 100 at a time; a network failure leaves it for the next round
    if (state.syncing || !state.token || state.unpaired) return Promise.resolve();
    state.syncing = true;
    return getAll("queue").then(function (queue) {
      queue.sort(function (a, b) { return a.seq - b.seq; });
      if (!queue.length) return;
      var batch = queue.slice(0, 100);
      return api("POST", "sales/batch/", { sales: batch.map(function (sale) { return sale.content; }) }).then(function (answer) {
        if (answer.status === 200) return settle(batch, answer.data.results);
        if (answer.status === 400) return syncOneByOne(batch);  // one malformed sale must not hold the others
      }).then(function () {
        state.lastSync = new Date().toISOString();
        kvSet("lastSync", state.lastSync);
        if (queue.length > 100) { state.syncing = false; return sync(); }
      });
    }).catch(function () {}).then(function () { state.syncing = false; return loadLists(); }).then(render);
  }
  function syncOneByOne(batch) {
    return batch.reduce(function (chain, sale) {
      return chain.then(function () {
        return api("POST", "sales/", sale.content).then(function (answer) {
          var result = answer.data;
          if (answer.status === 400) result = { code: 400, status: "refused", detail: answer.data.detail };
          else if (answer.status === 409 || answer.status < 300) result = Object.assign({ code: answer.status }, answer.data);
          else return;
          return settle([sale], [result]);
        });
      });
    }, Promise.resolve());
  }
  function settle(sales, results) {  // each answered sale leaves the queue for the history, with its outcome
    return tx(["queue", "history"], "readwrite", function (s) {
      sales.forEach(function (sale, index) {
        var result = results[index];
        sale.status = result.status;
        sale.order = result.order || null;
        sale.reason = result.reason || (Array.isArray(result.detail) ? result.detail.join(" ") : result.detail || "");
        if (result.tickets && result.tickets.length && !sale.printed.length) sale.printed = result.tickets;
        s.queue.delete(sale.uuid);
        s.history.put(sale);
      });
    }).then(function () {
      sales.forEach(function (sale) {
        if (state.lastReceipt && state.lastReceipt.uuid === sale.uuid) {
          var waited = !state.lastReceipt.printed.length && sale.printed.length;
          state.lastReceipt = sale;
          showDone(sale);
          if (waited) print(sale);
        }
      });
    });
  }

  // --- selling --------------------------------------------------------------------------------------------
  function grant() {  // a seller admin's signed grant for this station (given to managers' pages only)
    var mine = STATIONS.filter(function (s) { return s.id === state.station.id; })[0];
    return (mine && mine.grant) || "";
  }
  function eventById(id) {
    return state.catalogue && state.catalogue.events.filter(function (e) { return e.id === id; })[0];
  }
  function inHand(eventId, categoryId) {
    return state.pool.filter(function (t) { return t.event === eventId && t.category === categoryId; }).length;
  }
  function cartLines() {
    var event = eventById(state.eventId);
    if (!event) return [];
    return event.categories.filter(function (c) { return state.cart[c.id] > 0; }).map(function (c) {
      return { category: c, quantity: state.cart[c.id] };
    });
  }
  function cartTotal() {
    if (state.method === "complimentary") return 0;
    return cartLines().reduce(function (sum, line) { return sum + Number(line.category.price) * line.quantity; }, 0);
  }
  function tendered() {
    var text = $("pos-tendered").value.trim().replace(",", ".");
    if (!text) return null;
    return /^\d+(\.\d{1,2})?$/.test(text) ? Number(text) : NaN;
  }

  function sell(submitEvent) {
    submitEvent.preventDefault();
    var lines = cartLines(), error = "";
    var email = $("pos-buyer-email").value.trim(), cash = tendered();
    if (!lines.length) error = T.no_lines;
    else if (state.method === "cash" && Number.isNaN(cash)) error = T.bad_amount;
    else if (state.method === "cash" && cash !== null && cash + 1e-9 < cartTotal()) error = T.cash_short;
    else if (state.method === "card" && !$("pos-card-ref").value.trim()) error = T.card_reference;
    else if (state.method === "complimentary" && !$("pos-reason").value.trim()) error = T.reason;
    else if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) error = T.bad_email;
    var printed = [];
    if (!error) {
      lines.forEach(function (line) {  // tickets in hand for every line, or none (online only)
        var held = state.pool.filter(function (t) { return t.event === state.eventId && t.category === line.category.id; });
        if (held.length < line.quantity && !error && !online()) {
          error = fmt(T.not_in_hand, { left: held.length, category: line.category.name });
        }
        printed = printed.concat(held.slice(0, line.quantity));
      });
      if (printed.length !== lines.reduce(function (n, l) { return n + l.quantity; }, 0)) printed = [];
    }
    showError(error);
    if (error) return;
    var content = {
      uuid: uuid4(), event: state.eventId, sold_at: new Date().toISOString(), method: state.method,
      lines: lines.map(function (line) { return { category: line.category.id, quantity: line.quantity }; }),
      card_reference: state.method === "card" ? $("pos-card-ref").value.trim() : "",
      reason: state.method === "complimentary" ? $("pos-reason").value.trim() : "",
      authorised_by: state.method === "complimentary" ? grant() : "",
      cash_tendered: state.method === "cash" && cash !== null ? cash.toFixed(2) : null,
      tickets: printed.map(function (t) { return t.secret; }),
      buyer_name: $("pos-buyer-name").value.trim(), buyer_email: email, language: LANG,
    };
    printed.forEach(function (ticket) { state.taken[ticket.secret] = true; });  // a second tap cannot take them
    state.pool = withoutSecrets(state.pool, state.taken);
    var sale = {
      uuid: content.uuid, seq: Date.now() + Math.random(), content: content, printed: printed, status: "queued",
      total: cartTotal(), event: eventById(state.eventId).title, layout: $("pos-layout").value,
    };
    tx(["queue", "pool", "spent"], "readwrite", function (s) {  // queued and taken from the pool at once
      s.queue.put(sale);
      printed.forEach(function (t) { s.pool.delete(t.secret); s.spent.put(true, t.secret); });
    }).then(function () {
      state.pool = withoutSecrets(state.pool, state.taken);
      state.cart = {};
      state.lastReceipt = sale;
      ["pos-tendered", "pos-card-ref", "pos-reason", "pos-buyer-name", "pos-buyer-email"].forEach(function (id) { $(id).value = ""; });
      showDone(sale);
      if (printed.length) print(sale);
      return loadLists();
    }).then(render).then(sync).then(function () { if (online()) return refresh(); });
  }

  function showError(text) { $("pos-error").textContent = text; $("pos-error").hidden = !text; }
  function showDone(sale) {
    $("pos-done").hidden = false;
    $("pos-cart").hidden = true;
    $("pos-done-title").textContent = fmt(T.sold, { amount: money(sale.total) });
    var note = sale.status === "queued" ? (sale.printed.length ? T.sold_queued : T.sold_waiting)
      : sale.status === "synced" ? fmt(T.sold_synced, { order: sale.order })
      : T["status_" + sale.status] + (sale.reason ? " — " + sale.reason : "");
    if (sale.content.method === "cash" && sale.content.cash_tendered) {
      note += " " + fmt(T.change, { amount: money(Number(sale.content.cash_tendered) - sale.total) });
    }
    $("pos-done-note").textContent = note;
  }

  // --- receipts: 80 mm roll or A6, each ticket with its QR code ---------------------------------------------
  function qrSvg(ticket) {
    if (!ticket.qr) return el("img", { src: "/t/" + ticket.secret + "/qr.png", alt: "", class: "receipt-qr" });
    var size = ticket.qr.size, bits = "", path = "";
    for (var i = 0; i < ticket.qr.bits.length; i++) bits += ("000" + parseInt(ticket.qr.bits[i], 16).toString(2)).slice(-4);
    for (var y = 0; y < size; y++) {
      for (var x = 0; x < size; x++) if (bits[y * size + x] === "1") path += "M" + (x + 4) + " " + (y + 4) + "h1v1h-1z";
    }
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 " + (size + 8) + " " + (size + 8));
    svg.setAttribute("class", "receipt-qr");
    svg.setAttribute("role", "img");
    var background = document.createElementNS(svg.namespaceURI, "rect");
    background.setAttribute("width", size + 8); background.setAttribute("height", size + 8); background.setAttribute("fill", "#fff");
    var modules = document.createElementNS(svg.namespaceURI, "path");
    modules.setAttribute("d", path); modules.setAttribute("fill", "#000");
    svg.appendChild(background); svg.appendChild(modules);
    return svg;
  }
  function receipt(sale) {
    var box = $("receipt");
    box.textContent = "";
    box.className = "receipt " + (sale.layout === "a6" ? "a6" : "roll");
    var method = T[sale.content.method];
    sale.printed.forEach(function (ticket) {
      box.appendChild(el("article", { class: "receipt-ticket" }, [
        el("p", { class: "receipt-org", text: state.catalogue ? state.catalogue.organisation : "" }),
        el("h2", { text: sale.event }),
        el("p", { text: ticket.category_name + " · " + money(sale.content.method === "complimentary" ? 0 : ticket.price) }),
        qrSvg(ticket),
        el("p", { class: "receipt-number", text: T.ticket + " " + ticket.number }),
        el("p", { class: "receipt-small", text: when(sale.content.sold_at) + " · " + T.paid_by + " " + method + (sale.order ? " · " + T.order + " " + sale.order : "") }),
        el("p", { class: "receipt-small", text: T.keep_ticket }),
      ]));
    });
    if (sale.content.method === "cash" && sale.content.cash_tendered && box.lastChild) {  // on the last ticket's page
      box.lastChild.appendChild(el("p", { class: "receipt-small", text: T.total + " " + money(sale.total) + " · " + T.received + " " + money(sale.content.cash_tendered) + " · " + T.change_given + " " + money(Number(sale.content.cash_tendered) - sale.total) }));
    }
  }
  function print(sale) {
    receipt(sale);
    if (sale.layout !== "none") window.print();
  }

  // --- the screen ---------------------------------------------------------------------------------------
  function renderStatus() {
    var network = $("pos-network"), up = online();
    network.dataset.state = state.unpaired ? "unpaired" : up ? "online" : "offline";
    network.textContent = state.unpaired ? T.unpaired : up ? T.online : T.offline;
    $("pos-queue").textContent = state.queue.length ? fmt(T.queued_n, { count: state.queue.length }) : T.all_synced;
    $("pos-queue").dataset.count = state.queue.length;
    $("pos-last-sync").textContent = state.lastSync ? fmt(T.last_sync, { time: when(state.lastSync) }) : T.never_synced;
  }
  function render() {
    var paired = state.token && state.station;
    $("pos-pair").hidden = paired && !state.unpaired && !state.choosing;
    $("pos-sell").hidden = !paired;
    $("pos-station").textContent = paired ? state.station.name : "";
    renderStatus();
    if (!$("pos-pair").hidden) renderStations();
    if (!paired) return;
    var mine = STATIONS.filter(function (s) { return s.id === state.station.id; })[0];
    var manager = Boolean(grant());
    if (mine) $("pos-drawer").href = mine.drawer;
    document.querySelector("[data-method=complimentary]").hidden = !manager;
    renderCatalogue();
    renderCart();
    renderHistory();
  }
  function renderStations() {
    var list = $("pos-stations");
    list.textContent = "";
    $("pos-no-station").hidden = STATIONS.length > 0;
    STATIONS.forEach(function (station) {
      var button = el("button", { type: "button", class: "pos-station-button" }, [
        el("strong", { text: station.name }), el("span", { text: station.organisation }),
      ]);
      button.addEventListener("click", function () { pair(station); });
      list.appendChild(button);
    });
  }
  function renderCatalogue() {
    var events = state.catalogue ? state.catalogue.events : [];
    $("pos-no-event").hidden = events.length > 0;
    var tabs = $("pos-events");
    tabs.textContent = "";
    events.forEach(function (event) {
      var tab = el("button", { type: "button", role: "tab", class: "secondary", "aria-selected": String(event.id === state.eventId) }, [
        el("strong", { text: event.title }), el("span", { text: when(event.starts_at) }),
      ]);
      tab.addEventListener("click", function () { state.eventId = event.id; state.cart = {}; render(); if (online()) refresh(); });
      tabs.appendChild(tab);
    });
    var event = eventById(state.eventId), grid = $("pos-categories");
    grid.textContent = "";
    $("pos-event-line").textContent = event ? event.venue + " · " + when(event.starts_at) : "";
    if (!event) return;
    event.categories.forEach(function (category) {
      var hand = inHand(event.id, category.id);
      var button = el("button", { type: "button", class: "pos-category", "data-category": category.id }, [
        el("strong", { text: category.name }), el("span", { class: "pos-price", text: money(category.price) }),
        el("span", { class: "pos-left", text: fmt(T.left, { count: category.left }) + " · " + fmt(T.in_hand, { count: hand }) }),
      ]);
      button.disabled = !online() && hand === 0;
      button.addEventListener("click", function () { state.cart[category.id] = (state.cart[category.id] || 0) + 1; renderCart(); });
      grid.appendChild(button);
    });
  }
  function renderCart() {
    var list = $("pos-lines");
    list.textContent = "";
    cartLines().forEach(function (line) {
      var minus = el("button", { type: "button", class: "secondary small", "aria-label": T.remove, text: "−" });
      var plus = el("button", { type: "button", class: "secondary small", "aria-label": T.add, text: "+" });
      minus.addEventListener("click", function () { state.cart[line.category.id] -= 1; renderCart(); });
      plus.addEventListener("click", function () { state.cart[line.category.id] += 1; renderCart(); });
      list.appendChild(el("li", {}, [
        minus, el("span", { class: "pos-qty", text: String(line.quantity) }), plus,
        el("span", { class: "grow", text: line.category.name }),
        el("span", { text: money(state.method === "complimentary" ? 0 : Number(line.category.price) * line.quantity) }),
      ]));
    });
    $("pos-total").textContent = money(cartTotal());
    document.querySelectorAll(".pos-methods button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.method === state.method));
    });
    document.querySelectorAll("[data-for]").forEach(function (field) { field.hidden = field.dataset.for !== state.method; });
    var cash = tendered();
    $("pos-change").textContent = cash !== null && !Number.isNaN(cash) && cash >= cartTotal() ? fmt(T.change, { amount: money(cash - cartTotal()) }) : "";
  }
  function renderHistory() {
    var list = $("pos-history");
    list.textContent = "";
    var sales = state.queue.concat(state.history).sort(function (a, b) { return b.seq - a.seq; }).slice(0, 20);
    $("pos-history-empty").hidden = sales.length > 0;
    sales.forEach(function (sale) {
      var count = sale.content.lines.reduce(function (n, l) { return n + l.quantity; }, 0);
      list.appendChild(el("li", { "data-status": sale.status }, [
        el("span", { text: when(sale.content.sold_at) }),
        el("span", { class: "grow", text: sale.event + " · " + count + " × · " + money(sale.total) }),
        el("span", { class: "badge " + sale.status, text: T["status_" + sale.status] || sale.status, title: sale.reason || "" }),
        sale.printed.length ? reprintButton(sale) : null,
      ]));
    });
  }
  function reprintButton(sale) {
    var button = el("button", { type: "button", class: "secondary small", text: T.print });
    button.addEventListener("click", function () { print(sale); });
    return button;
  }
  function loadLists() {
    return Promise.all([getAll("queue"), getAll("history"), getAll("pool")]).then(function (all) {
      state.queue = all[0];
      state.history = all[1].sort(function (a, b) { return b.seq - a.seq; });
      state.pool = withoutSecrets(all[2], state.taken);
      var old = state.history.slice(200);  // the history keeps the last 200 sales
      if (old.length) return tx(["history"], "readwrite", function (s) { old.forEach(function (sale) { s.history.delete(sale.uuid); }); });
    });
  }

  function pair(station) {
    var other = state.station && state.station.id !== station.id;
    if (other && state.queue.length) { window.alert(fmt(T.close_waiting, { count: state.queue.length })); return; }
    if (!window.confirm(fmt(T.pair_confirm, { station: station.name }))) return;
    fetch(station.pair, { method: "POST", headers: { "X-CSRFToken": document.querySelector("meta[name=csrf-token]").content } })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error((data.detail || []).join(" ") || response.status);
          return data;
        });
      })
      .then(function (data) {
        state.token = data.token; state.station = data.station; state.unpaired = state.choosing = false;
        state.closed = false; state.catalogue = other ? null : state.catalogue;
        var saved = [kvSet("token", data.token), kvSet("station", data.station), kvSet("closed", false)];
        if (other) saved.push(tx(["pool", "spent", "kv"], "readwrite", function (s) { s.pool.clear(); s.spent.clear(); s.kv.delete("catalogue"); }));
        return Promise.all(saved).then(loadLists);
      })
      .then(function () { render(); return sync(); })
      .then(refresh)
      .catch(function (error) { window.alert(fmt(T.pair_failed, { reason: error.message })); });
  }

  function closeCounter() {
    if (state.queue.length) { window.alert(fmt(T.close_waiting, { count: state.queue.length })); return; }
    if (!window.confirm(T.close_confirm)) return;
    var events = {};
    state.pool.forEach(function (t) { events[t.event] = true; });
    Object.keys(events).reduce(function (chain, id) {
      return chain.then(function (total) {
        return api("POST", "allotments/release/", { event: Number(id) }).then(function (answer) { return total + (answer.data.released || 0); });
      });
    }, Promise.resolve(0)).then(function (total) {
      return tx(["pool"], "readwrite", function (s) { s.pool.clear(); }).then(function () {
        state.pool = []; state.closed = true; kvSet("closed", true); render(); window.alert(fmt(T.closed, { count: total }));
      });
    }, function () { render(); });
  }

  // --- kiosk orders (P5): a customer ordered at a kiosk to pay here; its reference finds it, online only -----
  var kiosk = { order: null, method: "cash", uuid: null };
  function kioskFindError(text) { $("pos-kiosk-find-error").textContent = text; $("pos-kiosk-find-error").hidden = !text; }
  function kioskError(text) { $("pos-kiosk-error").textContent = text; $("pos-kiosk-error").hidden = !text; }
  function kioskAnswer(answer) {  // the message of a refusal (404 unknown, 409 paid or expired, 400 bad input)
    if (answer.status === 404) return T.kiosk_not_found;
    return Array.isArray(answer.data.detail) ? answer.data.detail.join(" ") : answer.data.detail;
  }
  function findKioskOrder(submitEvent) {
    submitEvent.preventDefault();
    var reference = $("pos-kiosk-reference").value.replace(/[\s-]/g, "").toUpperCase();
    kioskFindError(!reference ? T.kiosk_reference : online() ? "" : T.kiosk_offline);
    if (!reference || !online()) return;
    api("GET", "orders/" + encodeURIComponent(reference) + "/?language=" + LANG).then(function (answer) {
      if (answer.status === 200) showKioskOrder(answer.data);
      else kioskFindError(kioskAnswer(answer));
    }, function () { kioskFindError(T.kiosk_offline); });
  }
  function showKioskOrder(order) {
    kiosk = { order: order, method: "cash", uuid: uuid4() };  // one id per payment: a retry is a replay
    $("pos-kiosk-ref").textContent = order.reference;
    $("pos-kiosk-event").textContent = order.event_title + " · " + when(order.starts_at) + " · " + order.venue;
    var list = $("pos-kiosk-lines");
    list.textContent = "";
    order.lines.forEach(function (line) {
      list.appendChild(el("li", {}, [
        el("span", { class: "pos-qty", text: String(line.quantity) }), el("span", { class: "grow", text: "× " + line.category_name }),
        el("span", { text: money(Number(line.price) * line.quantity) }),
      ]));
    });
    $("pos-kiosk-total").textContent = money(order.total);
    $("pos-kiosk-buyer").textContent = [order.buyer_name, order.buyer_email, fmt(T.kiosk_held_until, { time: when(order.expires_at) })].filter(Boolean).join(" · ");
    ["pos-kiosk-tendered", "pos-kiosk-card-ref"].forEach(function (id) { $(id).value = ""; });
    kioskFindError(""); kioskError(""); renderKioskMethod();
    $("pos-cart").hidden = $("pos-done").hidden = true;
    $("pos-kiosk-order").hidden = false;
  }
  function kioskTendered() {
    var text = $("pos-kiosk-tendered").value.trim().replace(",", ".");
    if (!text) return null;
    return /^\d+(\.\d{1,2})?$/.test(text) ? Number(text) : NaN;
  }
  function renderKioskMethod() {
    document.querySelectorAll("[data-kiosk-method]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.kioskMethod === kiosk.method));
    });
    document.querySelectorAll("[data-kiosk-for]").forEach(function (field) { field.hidden = field.dataset.kioskFor !== kiosk.method; });
    var cash = kioskTendered(), total = kiosk.order ? Number(kiosk.order.total) : 0;
    $("pos-kiosk-change").textContent = cash !== null && !Number.isNaN(cash) && cash >= total ? fmt(T.change, { amount: money(cash - total) }) : "";
  }
  function payKioskOrder(submitEvent) {
    submitEvent.preventDefault();
    var order = kiosk.order, cash = kioskTendered(), total = Number(order.total), error = "";
    if (kiosk.method === "cash" && Number.isNaN(cash)) error = T.bad_amount;
    else if (kiosk.method === "cash" && cash !== null && cash + 1e-9 < total) error = T.cash_short;
    else if (kiosk.method === "card" && !$("pos-kiosk-card-ref").value.trim()) error = T.card_reference;
    kioskError(error);
    if (error) return;
    var content = {
      uuid: kiosk.uuid, method: kiosk.method, sold_at: new Date().toISOString(), language: LANG,
      card_reference: kiosk.method === "card" ? $("pos-kiosk-card-ref").value.trim() : "",
      cash_tendered: kiosk.method === "cash" && cash !== null ? cash.toFixed(2) : null,
    };
    $("pos-kiosk-pay").disabled = true;
    api("POST", "orders/" + order.reference + "/pay/", content).then(function (answer) {
      if (answer.status !== 200 && answer.status !== 201) { kioskError(kioskAnswer(answer)); return; }
      var sale = {  // in this device's history like its own sales, to print again
        uuid: content.uuid, seq: Date.now() + Math.random(), status: "synced", order: answer.data.order,
        content: Object.assign({ lines: order.lines.map(function (l) { return { category: l.category, quantity: l.quantity }; }) }, content),
        printed: answer.data.tickets, total: total, event: order.event_title, layout: $("pos-layout").value,
      };
      return tx(["history"], "readwrite", function (s) { s.history.put(sale); }).then(function () {
        state.lastReceipt = sale;
        $("pos-kiosk-order").hidden = true;
        $("pos-kiosk-reference").value = "";
        showDone(sale);
        var change = content.cash_tendered ? " " + fmt(T.change, { amount: money(Number(content.cash_tendered) - total) }) : "";
        $("pos-done-note").textContent = fmt(T.kiosk_paid, { order: sale.order }) + change;
        print(sale);
        return loadLists().then(render);
      });
    }, function () { kioskError(T.kiosk_offline); }).then(function () { $("pos-kiosk-pay").disabled = false; });
  }
  function closeKioskOrder() { $("pos-kiosk-order").hidden = true; $("pos-cart").hidden = false; kiosk.order = null; }

  // --- wiring ---------------------------------------------------------------------------------------------
  $("pos-kiosk-find").addEventListener("submit", findKioskOrder);
  $("pos-kiosk-order").addEventListener("submit", payKioskOrder);
  $("pos-kiosk-order").addEventListener("input", function (event) { kioskError(""); if (event.target.id === "pos-kiosk-tendered") renderKioskMethod(); });
  $("pos-kiosk-cancel").addEventListener("click", closeKioskOrder);
  document.querySelectorAll("[data-kiosk-method]").forEach(function (button) {
    button.addEventListener("click", function () { kiosk.method = button.dataset.kioskMethod; kioskError(""); renderKioskMethod(); });
  });
  $("pos-cart").addEventListener("submit", sell);
  $("pos-cart").addEventListener("input", function (event) { if (event.target.id === "pos-tendered") renderCart(); });
  document.querySelectorAll(".pos-methods button").forEach(function (button) {
    button.addEventListener("click", function () { state.method = button.dataset.method; showError(""); renderCart(); });
  });
  $("pos-clear").addEventListener("click", function () { state.cart = {}; showError(""); renderCart(); });
  $("pos-next").addEventListener("click", function () { $("pos-done").hidden = true; $("pos-cart").hidden = false; });
  $("pos-reprint").addEventListener("click", function () { if (state.lastReceipt) print(state.lastReceipt); });
  $("pos-sync-now").addEventListener("click", function () { sync().then(refresh); });
  $("pos-change-station").addEventListener("click", function () { state.choosing = true; render(); });
  $("pos-close").addEventListener("click", closeCounter);
  window.addEventListener("online", function () { reachable(true); sync().then(refresh); });
  $("pos-events").addEventListener("click", function () { if (state.closed) { state.closed = false; kvSet("closed", false); } });
  window.addEventListener("offline", function () { reachable(false); render(); });
  setInterval(function () { if (state.queue.length) sync(); }, 5000);
  setInterval(function () { if (navigator.onLine) refresh(); }, 30000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.dataset.worker, { scope: app.dataset.worker.replace(/[^/]*$/, "") }).catch(function () {});
  }
  Promise.all([kvGet("token"), kvGet("station"), kvGet("catalogue"), kvGet("lastSync"), kvGet("closed")]).then(function (saved) {
    state.token = saved[0] || null; state.station = saved[1] || null; state.catalogue = saved[2] || null;
    state.lastSync = saved[3] || null; state.closed = Boolean(saved[4]);
    if (state.catalogue && state.catalogue.events.length) state.eventId = state.catalogue.events[0].id;
    return loadLists();
  }).then(function () { render(); return sync(); }).then(refresh);
})();
