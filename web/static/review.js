"use strict";
// After a question of a loop: offer the loop's next round (the plan is kept in localStorage by the start page).
(function () {
  const slot = document.getElementById("loop-next");
  let plan = null;
  try { plan = JSON.parse(localStorage.getItem("mockloop.loop") || "null"); } catch (e) { plan = null; }
  if (!slot || !plan || !plan.queue || !plan.queue.length) return;
  const labels = { coding: "Coding", ml_fundamentals: "ML fundamentals", debugging: "ML debugging",
                   system_design: "ML system design", behavioral: "Behavioral" };
  const button = document.createElement("button");
  button.className = "btn primary";
  button.textContent = `Next in your loop: ${labels[plan.queue[0]] || plan.queue[0]} (${plan.queue.length} left)`;
  button.addEventListener("click", async () => {
    button.disabled = true;
    const round = plan.queue.shift();
    localStorage.setItem("mockloop.loop", JSON.stringify(plan));
    const response = await fetch("/api/sessions", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ round }),
    });
    const data = await response.json();
    if (!response.ok) { button.textContent = data.detail || "Could not start the next question"; return; }
    MockloopSessions.add({ id: data.id, token: data.token, title: data.question.title, round,
                           at: new Date().toISOString() });
    window.location.assign(`/sessions/${data.id}?token=${encodeURIComponent(data.token)}`);
  });
  slot.append(button);
  slot.hidden = false;
})();
