"use strict";
// The live interview page: speaks only the public WebSocket protocol (shared/CONTRACTS.md §5).
(function () {
  const root = document.getElementById("interview");
  const sessionId = root.dataset.session;
  const token = root.dataset.token;
  const minutes = Number(root.dataset.minutes);
  const turnsList = document.getElementById("turns");
  const partial = document.getElementById("partial");
  const connection = document.getElementById("connection");
  const clock = document.getElementById("clock");
  const talk = document.getElementById("talk");
  const talkLabel = document.getElementById("talk-label");
  const level = document.getElementById("level");
  const micStatus = document.getElementById("mic-status");
  const handsFree = document.getElementById("hands-free");
  const speakReplies = document.getElementById("speak-replies");
  const answerForm = document.getElementById("answer-form");
  const answer = document.getElementById("answer");
  const hintButton = document.getElementById("hint");
  const endButton = document.getElementById("end");

  let socket = null;
  let ended = false;
  let retries = 0;
  let streaming = false; // audio frames go to the server only while true
  // The reply being read aloud, if any: while it is audible (`started` set) the mic is muted so it does not
  // transcribe the interviewer, but still listened to, so the candidate can talk over it (barge-in).
  let voice = null;
  let audioContext = null;
  // A typed answer (or a transcript the server could not store) until the server says it is stored:
  // after a reconnect it is sent again unless the history shows it arrived.
  let unconfirmed = null;
  let started = Date.now(); // moved back on session.ready by the server's clock for this interview
  let editor = null;

  // -- conversation ---------------------------------------------------------------------------------
  function addTurn(speaker, text, index) {
    const item = document.createElement("li");
    item.className = `turn ${speaker}`;
    if (index !== undefined) item.dataset.turn = String(index);
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = speaker === "interviewer" ? "Interviewer" : "You";
    const body = document.createElement("p");
    body.className = "text";
    body.textContent = text; // candidate text is always text, never markup
    item.append(who, body);
    turnsList.append(item);
    turnsList.scrollTop = turnsList.scrollHeight;
    return body;
  }

  function interviewerTurn(index) {
    const existing = turnsList.querySelector(`li.interviewer[data-turn="${index}"] .text`);
    return existing || addTurn("interviewer", "", index);
  }

  function say(text, turn) {
    if (!speakReplies.checked || !("speechSynthesis" in window) || !text) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = root.dataset.voiceLang || "en-US";
    utterance.rate = Number(root.dataset.voiceRate || 1);
    utterance.pitch = Number(root.dataset.voicePitch || 1);
    const current = {
      utterance, turn, text, heardChars: 0, started: null, floor: 0, preroll: null, loud: [], loudMs: 0, quietMs: 0,
    };
    utterance.onstart = () => { if (voice === current) current.started = performance.now(); };
    // The word being spoken counts as heard: the candidate heard it begin before talking over it.
    utterance.onboundary = (event) => { current.heardChars = wordEnd(text, event.charIndex); };
    utterance.onend = utterance.onerror = () => { if (voice === current) voice = null; };
    voice = null; // a newer reply replaces an older one; that is not the candidate interrupting
    window.speechSynthesis.cancel();
    voice = current;
    window.speechSynthesis.speak(utterance);
  }

  function wordEnd(text, index) {
    const word = /^[\w'’]*/u.exec(text.slice(index));
    return Math.min(text.length, index + (word ? word[0].length : 0));
  }

  // The candidate cut the interviewer off (by talking, or by pressing talk): stop the voice and tell the
  // server how much of the reply was read aloud, so the transcript keeps what was actually heard.
  function interruptReply() {
    const current = voice;
    voice = null;
    if (!current) return;
    window.speechSynthesis.cancel();
    const heardChars = current.started === null ? 0 : current.heardChars; // still queued: nothing was heard
    send({ type: "reply.interrupted", turn: current.turn, heard_chars: heardChars });
  }

  // -- barge-in -------------------------------------------------------------------------------------------
  // The reply's own voice reaches the mic as echo (quieter with echo cancellation, never silent), so the bar
  // for "the candidate is talking" is set per reply: the loudest level in its first moments, times a margin.
  const ECHO_CALIBRATION_MS = 300; // the echo floor is measured while the voice is starting
  const ECHO_MARGIN = 2.5; // ~8 dB over the loudest echo: a voice near the mic clears it, the echo does not
  const MIN_BARGE_LEVEL = 0.02; // RMS (~-34 dBFS): room noise after noise suppression stays below it
  const BARGE_HOLD_MS = 250; // a cough or a desk knock is shorter; the first words of a sentence are longer
  const BARGE_GAP_MS = 120; // quiet this long ends a sound: the stops between syllables are shorter
  const WINDOW_MS = 10; // the worklet measures the level of every 10 ms

  // True once the mic has been loud enough, long enough, to be the candidate rather than the echo. Loudness
  // is counted in 10 ms windows: counting whole 100 ms frames let a 150 ms knock that straddled three of
  // them pass for 300 ms of speech.
  function talkingOverReply(pcm, levels) {
    if (performance.now() - voice.started < ECHO_CALIBRATION_MS) {
      voice.floor = Math.max(voice.floor, ...levels.filter(Number.isFinite));
      voice.preroll = pcm;
      return false;
    }
    const bar = Math.max(MIN_BARGE_LEVEL, voice.floor * ECHO_MARGIN);
    for (const windowLevel of levels) {
      // Written so that a level that is not a number counts as quiet, never as a voice.
      if (windowLevel >= bar) {
        voice.loudMs += WINDOW_MS;
        voice.quietMs = 0;
      } else if ((voice.quietMs += WINDOW_MS) > BARGE_GAP_MS) {
        voice.loudMs = 0;
      }
    }
    if (voice.loudMs === 0) {
      voice.preroll = pcm; // kept so the first syllable is not clipped if the next frames are speech
      voice.loud = [];
      return false;
    }
    voice.loud.push(pcm);
    return voice.loudMs >= BARGE_HOLD_MS;
  }

  function bargeIn() {
    const held = [voice.preroll, ...voice.loud].filter(Boolean);
    interruptReply();
    micStatus.textContent = "You cut in: the interviewer stopped. Go ahead.";
    held.forEach(sendAudio); // the frames that carried the start of the candidate's words
  }

  // Each ~100 ms of mic audio: sent as speech, or, while the interviewer speaks, only listened to.
  function onMicFrame(pcm, levels) {
    if (!streaming) return;
    if (voice && voice.started !== null) {
      if (talkingOverReply(pcm, levels)) bargeIn();
      return;
    }
    sendAudio(pcm);
  }

  function sendAudio(pcm) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(pcm);
  }

  // -- socket ---------------------------------------------------------------------------------------
  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function resendUnconfirmed(turns) {
    if (!unconfirmed) return;
    const answers = turns.filter((turn) => turn.speaker === "candidate");
    const stored = answers.length > 0 && answers[answers.length - 1].text === unconfirmed;
    if (stored) { unconfirmed = null; return; }
    addTurn("candidate", unconfirmed);
    send({ type: "answer", text: unconfirmed });
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws/sessions/${sessionId}?token=${encodeURIComponent(token)}`);
    socket.binaryType = "arraybuffer";
    connection.textContent = retries ? "Reconnecting…" : "Connecting…";
    socket.onopen = () => { retries = 0; connection.textContent = "Connected"; connection.classList.remove("bad"); };
    socket.onmessage = (event) => handle(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (ended) return;
      if (event.code === 4401) {
        connection.textContent = "This session link is not valid.";
        connection.classList.add("bad");
        return;
      }
      if (event.code === 4409) { // another tab took the session over: reconnecting would take it back, forever
        connection.textContent = "This interview is open in another window. Reload here to continue in this one.";
        connection.classList.add("bad");
        return;
      }
      retries += 1;
      connection.textContent = "Connection lost. Reconnecting…";
      connection.classList.add("bad");
      setTimeout(connect, Math.min(10000, 500 * 2 ** Math.min(retries, 5)));
    };
  }

  function handle(event) {
    switch (event.type) {
      case "session.ready":
        turnsList.replaceChildren();
        if (typeof event.elapsed === "number") started = Date.now() - event.elapsed * 1000;
        event.turns.forEach((turn, i) => addTurn(turn.speaker, turn.text, i));
        resendUnconfirmed(event.turns);
        break;
      case "answer.saved":
        if (event.text === unconfirmed) unconfirmed = null;
        else if (event.text.startsWith("(ran the code)")) addTurn("candidate", "(ran the code)", event.turn);
        break;
      case "code.result":
        showResults(event);
        break;
      case "reply.delta": {
        const body = interviewerTurn(event.turn);
        body.textContent += event.text;
        break;
      }
      case "reply.done":
        interviewerTurn(event.turn).textContent = event.text;
        turnsList.scrollTop = turnsList.scrollHeight;
        say(event.text, event.turn);
        break;
      case "transcript.partial":
        partial.textContent = event.text;
        break;
      case "transcript.final":
        partial.textContent = "";
        if (event.text === unconfirmed) unconfirmed = null;
        addTurn("candidate", event.text, event.turn);
        break;
      case "interrupt":
        stopStreaming(false); // the interviewer is talking now; hold or click again to answer
        micStatus.textContent = "The interviewer cut in: keep answers to the point.";
        break;
      case "transcript.discarded":
        partial.textContent = "";
        micStatus.textContent = "I didn't catch any speech. Try again, a little closer to the mic.";
        break;
      case "scorecard":
        micStatus.textContent = `Scored ${event.score}/100. Opening your review…`;
        break;
      case "session.ended":
        ended = true;
        stopStreaming();
        setTimeout(() => window.location.reload(), 400);
        break;
      case "error":
        micStatus.textContent = event.message;
        if (runButton) runButton.disabled = false;
        if (event.code === "storage_unavailable") {
          if (event.text) unconfirmed = event.text;
          micStatus.textContent = "The server cannot save right now. Your answer is kept and will be sent again.";
        }
        break;
      default:
        break;
    }
  }

  // -- microphone -----------------------------------------------------------------------------------
  async function ensureMic() {
    if (audioContext) return true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      micStatus.textContent = "This browser cannot use a microphone here. You can still type your answers.";
      micStatus.classList.add("bad");
      return false;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
      });
      audioContext = new AudioContext();
      await audioContext.audioWorklet.addModule("/static/pcm-worklet.js");
      const source = audioContext.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(audioContext, "pcm-worklet");
      node.port.onmessage = (message) => {
        const { pcm, level: rms, levels } = message.data;
        level.style.width = `${Math.min(100, Math.round(rms * 400))}%`;
        onMicFrame(pcm, levels);
      };
      source.connect(node);
      micStatus.classList.remove("bad");
      return true;
    } catch (error) {
      const denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      micStatus.textContent = denied
        ? "Microphone access was denied. Allow it in the address bar, or type your answers below."
        : "No microphone was found. Plug one in, or type your answers below.";
      micStatus.classList.add("bad");
      return false;
    }
  }

  async function startStreaming() {
    if (ended || !(await ensureMic())) return;
    if (audioContext.state === "suspended") await audioContext.resume();
    interruptReply(); // pressing talk over the interviewer is a barge-in too
    streaming = true;
    talk.setAttribute("aria-pressed", "true");
    talkLabel.textContent = handsFree.checked ? "Listening… (click to stop)" : "Listening…";
    micStatus.textContent = handsFree.checked ? "Hands-free: pause for a moment when you are done." : "Release to send.";
  }

  function stopStreaming(commit) {
    if (!streaming) return;
    streaming = false;
    talk.setAttribute("aria-pressed", "false");
    talkLabel.textContent = handsFree.checked ? "Start listening" : "Hold to talk";
    if (commit) send({ type: "input.commit" });
  }

  talk.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    if (handsFree.checked) {
      if (streaming) stopStreaming(true); else startStreaming();
    } else {
      startStreaming();
    }
  });
  for (const type of ["pointerup", "pointerleave", "pointercancel"]) {
    talk.addEventListener(type, () => { if (!handsFree.checked) stopStreaming(true); });
  }
  handsFree.addEventListener("change", () => {
    stopStreaming(true);
    talkLabel.textContent = handsFree.checked ? "Start listening" : "Hold to talk";
  });
  let spaceDown = false;
  document.addEventListener("keydown", (event) => {
    if (event.code !== "Space" || event.repeat || isTyping(event.target) || handsFree.checked) return;
    event.preventDefault();
    spaceDown = true;
    startStreaming();
  });
  document.addEventListener("keyup", (event) => {
    if (event.code !== "Space" || !spaceDown) return;
    spaceDown = false;
    stopStreaming(true);
  });
  function isTyping(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.isContentEditable);
  }

  // -- typed answers, hint, end, code ---------------------------------------------------------------
  answerForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = answer.value.trim();
    if (!text || ended) return;
    if (unconfirmed) {
      micStatus.textContent = "Your last answer is still on its way; send this one once it has arrived.";
      return;
    }
    unconfirmed = text;
    addTurn("candidate", text);
    answer.value = "";
    if (socket && socket.readyState === WebSocket.OPEN) send({ type: "answer", text });
    else micStatus.textContent = "Not connected: your answer is kept and will be sent when the connection is back.";
  });
  answer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); answerForm.requestSubmit(); }
  });
  hintButton.addEventListener("click", () => send({ type: "hint" }));
  endButton.addEventListener("click", () => {
    stopStreaming(false);
    send({ type: "session.end" });
    endButton.disabled = true;
    micStatus.textContent = "Scoring your interview…";
  });

  const codeArea = document.getElementById("code");
  const runButton = document.getElementById("run");
  const results = document.getElementById("results");
  if (codeArea && window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(codeArea, {
      mode: "python", lineNumbers: true, indentUnit: 4, matchBrackets: true, viewportMargin: Infinity,
      extraKeys: { Tab: (cm) => cm.execCommand("indentMore"), "Shift-Tab": (cm) => cm.execCommand("indentLess") },
    });
    let timer = null;
    editor.on("change", () => {
      clearTimeout(timer);
      timer = setTimeout(() => send({ type: "code", language: "python", text: editor.getValue() }), 600);
    });
    if (runButton) {
      runButton.addEventListener("click", () => {
        if (ended) return;
        clearTimeout(timer);
        send({ type: "code", language: "python", text: editor.getValue() }); // run exactly what is on screen
        send({ type: "code.run" });
        runButton.disabled = true;
        results.textContent = "Running your code…";
      });
    }
  }

  // Visible tests by name with their messages; hidden ones only as counts.
  function showResults(event) {
    runButton.disabled = false;
    results.textContent = "";
    const head = document.createElement("p");
    head.className = event.passed === event.total ? "ok" : "bad";
    head.textContent = `${event.passed} of ${event.total} tests pass`;
    results.appendChild(head);
    if (event.error) {
      const error = document.createElement("p");
      error.textContent = event.error;
      results.appendChild(error);
    }
    const list = document.createElement("ul");
    for (const failure of event.failures) {
      const item = document.createElement("li");
      item.textContent = `${failure.name}: ${failure.message}`;
      list.appendChild(item);
    }
    results.appendChild(list);
  }

  // -- clock ------------------------------------------------------------------------------------------
  function tick() {
    const seconds = Math.floor((Date.now() - started) / 1000);
    const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
    const ss = String(seconds % 60).padStart(2, "0");
    clock.firstChild.textContent = `${mm}:${ss} `;
    clock.classList.toggle("late", seconds > minutes * 60 * 0.8);
    clock.classList.toggle("over", seconds > minutes * 60);
  }
  setInterval(tick, 1000);
  connect();
})();
