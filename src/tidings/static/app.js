// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // On a phone the filters start folded (unless in use) so the events come first.
  const box = document.querySelector("details.filter-box");
  if (box && !box.hasAttribute("data-active") && window.matchMedia("(max-width: 640px)").matches) box.open = false;
  // Filter selects apply at once instead of waiting for the Filter button.
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form && el.form.requestSubmit());
  });
  // Empty filter fields are left out of the URL so shared links stay short.
  document.querySelectorAll("form.filters").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("input, select").forEach((el) => { if (!el.value) el.disabled = true; });
    });
  });
});
