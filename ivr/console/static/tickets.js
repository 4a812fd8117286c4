// Ticket deadlines count down (and overdue ones up) every second, from the server's clock.
(function () {
  "use strict";
  const clockHolder = document.querySelector("[data-now]");
  if (!clockHolder) return;
  const skew = Date.parse(clockHolder.dataset.now) - Date.now();

  function clock(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    const mm = String(m).padStart(h ? 2 : 1, "0"), ss = String(s).padStart(2, "0");
    return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  function tick() {
    const now = Date.now() + skew;
    document.querySelectorAll("[data-due]").forEach(cell => {
      const left = Math.round((Date.parse(cell.dataset.due) - now) / 1000);
      cell.textContent = left >= 0 ? "due in " + clock(left) : "overdue by " + clock(-left);
      cell.classList.toggle("overdue", left < 0);
      const row = cell.closest("#tickets tr");
      if (row) row.classList.toggle("overdue", left < 0);
    });
  }

  tick();
  setInterval(tick, 1000);
})();
