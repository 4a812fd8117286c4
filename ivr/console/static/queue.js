// The queue page: polls the state, counts waiting times up, sets the status, takes calls.
"use strict";
(function () {
  const root = document.getElementById("me");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const pollMs = Number(root.dataset.pollMs) || 1000;
  const INTENTS = {support: "support", activation: "activation", activation_failed: "activation failed",
                   menu_failed: "after a failed menu"};
  const STATUSES = {offline: "offline", available: "available", paused: "paused",
                    on_call: "on a call", wrap_up: "wrap-up"};
  let fetchedAt = Date.now();
  let waiting = [];

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    const mm = (h ? String(m).padStart(2, "0") : String(m));
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function renderWaiting() {
    const body = document.querySelector("#waiting tbody");
    const elapsed = (Date.now() - fetchedAt) / 1000;
    body.replaceChildren();
    for (const caller of waiting) {
      const row = document.createElement("tr");
      row.dataset.callId = caller.id;
      cell(row, caller.position, "position");
      cell(row, clock(caller.waiting_seconds + elapsed), "waited");
      cell(row, caller.caller, "caller");
      cell(row, caller.customer_number ? caller.customer_number + " " + caller.customer_name : "unverified",
           "customer");
      cell(row, INTENTS[caller.intent] || caller.intent || "", "intent");
      cell(row, caller.language, "language");
      const button = document.createElement("button");
      button.textContent = "Take this call";
      button.className = "take";
      button.addEventListener("click", () => take(caller.id));
      row.appendChild(document.createElement("td")).appendChild(button);
      body.appendChild(row);
    }
    document.getElementById("waiting-count").textContent = waiting.length;
  }

  function list(title, items, line, href) {
    const section = document.createElement("div");
    const heading = document.createElement("h3");
    heading.textContent = title;
    section.appendChild(heading);
    const ul = document.createElement("ul");
    if (!items.length) {
      ul.appendChild(document.createElement("li")).textContent = "none";
    }
    for (const item of items) {
      const li = ul.appendChild(document.createElement("li"));
      const url = href ? href(item) : null;
      if (url && url.startsWith("/") && !url.startsWith("//")) {
        const a = li.appendChild(document.createElement("a"));
        a.href = url;
        a.target = "_blank";
        a.textContent = line(item);
      } else {
        li.textContent = line(item);
      }
    }
    section.appendChild(ul);
    return section;
  }

  function renderCall(call) {
    const box = document.getElementById("in-hand");
    box.hidden = !call;
    const pop = document.getElementById("screen-pop");
    pop.replaceChildren();
    if (!call) return;
    const who = document.createElement("p");
    who.id = "pop-customer";
    who.textContent = call.customer
      ? call.customer.number + " " + call.customer.name + (call.customer.email ? " · " + call.customer.email : "")
      : "unverified caller";
    pop.appendChild(who);
    const meta = document.createElement("p");
    meta.textContent = call.caller + " · " + (INTENTS[call.intent] || call.intent || "") + " · " + call.language
      + (call.answered ? " · connected" : " · ringing your phone");
    pop.appendChild(meta);
    pop.appendChild(list("Web accounts", call.web_accounts, a => a.web_number + " " + a.domain + " (" + a.status + ")"));
    pop.appendChild(list("Recent calls", call.recent_calls,
      c => c.started + " · " + (INTENTS[c.intent] || c.intent || "") + " · " + (c.result || "") +
           (c.talk_seconds != null ? " · talked " + clock(c.talk_seconds) : "")));
    const tickets = pop.appendChild(list("Tickets", call.tickets, t => t.reference + " " + t.subject + " (" + t.status + ")",
      t => t.url));
    tickets.id = "pop-tickets";
  }

  function renderMe(me) {
    document.getElementById("my-status").textContent = STATUSES[me.status] || me.status;
    document.getElementById("my-status").dataset.status = me.status;
    document.getElementById("my-reason").textContent = me.reason ? "(" + me.reason + ")" : "";
  }

  function say(text) { document.getElementById("message").textContent = text || ""; }

  async function poll() {
    try {
      const response = await fetch(root.dataset.stateUrl, {headers: {Accept: "application/json"}});
      if (response.redirected || response.status === 401) { window.location = response.url; return; }
      if (!response.ok) throw new Error(response.status);
      const state = await response.json();
      fetchedAt = Date.now();
      waiting = state.waiting;
      renderMe(state.me);
      renderWaiting();
      renderCall(state.call);
      document.getElementById("connection").hidden = true;
    } catch (error) {
      document.getElementById("connection").hidden = false;
    } finally {
      setTimeout(poll, pollMs);
    }
  }

  async function post(url, data) {
    const response = await fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json"},
      body: JSON.stringify(data),
    });
    let body = {};
    try { body = await response.json(); } catch (error) { body = {error: "the server answered " + response.status}; }
    return {ok: response.ok, body: body};
  }

  async function take(callId) {
    const result = await post(root.dataset.takeUrl, callId ? {call_id: callId} : {});
    say(result.ok ? "Connecting the caller to your phone…" : "Not taken: " + result.body.error);
  }

  async function setStatus(status) {
    const reason = document.getElementById("pause-reason").value;
    const result = await post(root.dataset.statusUrl, {status: status, reason: reason});
    if (result.ok) { renderMe(result.body.me); say(""); } else { say(result.body.error); }
  }

  for (const button of document.querySelectorAll("button[data-status]")) {
    button.addEventListener("click", () => setStatus(button.dataset.status));
  }
  document.getElementById("take-next").addEventListener("click", () => take(null));
  setInterval(renderWaiting, 1000);
  poll();
})();
