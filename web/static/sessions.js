// The sessions this browser started: id, token and a label, kept in localStorage (tokens never leave it
// except to this server). Shared by the start, interview and progress pages.
"use strict";
window.MockloopSessions = {
  key: "mockloop.sessions",
  all() {
    try { return JSON.parse(localStorage.getItem(this.key) || "[]"); } catch (e) { return []; }
  },
  add(entry) {
    const list = this.all().filter((s) => s.id !== entry.id);
    list.push(entry);
    localStorage.setItem(this.key, JSON.stringify(list.slice(-500)));
  },
};
