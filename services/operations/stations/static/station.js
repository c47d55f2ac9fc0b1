// The station page: task actions through the JSON API, and the dispatch list refreshed by htmx.
"use strict";

(() => {
  const ACTIONS = {
    start: { verb: "Started", body: () => undefined },
    resume: { verb: "Resumed", body: () => undefined },
    pause: { verb: "Paused", body: (card) => ({ reason: field(card, "reason") }) },
    report: { verb: "Reported", body: (card) => quantities(card, true) },
    complete: { verb: "Completed", body: (card) => quantities(card, false) },
  };
  // What the operator typed, kept across refreshes of the list: "taskId name" -> value.
  const drafts = new Map();

  function field(card, name) {
    const input = card.querySelector(`[name="${name}"]`);
    return input ? input.value.trim() : "";
  }

  function quantities(card, withReason) {
    const body = {
      good_quantity: field(card, "good_quantity"),
      scrap_quantity: field(card, "scrap_quantity") || "0",
    };
    const reason = field(card, "scrap_reason");
    if (withReason && reason) body.scrap_reason = reason;
    return body;
  }

  function refresh() {
    htmx.trigger("#dispatch", "refresh");
  }

  async function act(button) {
    const card = button.closest("[data-task]");
    const action = ACTIONS[button.dataset.action];
    if (!card || !action) return;
    const label = card.dataset.label;
    button.disabled = true;
    const result = await Plantline.call(
      "POST",
      `/api/v1/tasks/${encodeURIComponent(card.dataset.task)}/${button.dataset.action}`,
      action.body(card),
    );
    button.disabled = false;
    if (result.ok) {
      for (const key of [...drafts.keys()]) {
        if (key.startsWith(card.dataset.task + " ")) drafts.delete(key);
      }
      Plantline.notify(`${action.verb} ${label}.`, "ok");
    } else if (button.dataset.action === "report" && (result.status === 404 || result.status === 405)) {
      Plantline.notify("Partial reports are not available on this server; use Complete.", "error");
    } else {
      Plantline.notify(`${label}: ${result.message}`, "error");
    }
    refresh();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("#dispatch button[data-action]");
    if (button) act(button);
  });

  function keep(event) {
    const card = event.target.closest("#dispatch [data-task]");
    if (card && event.target.name) drafts.set(`${card.dataset.task} ${event.target.name}`, event.target.value);
  }
  document.addEventListener("input", keep);
  document.addEventListener("change", keep);

  // The periodic refresh waits while the operator is typing into the list.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const dispatch = document.getElementById("dispatch");
    const typing = dispatch && dispatch.contains(document.activeElement) &&
      document.activeElement.matches("input, select, textarea");
    const triggering = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (typing && !(triggering && triggering.type === "refresh")) event.preventDefault();
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id !== "dispatch") return;
    for (const [key, value] of drafts) {
      const [task, name] = key.split(" ");
      const input = document.querySelector(`#dispatch [data-task="${task}"] [name="${name}"]`);
      if (input) input.value = value;
    }
  });

  document.addEventListener("DOMContentLoaded", () => Plantline.onSignIn(refresh));
})();
