// The review page: keeps the claim alive while the moderator works (a heartbeat through the
// API), shows the time left and warns before it lapses; keyboard shortcuts.
(() => {
  "use strict";
  const gettext = window.gettext || ((s) => s);
  const ACTIVE_WINDOW_MS = 5 * 60 * 1000; // "in use": input within the last five minutes
  const HEARTBEAT_MS = 60 * 1000;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function lease() {
    const box = document.querySelector("[data-lease]");
    if (!box) return;
    let expires = new Date(box.dataset.expires);
    const warnMs = Number(box.dataset.warn) * 1000;
    const left = box.querySelector("[data-lease-left]");
    const warning = box.querySelector("[data-lease-warning]");
    const lapsed = box.querySelector("[data-lease-lapsed]");
    const taken = box.querySelector("[data-lease-taken]");
    let lastActivity = Date.now();
    let lost = false;
    ["mousemove", "keydown", "scroll", "click", "input", "touchstart"].forEach((name) =>
      document.addEventListener(name, () => { lastActivity = Date.now(); }, { passive: true }));

    function render() {
      const ms = expires - Date.now();
      const minutes = Math.max(0, Math.floor(ms / 60000));
      const seconds = Math.max(0, Math.floor((ms % 60000) / 1000));
      left.textContent = interpolateSafe(gettext("%(m)s min %(s)s s"), { m: minutes, s: String(seconds).padStart(2, "0") });
      warning.hidden = lost || ms <= 0 || ms > warnMs;
      lapsed.hidden = lost || ms > 0;
      taken.hidden = !lost;
    }

    function interpolateSafe(text, values) {
      return window.interpolate ? window.interpolate(text, values, true)
        : text.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
    }

    async function beat() {
      if (lost || Date.now() - lastActivity > ACTIVE_WINDOW_MS) return;
      const response = await fetch(box.dataset.heartbeat, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      }).catch(() => null);
      if (!response) return;
      if (response.status === 409) { lost = true; render(); return; }
      if (response.ok) {
        const body = await response.json();
        if (body.claim_expires_at) expires = new Date(body.claim_expires_at);
        render();
      }
    }

    render();
    setInterval(render, 1000);
    setInterval(beat, HEARTBEAT_MS);
    // Activity after a quiet spell renews at once rather than at the next tick.
    document.addEventListener("keydown", () => { if (expires - Date.now() < warnMs) beat(); });
  }

  function shortcuts() {
    const box = document.querySelector("[data-shortcuts]");
    if (!box) return;
    const find = (suffix) => document.querySelector(`form[action$="${suffix}"]:not([hidden])`);
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      if (event.key === "n") {
        const form = box.querySelector("[data-shortcut-next]");
        if (form) form.submit();
      } else if (event.key === "c") {
        const form = find("/claim/");
        if (form) form.submit();
      } else if (event.key === "a") {
        const form = find("/approve/");
        const question = box.querySelector("[data-confirm-approve]").textContent;
        if (form && window.confirm(question)) form.submit();
      } else if (event.key === "r") {
        const form = find("/reject/");
        const first = form && form.querySelector("select");
        if (first) { event.preventDefault(); first.scrollIntoView({ block: "center" }); first.focus(); }
      }
    });
  }

  lease();
  shortcuts();
})();
