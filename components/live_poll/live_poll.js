// Live updates (SPEC R1) checked by the browser: it asks the server's tiny /api/changes for the
// store's change counter and reruns the page only when the counter moved since the page's last
// run. An idle page costs the server one small request per tick, and no script run.
"use strict";

let since = null; // the counter the page's last run saw
let intervalMs = 500;
let timer = null;
let reruns = 0;

function post(type, fields) {
  window.parent.postMessage({ isStreamlitMessage: true, type, ...fields }, "*");
}

// The tab's title counts the chats waiting for an answer (SPEC R3): "(3) Chats · Inbox". It is
// put back after each tick, as Streamlit sets the page's own title when it draws the page.
let waiting = null;

function showWaiting() {
  const doc = window.parent.document;
  const base = doc.title.replace(/^\(\d+\) /, "");
  const title = `${waiting ? `(${waiting}) ` : ""}${base}`;
  if (waiting !== null && doc.title !== title) {
    doc.title = title;
  }
}

// Desktop notifications (SPEC R3), when this browser turned them on: for a chat that began
// since the page opened, and for a customer's message in a chat the user is responsible for.
// They come from the answers the checks get anyway, so they cost the server nothing more.
const COOKIE = "inbox_notify";
const YEAR = 365 * 24 * 3600;
let notify = "off";
let me = null;
let known = null; // chat id -> the time of its customer's latest message, as last told
let openedAt = null; // the first answer's newest message: chats that begin later are new

function keepChoice(choice) {
  if (choice !== notify) {
    window.parent.document.cookie =
      `${COOKIE}=${encodeURIComponent(choice)}; path=/; max-age=${YEAR}; SameSite=Strict`;
  }
  notify = choice;
}

function beep() {
  try {
    const audio = new window.parent.AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.15, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  } catch (error) {
    // No sound here (the browser allows none yet): the notification still shows.
  }
}

function show(chat, isNew) {
  const Notice = window.parent.Notification;
  if (!Notice || Notice.permission !== "granted") {
    return;
  }
  const notice = new Notice(isNew ? `New chat: ${chat.name}` : chat.name, {
    body: chat.text || "New message",
    tag: `chat-${chat.id}-${chat.at}`, // the user's other tabs show the same one once
  });
  notice.onclick = () => {
    window.parent.focus();
    rerun("open", chat.id); // the page opens the chat (access is checked there, as always)
    notice.close();
  };
  if (notify.endsWith("+sound")) {
    beep();
  }
}

function tell(news) {
  if (known === null) {
    known = new Map(news.map((chat) => [chat.id, chat.at]));
    // The server's clock, where the first answer tells it; the browser's may be a little off.
    openedAt = Math.max(Date.now() - 300000, ...news.map((chat) => chat.at));
    return;
  }
  for (const chat of news) {
    const before = known.get(chat.id);
    known.set(chat.id, chat.at);
    if (notify === "off" || (before !== undefined && chat.at <= before)) {
      continue;
    }
    const isNew = before === undefined && chat.created_at > openedAt;
    if (isNew || chat.assignee_id === me) {
      show(chat, isNew);
    }
  }
}

// Asked on the person's own click on the switch, as browsers require.
const gone = new AbortController();
window.addEventListener("pagehide", () => gone.abort());
window.parent.document.addEventListener("click", (event) => {
  const Notice = window.parent.Notification;
  if (Notice && Notice.permission === "default" && event.target.closest(".st-key-notify-on")) {
    Notice.requestPermission();
  }
}, { capture: true, signal: gone.signal });

function schedule(delayMs) {
  clearTimeout(timer);
  // A tab in the background checks less often; its badges still follow.
  timer = setTimeout(check, document.hidden ? delayMs * 4 : delayMs);
}

function rerun(reason, chat = null) {
  reruns += 1; // a new value each time, so that the page always reruns
  post("streamlit:setComponentValue", { value: { reason, reruns, chat }, dataType: "json" });
  schedule(10000); // the rerun's render restarts the checks; this is in case none comes
}

async function check() {
  try {
    const response = await fetch("/api/changes", { cache: "no-store", credentials: "same-origin" });
    if (response.status === 401) {
      rerun("session ended"); // the page shows the login prompt
      return;
    }
    if (response.ok) {
      const answer = await response.json();
      const version = answer.version;
      if (typeof answer.waiting === "number") {
        waiting = answer.waiting;
      }
      showWaiting();
      if (Array.isArray(answer.news)) {
        tell(answer.news);
      }
      if (since !== null && version !== since) {
        rerun("changed");
        return;
      }
    }
  } catch (error) {
    // The server is restarting or the network is down: try again at the next tick.
  }
  schedule(intervalMs);
}

window.addEventListener("message", (event) => {
  if (event.source !== window.parent || event.data.type !== "streamlit:render") {
    return;
  }
  since = event.data.args.since;
  intervalMs = event.data.args.interval_ms;
  me = event.data.args.me;
  keepChoice(event.data.args.notify);
  schedule(intervalMs);
});

post("streamlit:componentReady", { apiVersion: 1 });
post("streamlit:setFrameHeight", { height: 0 });
