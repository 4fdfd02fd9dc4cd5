"use strict";
(function () {
  const form = document.getElementById("start-form");
  const question = document.getElementById("question");
  const persona = document.getElementById("persona");
  const status = document.getElementById("start-status");
  const button = document.getElementById("start-button");

  function selectedRound() {
    const checked = form.querySelector("input[name=round]:checked");
    return checked ? checked.value : null;
  }

  function filterQuestions() {
    const round = selectedRound();
    for (const option of question.options) {
      if (!option.value) continue;
      option.hidden = option.dataset.round !== round;
    }
    if (question.selectedOptions[0] && question.selectedOptions[0].hidden) question.value = "";
  }

  async function startSession(body) {
    button.disabled = true;
    status.textContent = "Starting…";
    try {
      const response = await fetch("/api/sessions", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.detail || "could not start a session");
      MockloopSessions.add({ id: data.id, token: data.token, title: data.question.title,
                             round: data.question.round, at: new Date().toISOString() });
      window.location.assign(`/sessions/${data.id}?token=${encodeURIComponent(data.token)}`);
    } catch (error) {
      status.textContent = String(error.message || error);
      button.disabled = false;
    }
  }

  form.addEventListener("change", (event) => { if (event.target.name === "round") filterQuestions(); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { round: selectedRound() };
    if (question.value) body.question_id = question.value;
    if (persona.value) body.persona = persona.value;
    startSession(body);
  });
  for (const loopButton of document.querySelectorAll("button[data-loop]")) {
    loopButton.addEventListener("click", () => {
      const plan = JSON.parse(loopButton.dataset.plan);
      const queue = plan.flatMap((part) => Array(part.count).fill(part.round));
      localStorage.setItem("mockloop.loop", JSON.stringify({ id: loopButton.dataset.loop, queue: queue.slice(1) }));
      startSession({ round: queue[0] });
    });
  }
  filterQuestions();
})();
