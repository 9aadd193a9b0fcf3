// Quick replies by "/" (SPEC M6): typing "/" and a few letters in the reply box offers the team's
// saved answers, already filled from the chat; arrows choose, Enter or Tab inserts, Escape closes.
// It lives in the page beside the box, so nothing goes to the server until the manager sends.
"use strict";

const page = window.parent;
const doc = page.document;
const VARIABLE = /(\{[A-Za-z_]+\.[A-Za-z_]+\})/;
const SHOWN = 8;

let selector = null;
let replies = [];
let menu = null;
let matches = [];
let active = 0;
let slashAt = -1; // where the "/" being typed stands in the box
const stop = new AbortController();

function post(type, fields) {
  page.postMessage({ isStreamlitMessage: true, type, ...fields }, "*");
}

function ownBox(target) {
  return selector && target instanceof page.HTMLTextAreaElement && target.matches(selector);
}

function query(box) {
  const before = box.value.slice(0, box.selectionStart);
  const found = /(?:^|\s)\/([^\s/]{0,30})$/.exec(before);
  if (!found) {
    return null;
  }
  slashAt = before.length - found[1].length - 1;
  return found[1].toLowerCase();
}

function rank(q) {
  const starts = [];
  const contains = [];
  for (const reply of replies) {
    const title = reply.title.toLowerCase();
    if (title.startsWith(q)) {
      starts.push(reply);
    } else if (title.includes(q) || reply.text.toLowerCase().includes(q)) {
      contains.push(reply);
    }
  }
  return starts.concat(contains).slice(0, SHOWN);
}

function removeMenu() {
  if (menu) {
    menu.remove();
    menu = null;
  }
}

function close() {
  removeMenu();
  matches = [];
}

// Text only (textContent): a reply's words are never read as HTML; variables still without a
// value are marked.
function preview(text) {
  const line = doc.createElement("div");
  line.className = "quick-slash-text";
  for (const part of text.slice(0, 160).split(VARIABLE)) {
    const piece = doc.createElement(VARIABLE.test(part) ? "mark" : "span");
    piece.textContent = part;
    line.appendChild(piece);
  }
  return line;
}

function draw(box, notice) {
  removeMenu();
  if (replies.length === 0) {
    return;
  }
  menu = doc.createElement("div");
  menu.className = "quick-slash-menu";
  menu.setAttribute("role", "listbox");
  if (notice || matches.length === 0) {
    const none = doc.createElement("div");
    none.className = "quick-slash-none";
    none.textContent = notice || "No quick reply has these letters";
    menu.appendChild(none);
  }
  matches.forEach((reply, index) => {
    const item = doc.createElement("div");
    item.className = "quick-slash-item" + (index === active ? " active" : "");
    item.setAttribute("role", "option");
    const title = doc.createElement("div");
    title.className = "quick-slash-title";
    title.textContent = reply.title;
    item.append(title, preview(reply.text));
    item.addEventListener("mousedown", (event) => {
      event.preventDefault(); // the box keeps the focus
      choose(box, reply);
    });
    menu.appendChild(item);
  });
  const place = box.getBoundingClientRect();
  Object.assign(menu.style, {
    left: `${place.left}px`,
    width: `${place.width}px`,
    bottom: `${page.innerHeight - place.top + 4}px`,
  });
  doc.body.appendChild(menu);
}

function choose(box, reply) {
  const end = box.selectionStart;
  const value = box.value.slice(0, slashAt) + reply.text + box.value.slice(end);
  if (box.maxLength > 0 && value.length > box.maxLength) {
    draw(box, `That does not fit: a reply here takes at most ${box.maxLength} characters.`);
    return;
  }
  close();
  // The box is React's: its own setter, then an input event, so that React takes the value.
  const setter = Object.getOwnPropertyDescriptor(page.HTMLTextAreaElement.prototype, "value").set;
  setter.call(box, value);
  box.dispatchEvent(new page.Event("input", { bubbles: true }));
  const caret = slashAt + reply.text.length;
  box.setSelectionRange(caret, caret);
}

function follow(event) {
  if (!ownBox(event.target)) {
    return;
  }
  const q = query(event.target);
  if (q === null) {
    close();
    return;
  }
  matches = rank(q);
  active = 0;
  draw(event.target);
}

function keys(event) {
  if (!menu || !ownBox(event.target)) {
    return;
  }
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    const step = event.key === "ArrowDown" ? 1 : -1;
    active = (active + step + matches.length) % Math.max(matches.length, 1);
    draw(event.target);
  } else if ((event.key === "Enter" || event.key === "Tab") && matches.length > 0) {
    choose(event.target, matches[active]);
  } else if (event.key === "Escape") {
    close();
  } else {
    return;
  }
  event.preventDefault();
  event.stopPropagation();
}

const options = { capture: true, signal: stop.signal };
doc.addEventListener("input", follow, options);
doc.addEventListener("click", follow, options);
doc.addEventListener("keydown", keys, options);
doc.addEventListener("focusout", (event) => ownBox(event.target) && close(), options);
window.addEventListener("pagehide", () => {
  stop.abort();
  close();
});

window.addEventListener("message", (event) => {
  if (event.source !== page || event.data.type !== "streamlit:render") {
    return;
  }
  if (selector !== event.data.args.box) {
    close();
  }
  selector = event.data.args.box;
  replies = JSON.parse(event.data.args.replies);
});

post("streamlit:componentReady", { apiVersion: 1 });
post("streamlit:setFrameHeight", { height: 0 });
