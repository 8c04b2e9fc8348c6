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
