() => {
  /* The chat as people use it; run once by Gradio when the page loads (launch(js=...)).
     - Ask is disabled while the question box is empty or blank, and Enter sends nothing then.
     - A question sent while an answer is being written waits its turn (the event's
       trigger_mode is "always_last"); a note under the box says so until it is sent.
     - Each new question, then its finished answer, is brought into view from its start (the
       page is the conversation's one scroll area; the chatbot does not autoscroll).
     - Gradio 6.31's single-choice dropdowns stay open when focus leaves them; they are closed.
     Everything is found by the elem_ids set in ui/views_chat.py. */
  if (window.__evidenceAssistantUi) return;
  window.__evidenceAssistantUi = true;

  const $ = (selector) => document.querySelector(selector);
  const box = () => $("#question textarea");
  const askButton = () => $('#question button[data-testid="submit-button"]');
  const busy = () => !!$("#chat .pending");
  let queued = false;

  function note(text) {
    const host = $("#chat-status");
    if (!host) return;
    let el = host.querySelector(".queued-note");
    if (!el) {
      el = document.createElement("div");
      el.className = "queued-note";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      host.appendChild(el);
    }
    if (el.textContent !== text) el.textContent = text;
    el.hidden = !text;
  }

  function syncAsk() {
    const t = box(), b = askButton();
    if (!t || !b) return;
    const blank = !t.value.trim();
    if (b.disabled !== blank) b.disabled = blank;
    b.title = blank ? "Type a question first" : (busy() ? "Queue this question" : "Ask");
  }

  function queue() {
    queued = true;
    note("Queued: your question is sent as soon as the current answer is finished.");
  }

  document.addEventListener("keydown", (e) => {
    const t = box();
    if (!t || e.target !== t || e.key !== "Enter" || e.shiftKey || e.isComposing) return;
    if (!t.value.trim()) {
      e.preventDefault();
      e.stopImmediatePropagation();
    } else if (busy()) {
      queue();
    }
  }, true);

  document.addEventListener("click", (e) => {
    const b = askButton(), t = box();
    if (b && t && b.contains(e.target) && t.value.trim() && busy()) queue();
  }, true);

  let lastPointerDown = null, lastPointerAt = 0;
  document.addEventListener("pointerdown", (e) => { lastPointerDown = e.target; lastPointerAt = Date.now(); }, true);
  document.addEventListener("focusout", (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("role") !== "combobox") return;
    // a click on one of its options blurs the field first: let the choice happen
    const down = lastPointerDown instanceof Element && Date.now() - lastPointerAt < 400 ? lastPointerDown : null;
    if (down && down.closest('[data-testid="dropdown-option"], [role="listbox"], [role="option"]')) return;
    // Gradio closes the list on blur and then opens it again as it resets the field's text:
    // close it once that has happened, unless focus came back.
    for (const wait of [60, 250]) {
      setTimeout(() => {
        if (document.activeElement === input || input.getAttribute("aria-expanded") !== "true") return;
        input.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", code: "Escape", bubbles: true }));
      }, wait);
    }
  }, true);

  function reveal(question, answer) {
    // The question at the top of the view with the answer's start under it; an answer whose
    // question is too long for that is brought to the top itself.
    let target = answer || question;
    if (question && answer) {
      const gap = answer.getBoundingClientRect().top - question.getBoundingClientRect().top;
      if (gap < window.innerHeight / 3) target = question;
    }
    if (target) target.scrollIntoView({ block: "start", behavior: "instant" });
  }

  let seenQuestions = 0, seenAnswers = 0;
  function tick() {
    syncAsk();
    const isBusy = busy();
    if (queued && !(box() && box().value.trim())) queued = false;  // sent (the box was cleared)
    note(queued ? "Queued: your question is sent as soon as the current answer is finished." : "");
    const users = document.querySelectorAll('#chat [data-testid="user"]');
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    const done = bots.length - (isBusy ? 1 : 0);
    const lastUser = users[users.length - 1], lastBot = bots[bots.length - 1];
    if (users.length > seenQuestions) reveal(lastUser, null);
    else if (done > seenAnswers) reveal(lastUser, lastBot);
    seenQuestions = users.length;
    seenAnswers = done;
  }
  setInterval(tick, 120);
}
