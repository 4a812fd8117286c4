// The supervisor page: refreshes the figures every few seconds.
"use strict";
(function () {
  const table = document.getElementById("figures");
  function clock(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    seconds = Math.round(seconds);
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
  }
  function percent(share) { return share === null ? "–" : Math.round(share * 100) + " %"; }
  function put(id, text) { document.getElementById(id).textContent = text; }
  async function refresh() {
    try {
      const response = await fetch(table.dataset.url, {headers: {Accept: "application/json"}});
      if (response.redirected) { window.location = response.url; return; }
      const f = await response.json();
      put("fig-waiting", f.waiting);
      put("fig-longest", clock(f.longest_wait_seconds));
      for (const [key, w] of [["today", f.today], ["recent", f.recent]]) {
        put("fig-" + key + "-answered", w.answered);
        put("fig-" + key + "-abandoned", w.abandoned);
        put("fig-" + key + "-service", percent(w.service_level));
        put("fig-" + key + "-asa", clock(w.average_answer_seconds));
        put("fig-" + key + "-talk", clock(w.average_talk_seconds));
      }
      for (const [status, count] of Object.entries(f.agents)) {
        const el = document.querySelector('#agents-by-status [data-status="' + status + '"]');
        if (el) el.textContent = count;
      }
    } catch (error) { /* the next round tries again */ }
  }
  setInterval(refresh, 5000);
})();
