// The website chat widget (SPEC CH7). A shop's page loads it with one tag:
//   <script src="https://INBOX/api/channels/ID/widget.js" async></script>
// It draws in a shadow root, so the page's styles cannot change it, shows every text
// with textContent (never as HTML), keeps the visitor's token in localStorage, and asks the
// inbox for news every second while the visitor has a chat.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var src = new URL(script.src);
  var found = src.pathname.match(/\/api\/channels\/(\d+)\/widget\.js$/);
  if (!found) return;
  var base = src.origin + "/api/channels/" + found[1] + "/widget";
  var storageKey = "inbox-widget-" + src.origin + "-" + found[1];
  var POLL_MS = 1000;
  var HIDDEN_POLL_MS = 5000;

  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(storageKey) || "{}") || {}; } catch (e) { saved = {}; }
  function keep() {
    try { localStorage.setItem(storageKey, JSON.stringify(saved)); } catch (e) { /* private mode */ }
  }

  var host = document.createElement("div");
  host.setAttribute("data-inbox-widget", found[1]);
  var root = host.attachShadow({ mode: "open" });
  var style = document.createElement("style");
  style.textContent = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;",
    "font-size:14px;line-height:1.4;letter-spacing:normal;text-transform:none}",
    ".bubble{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;",
    "border:0;background:#c2185b;color:#fff;font-size:26px;cursor:pointer;",
    "box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483646}",
    ".count{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;",
    "border-radius:11px;background:#222;color:#fff;font-size:12px;line-height:22px;",
    "text-align:center}",
    ".panel{position:fixed;right:20px;bottom:88px;width:340px;max-width:calc(100vw - 40px);",
    "height:480px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;",
    "background:#fff;color:#222;border-radius:12px;overflow:hidden;",
    "box-shadow:0 8px 30px rgba(0,0,0,.25);z-index:2147483647}",
    ".panel[hidden]{display:none}",
    ".head{padding:12px 14px;background:#c2185b;color:#fff;font-weight:600;display:flex}",
    ".head span{flex:1}.close{background:none;border:0;color:#fff;cursor:pointer;font-size:18px}",
    ".list{flex:1;overflow-y:auto;padding:10px;background:#fafafa}",
    ".msg{max-width:80%;margin:4px 0;padding:7px 10px;border-radius:10px;white-space:pre-wrap;",
    "overflow-wrap:anywhere;unicode-bidi:isolate}",
    ".shop{background:#eee;margin-right:auto}.mine{background:#f8d7e5;margin-left:auto}",
    ".who{display:block;font-size:12px;color:#666}",
    ".greeting{color:#555;margin:4px 0 8px}",
    ".form{display:flex;flex-direction:column;gap:6px;padding:8px;border-top:1px solid #ddd}",
    "input,textarea{width:100%;padding:7px;border:1px solid #bbb;border-radius:6px;",
    "background:#fff;color:#222}",
    "textarea{height:60px;resize:none}",
    ".send{align-self:flex-end;padding:7px 16px;border:0;border-radius:6px;",
    "background:#c2185b;color:#fff;cursor:pointer}.send:disabled{opacity:.5;cursor:default}",
    ".note{font-size:12px;color:#a00;min-height:16px}",
    ".photo{display:block;max-width:100%;max-height:220px;margin:4px 0;border-radius:6px}",
    ".file{display:block;margin:4px 0;color:#c2185b;cursor:pointer;text-decoration:underline}"
  ].join("");
  root.appendChild(style);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  var bubble = el("button", "bubble", "💬");
  bubble.setAttribute("aria-label", "Chat with us");
  var count = el("span", "count");
  count.hidden = true;
  bubble.appendChild(count);
  var panel = el("div", "panel");
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  var head = el("div", "head");
  var title = el("span", "", saved.title || "Chat with us");
  var close = el("button", "close", "✕");
  close.setAttribute("aria-label", "Close the chat");
  head.appendChild(title);
  head.appendChild(close);
  var list = el("div", "list");
  var greeting = el("div", "greeting", saved.greeting || "");
  list.appendChild(greeting);
  var form = el("div", "form");
  var name = el("input");
  name.placeholder = "Your name (optional)";
  name.maxLength = 100;
  var box = el("textarea");
  box.placeholder = "Type a message…";
  box.maxLength = 4000;
  var note = el("div", "note");
  var send = el("button", "send", "Send");
  form.appendChild(name);
  form.appendChild(box);
  form.appendChild(note);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(list);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(bubble);

  var shown = {};
  var after = 0;
  var version = null;
  var newest = 0;
  var timer = null;
  var unavailable = false;

  function isOpen() { return !panel.hidden && !document.hidden; }

  function showUnread() {
    var unread = 0;
    for (var id in shown) if (!shown[id].mine && +id > (saved.readUpTo || 0)) unread++;
    count.textContent = unread > 9 ? "9+" : String(unread);
    count.hidden = unread === 0 || !panel.hidden;
  }

  function refuse(text) {
    note.textContent = text;
  }

  function api(path, options) {
    options = options || {};
    var headers = { "Content-Type": "application/json" };
    if (saved.token) headers.Authorization = "Bearer " + saved.token;
    return fetch(base + path, {
      method: options.method || "GET", headers: headers, mode: "cors", credentials: "omit",
      body: options.body ? JSON.stringify(options.body) : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 401) { saved = {}; keep(); }
        if (response.status === 403) {
          unavailable = true;
          send.disabled = true;
          refuse(body.error || "The chat is unavailable right now.");
        }
        if (!response.ok) throw new Error(body.error || "The message could not be sent.");
        return body;
      });
    });
  }

  function ensureVisitor() {
    if (saved.token) return Promise.resolve();
    return api("/visitor", { method: "POST" }).then(function (body) {
      saved.token = body.token;
      saved.title = body.title || saved.title;
      saved.greeting = body.greeting || "";
      title.textContent = saved.title || "Chat with us";
      greeting.textContent = saved.greeting;
      keep();
    });
  }

  // A file is fetched with the visitor's token (never put in an address) and shown from the
  // browser's own copy: a picture as one, anything else as a download.
  function fileBlob(file) {
    return fetch(base + "/files/" + file.id, {
      headers: { Authorization: "Bearer " + saved.token }, mode: "cors", credentials: "omit"
    }).then(function (response) {
      if (!response.ok) throw new Error("The file could not be fetched.");
      return response.blob();
    });
  }

  function size(bytes) {
    return bytes < 1048576 ? Math.max(1, Math.round(bytes / 1024)) + " KB"
      : (bytes / 1048576).toFixed(1) + " MB";
  }

  function drawFile(node, file) {
    if (file.kind === "photo") {
      var picture = el("img", "photo");
      picture.alt = file.name;
      node.appendChild(picture);
      fileBlob(file).then(function (blob) { picture.src = URL.createObjectURL(blob); })
        .catch(function () { picture.alt = "📎 " + file.name; });
      return;
    }
    var link = el("a", "file", "📎 " + file.name + " · " + size(file.size));
    link.href = "#";
    link.addEventListener("click", function (event) {
      event.preventDefault();
      fileBlob(file).then(function (blob) {
        var save = document.createElement("a");
        save.href = URL.createObjectURL(blob);
        save.download = file.name;
        save.click();
      }).catch(function (error) { refuse(error.message); });
    });
    node.appendChild(link);
  }

  function draw(message) {
    if (shown[message.id]) return;
    shown[message.id] = message;
    var node = el("div", "msg " + (message.mine ? "mine" : "shop"));
    if (!message.mine && message.author) node.appendChild(el("span", "who", message.author));
    (message.files || []).forEach(function (file) { drawFile(node, file); });
    if (message.text) node.appendChild(document.createTextNode(message.text));
    var before = null;
    for (var i = 0; i < list.children.length; i++) {
      var other = list.children[i];
      if (other.dataset.id && +other.dataset.id > message.id) { before = other; break; }
    }
    node.dataset.id = message.id;
    list.insertBefore(node, before);
    newest = Math.max(newest, message.id);
  }

  function markRead() {
    if (!isOpen() || newest <= (saved.readUpTo || 0)) return;
    var upTo = newest;
    api("/read", { method: "POST", body: { up_to: upTo } }).then(function () {
      saved.readUpTo = Math.max(saved.readUpTo || 0, upTo);
      keep();
      showUnread();
    }).catch(function () { /* told again at the next poll */ });
  }

  function schedule(ms) {
    clearTimeout(timer);
    if (!unavailable && saved.chatting) timer = setTimeout(poll, ms);
  }

  function poll() {
    var query = "?after=" + after + (version ? "&seen=" + encodeURIComponent(version) : "");
    api("/messages" + query).then(function (body) {
      if (!body.unchanged) {
        var atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 30;
        (body.messages || []).forEach(draw);
        after = body.next_after;
        version = body.version;
        if (atEnd) list.scrollTop = list.scrollHeight;
        showUnread();
      }
      markRead();
      schedule(document.hidden ? HIDDEN_POLL_MS : POLL_MS);
    }).catch(function () {
      schedule(HIDDEN_POLL_MS);
    });
  }

  function clientId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16); }).join("");
  }

  function submit() {
    var text = box.value;
    if (!text.trim() || send.disabled) return;
    send.disabled = true;
    refuse("");
    var pending = saved.pending && saved.pending.text === text ? saved.pending
      : { text: text, id: clientId() };
    saved.pending = pending;
    keep();
    ensureVisitor().then(function () {
      return api("/messages", { method: "POST", body: {
        text: text, client_id: pending.id, name: name.value,
        page_url: location.href.slice(0, 2000), page_title: document.title.slice(0, 500)
      } });
    }).then(function () {
      if (box.value === text) box.value = "";
      saved.pending = null;
      saved.chatting = true;
      if (name.value) { saved.name = name.value; name.hidden = true; }
      keep();
      version = null;
      poll();
    }).catch(function (error) {
      refuse(unavailable ? note.textContent : (error.message || "Not sent: try again."));
    }).then(function () {
      send.disabled = unavailable;
    });
  }

  bubble.addEventListener("click", function () {
    panel.hidden = !panel.hidden;
    showUnread();
    if (!panel.hidden) {
      ensureVisitor().catch(function (error) { refuse(note.textContent || error.message); });
      box.focus();
      list.scrollTop = list.scrollHeight;
      markRead();
    }
  });
  close.addEventListener("click", function () { panel.hidden = true; showUnread(); });
  send.addEventListener("click", submit);
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); submit(); }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { markRead(); schedule(0); }
  });
  if (saved.name) { name.value = saved.name; name.hidden = true; }
  if (saved.pending) box.value = saved.pending.text;

  function start() {
    document.body.appendChild(host);
    if (saved.token && saved.chatting) poll();
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
