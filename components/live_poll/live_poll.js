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

function schedule(delayMs) {
  clearTimeout(timer);
  // A tab in the background checks less often; its badges still follow.
  timer = setTimeout(check, document.hidden ? delayMs * 4 : delayMs);
}

function rerun(reason) {
  reruns += 1; // a new value each time, so that the page always reruns
  post("streamlit:setComponentValue", { value: { reason, reruns }, dataType: "json" });
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
  schedule(intervalMs);
});

post("streamlit:componentReady", { apiVersion: 1 });
post("streamlit:setFrameHeight", { height: 0 });
