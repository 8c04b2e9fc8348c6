// The little JavaScript gonghui needs of its own; everything else is htmx.
document.addEventListener("click", (e) => {
  const t = e.target.closest("[data-toggle]");
  if (t) document.getElementById(t.dataset.toggle)?.classList.toggle("open");
  const c = e.target.closest("[data-copy]");
  if (c) {
    const el = document.getElementById(c.dataset.copy);
    navigator.clipboard?.writeText(el.value || el.textContent);
    c.textContent = c.dataset.copied || "✓";
  }
  const confirmEl = e.target.closest("[data-confirm]");
  if (confirmEl && !window.confirm(confirmEl.dataset.confirm)) e.preventDefault();
});
document.addEventListener("change", (e) => {
  if (e.target.matches("[data-autosubmit]")) e.target.form.submit();
});
// A form that creates something (it carries a one-time token) is sent once: a second tap while the
// first is on its way does nothing. Coming back with the Back button enables it again; the server
// then leads the same token to what it made.
document.addEventListener("submit", (e) => {
  const form = e.target;
  if (!form.querySelector("input[name=once]")) return;
  if (form.dataset.sent) { e.preventDefault(); return; }
  form.dataset.sent = "1";
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sent]").forEach((f) => delete f.dataset.sent);
});
