"use strict";
(function () {
  const ROUNDS = {
    coding: ["Coding", "#3b5bdb"], ml_fundamentals: ["ML fundamentals", "#2b8a3e"],
    debugging: ["ML debugging", "#e67700"], system_design: ["ML system design", "#862e9c"],
    behavioral: ["Behavioral", "#c92a2a"],
  };
  const VERDICTS = { strong_hire: "Strong hire", hire: "Hire", lean_hire: "Lean hire",
                     lean_no_hire: "Lean no hire", no_hire: "No hire" };
  const known = MockloopSessions.all();

  function cell(row, text, href) {
    const td = document.createElement("td");
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.append(a);
    } else {
      td.textContent = text;
    }
    row.append(td);
  }

  function render(data) {
    const body = document.getElementById("sessions");
    for (const s of data.sessions.slice().reverse()) {
      const row = document.createElement("tr");
      cell(row, new Date(s.created_at).toLocaleString());
      cell(row, (ROUNDS[s.round] || [s.round])[0]);
      cell(row, s.title, `/sessions/${s.id}?token=${encodeURIComponent(s.token)}`);
      cell(row, s.score === null ? (s.status === "live" ? "in progress" : "–") : String(s.score));
      cell(row, VERDICTS[s.verdict] || "–");
      body.append(row);
    }
    const list = document.getElementById("readiness");
    for (const item of data.readiness) {
      const li = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = item.checkpoint;
      const count = document.createElement("span");
      count.textContent = item.ready ? "ready" : `${item.done} / ${item.goal}`;
      if (item.ready) count.className = "done";
      li.append(label, count);
      list.append(li);
    }
    const datasets = Object.entries(data.series).map(([round, points]) => ({
      label: (ROUNDS[round] || [round])[0],
      data: points.map((p) => ({ x: new Date(p.at).getTime(), y: p.score })),
      borderColor: (ROUNDS[round] || [0, "#495057"])[1],
      backgroundColor: (ROUNDS[round] || [0, "#495057"])[1],
      tension: 0.25,
    }));
    document.getElementById("empty").hidden = datasets.length > 0;
    document.querySelector(".chart-box").classList.toggle("empty", datasets.length === 0);
    if (!datasets.length || !window.Chart) return;
    // Keep the time axis to the span of the sessions (at least a day), not Chart.js's default padding.
    const times = datasets.flatMap((d) => d.data.map((p) => p.x));
    const day = 24 * 3600 * 1000;
    const low = Math.min(...times);
    const high = Math.max(...times);
    const pad = Math.max(day / 2, (high - low) * 0.05);
    new window.Chart(document.getElementById("chart"), {
      type: "line",
      data: { datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { type: "linear", min: low - pad, max: high + pad,
               ticks: { maxTicksLimit: 6, callback: (v) => new Date(v).toLocaleDateString() } },
          y: { min: 0, max: 100, title: { display: true, text: "score" } },
        },
      },
    });
  }

  fetch("/api/progress", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sessions: known.map((s) => ({ id: s.id, token: s.token })) }),
  }).then((r) => r.json()).then(render);
})();
