// The chat page, for customers and for support: the live room over server-sent events,
// sending messages, and (support) private answers, tickets and the availability switch.
"use strict";
(function () {
  const root = document.getElementById("chat");
  const support = root.dataset.side === "support";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const list = document.getElementById("messages");
  const body = document.getElementById("body");
  const seen = new Set();
  let lastId = null;
  let replyTo = null;

  function say(text) { document.getElementById("error").textContent = text || ""; }

  function span(parent, className, text) {
    const element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  function button(parent, className, text, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    element.addEventListener("click", action);
    parent.appendChild(element);
  }

  function authorOf(message) {
    if (!support) return message.author;
    return message.from_support ? "Support (" + message.staff + ")"
                                : message.author + " (" + message.customer_number + ")";
  }

  function tagOf(message) {
    if (!message.private) return "";
    if (support) return message.from_support ? "[private answer]" : "[Support]";
    return message.from_support ? "[privat]" : "[Support]";
  }

  function render(message) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    lastId = Math.max(lastId || 0, message.id);
    const item = document.createElement("li");
    item.dataset.id = message.id;
    item.classList.toggle("private", message.private);
    item.classList.toggle("from-support", message.from_support);
    item.classList.toggle("mine", Boolean(message.mine));
    span(item, "time", new Date(message.sent_at).toLocaleTimeString() + " ");
    span(item, "author", authorOf(message));
    if (message.private) span(item, "tag", tagOf(message));
    span(item, "text", message.body);
    if (support && !message.from_support) {
      button(item, "reply-private", "Answer privately", () => target(message, true));
      button(item, "reply-public", "Answer to all", () => target(message, false));
      if (message.private) button(item, "ticket", "Make a ticket", () => ticket(message));
    }
    let next = null;
    for (const other of list.children) {
      if (Number(other.dataset.id) > message.id) { next = other; break; }
    }
    list.insertBefore(item, next);
    list.scrollTop = list.scrollHeight;
  }

  function target(message, privately) {
    replyTo = {id: message.id, private: privately};
    const bar = document.getElementById("reply-target");
    bar.hidden = false;
    bar.querySelector("span").textContent = (privately ? "Private answer to " : "Answer to all, to ")
      + authorOf(message);
    body.focus();
  }

  function showOnline(online) {
    root.dataset.online = online ? "yes" : "no";
    if (support) {
      document.getElementById("status").textContent = online ? "online" : "offline";
      return;
    }
    document.getElementById("status").textContent = online ? "Der Chat ist online." : "";
    document.getElementById("offline").hidden = online;
    document.getElementById("composer").hidden = !online;
  }

  function connect() {
    const source = new EventSource(root.dataset.streamUrl + (lastId === null ? "" : "?after=" + lastId));
    source.addEventListener("message", (event) => render(JSON.parse(event.data)));
    source.addEventListener("status", (event) => showOnline(JSON.parse(event.data).online));
    source.addEventListener("open", () => { if (document.getElementById("error").dataset.lost) say(""); });
    source.addEventListener("error", () => {
      if (source.readyState !== EventSource.CLOSED) return;  // the browser reconnects by itself
      source.close();
      say(support ? "Connection lost, retrying…"
                  : "Die Verbindung ist unterbrochen. Falls das anhält, öffnen Sie den Chat erneut aus Ihrem Kundenaccount.");
      document.getElementById("error").dataset.lost = "1";
      setTimeout(connect, 5000);
    });
  }

  async function post(url, data) {
    const response = await fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json"},
      body: JSON.stringify(data),
    });
    let answer = {};
    try { answer = await response.json(); } catch (error) { answer = {error: "HTTP " + response.status}; }
    return {ok: response.ok, body: answer};
  }

  async function ticket(message) {
    const url = root.dataset.ticketUrl.replace("/0/", "/" + message.id + "/");
    const result = await post(url, {});
    say(result.ok ? "Ticket " + result.body.ticket : result.body.error);
  }

  document.getElementById("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = support
      ? {body: body.value, reply_to: replyTo ? replyTo.id : null, private: replyTo ? replyTo.private : false}
      : {body: body.value, to_support: document.getElementById("to-support").checked};
    const result = await post(root.dataset.postUrl, data);
    if (!result.ok) { say(result.body.error); return; }
    say("");
    body.value = "";
    render(result.body);
    if (support) {
      replyTo = null;
      document.getElementById("reply-target").hidden = true;
    }
  });

  if (support) {
    document.getElementById("reply-clear").addEventListener("click", () => {
      replyTo = null;
      document.getElementById("reply-target").hidden = true;
    });
    const available = document.getElementById("available");
    available.addEventListener("change", async () => {
      const result = await post(root.dataset.presenceUrl, {available: available.checked});
      if (!result.ok) { say(result.body.error); return; }
      available.checked = result.body.available;
      showOnline(result.body.online);
    });
  }
  connect();
})();
