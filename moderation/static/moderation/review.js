// The review page: changed tiles outlined in the previews, "Show in preview" scrolling to a
// tile, reason rows added on request, and a confirmation before a rejection is sent. Times
// come from the server in the moderator's chosen time zone (catalog.moments).
(function () {
  "use strict";
  const gettext = window.gettext || ((s) => s);

  function frameTiles(frame) {
    try {
      const doc = frame.contentDocument;
      if (!doc) return;
      (frame.dataset.changedTiles || "").split(" ").filter(Boolean).forEach((key) => {
        doc.querySelectorAll(`[data-tile="${CSS.escape(key)}"]`)
          .forEach((el) => el.classList.add("sf-review-changed"));
      });
    } catch (error) { /* another origin: nothing to outline */ }
  }

  function showInPreview(tileKey, pageKey) {
    const frames = Array.from(document.querySelectorAll(
      pageKey ? `[data-preview-page="${CSS.escape(pageKey)}"] iframe` : "[data-preview-page] iframe"));
    let shown = false;
    frames.forEach((frame) => {
      if (frame.loading === "lazy") frame.loading = "eager";
      const doc = frame.contentDocument;
      if (!doc || doc.readyState !== "complete" || doc.URL === "about:blank") {
        frame.dataset.pendingTile = tileKey || "";  // scrolled to once the frame has loaded
        return;
      }
      const target = tileKey && doc ? doc.querySelector(`[data-tile="${CSS.escape(tileKey)}"]`) : null;
      if (target) {
        target.scrollIntoView({block: "center"});
        target.classList.add("sf-review-focus");
        setTimeout(() => target.classList.remove("sf-review-focus"), 2500);
        shown = true;
      } else if (!tileKey && doc) {
        doc.defaultView.scrollTo(0, 0);
        shown = true;
      }
    });
    const first = frames[0];
    if (first) first.closest("[data-preview-page]").scrollIntoView({behavior: "smooth", block: "start"});
    return shown;
  }

  function reasonRows(form) {
    const rows = form.querySelector("[data-reason-rows]");
    const template = form.querySelector("template[data-reason-template]");
    const add = form.querySelector("[data-add-reason]");
    if (!rows || !template || !add) return;
    add.addEventListener("click", () => {
      const index = rows.querySelectorAll("fieldset").length;
      const html = template.innerHTML.replaceAll("__index__", String(index))
        .replaceAll("__number__", String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      const select = rows.lastElementChild.querySelector("select");
      if (select) select.focus();
    });
    form.addEventListener("submit", (event) => {
      const chosen = Array.from(rows.querySelectorAll("select[name$='-code']")).some((s) => s.value);
      if (!chosen) {
        event.preventDefault();
        window.alert(gettext("Choose at least one reason before rejecting."));
        return;
      }
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-preview-page] iframe").forEach((frame) => {
      frame.addEventListener("load", () => {
        frameTiles(frame);
        if (frame.dataset.pendingTile !== undefined) {
          const key = frame.dataset.pendingTile;
          delete frame.dataset.pendingTile;
          const target = key && frame.contentDocument.querySelector(`[data-tile="${CSS.escape(key)}"]`);
          if (target) target.scrollIntoView({block: "center"});
        }
      });
      frameTiles(frame);
    });
    document.addEventListener("click", (event) => {
      const button = event.target.closest("[data-show-tile], [data-show-page]");
      if (!button) return;
      showInPreview(button.dataset.showTile || "", button.dataset.page || button.dataset.showPage || "");
    });
    document.querySelectorAll("form.mod-reject").forEach(reasonRows);
  });
})();
