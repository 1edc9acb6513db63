// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // On a phone the filters start folded (unless in use) so the events come first.
  const box = document.querySelector("details.filter-box");
  if (box && !box.hasAttribute("data-active") && window.matchMedia("(max-width: 640px)").matches) box.open = false;
  // Filter selects apply at once instead of waiting for the Filter button.
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form && el.form.requestSubmit());
  });
  // An editor's corrections on an event page: sent to the REST API with the token, then the event they lead to.
  document.querySelectorAll("details.editor form.correct").forEach((form) => {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const box = form.closest("details.editor");
      const status = box.querySelector(".editor-status");
      const token = box.querySelector("input[name=token]").value;
      const data = new FormData(form);
      const enc = encodeURIComponent;
      const action = form.dataset.action;
      if (action === "delete" && !window.confirm(`Delete ${data.get("article")} from the store?`)) return;
      const url = action === "move"
        ? `/api/articles/${enc(data.get("article"))}/move` + (data.get("to") ? `?to=${enc(data.get("to").trim())}` : "")
        : action === "delete" ? `/api/articles/${enc(data.get("article"))}`
        : `/api/events/${enc(box.dataset.event)}/merge?into=${enc(data.get("into").trim())}`;
      status.textContent = "…";
      const r = await fetch(url, { method: action === "delete" ? "DELETE" : "POST",
                                   headers: token ? { Authorization: `Bearer ${token}` } : {} });
      const body = await r.json().catch(() => ({}));
      if (!r.ok) { status.textContent = typeof body.detail === "string" ? body.detail : `error ${r.status}`; return; }
      // a deleted report: its event as it is now, or the events list if it was the last of it
      window.location.href = action !== "delete" ? `/events/${enc(body.id)}`
        : body.event_left ? `/events/${enc(body.event)}` : "/";
    });
  });
  // Empty filter fields are left out of the URL so shared links stay short.
  document.querySelectorAll("form.filters").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("input, select").forEach((el) => { if (!el.value) el.disabled = true; });
    });
  });
});
