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
  // A form still missing something is not asked about: the browser names the field first.
  const form = confirmEl?.form;
  if (form && !form.noValidate && !confirmEl.formNoValidate && !form.checkValidity()) return;
  if (confirmEl && !window.confirm(confirmEl.dataset.confirm)) e.preventDefault();
});
// Something typed into a form that sends data (an application, a payment) would be lost by a
// select that reloads the page (the language): such a select asks first (data-unsaved).
document.addEventListener("input", (e) => {
  const form = e.target.form;
  if (form && form.method === "post" && !e.target.matches("[data-autosubmit]")) document.body.dataset.typed = "1";
});
document.addEventListener("change", (e) => {
  const select = e.target;
  if (!select.matches("[data-autosubmit]")) return;
  if (select.dataset.unsaved && document.body.dataset.typed && !window.confirm(select.dataset.unsaved)) {
    select.value = select.querySelector("option[selected]")?.value ?? select.value;
    return;
  }
  select.form.submit();
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
// What was typed into a form is not lost when the server refuses it and sends the browser back to
// the page the form is on (the detail pages' small forms): the fields are kept in this tab on
// submit and put back only if the same page comes back with an error message; dropped otherwise.
// htmx forms update in place and need none of it.
const KEPT = "gonghui:typed";
// The page as a key: its path and its non-empty query parameters in a fixed order (the server may
// send the browser back with the same parameters written in another order).
const pageKey = () => {
  const params = [...new URLSearchParams(location.search)].filter(([, v]) => v !== "").sort();
  return location.pathname + "?" + new URLSearchParams(params).toString();
};
// ID numbers and phone numbers are never kept (typed again if refused), nor hidden, password or
// file fields.
const SENSITIVE = /id_number|phone|mobile|requested_value/;
const keepable = (el) => el.name && !el.disabled && !SENSITIVE.test(el.name) && !["hidden", "password", "file", "submit", "button"].includes(el.type);
document.addEventListener("submit", (e) => {
  const form = e.target;
  // getAttribute: a control named "method" or "action" (a payment method, say) shadows form.method
  if (e.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post" || form.matches("[hx-post],[hx-get],[hx-put]")) return;
  const action = form.getAttribute("action") || "";
  const same = [...document.querySelectorAll("form")].filter((f) => (f.getAttribute("action") || "") === action);
  const fields = [...form.elements].filter(keepable).map((el) =>
    el.type === "checkbox" || el.type === "radio" ? [el.name, el.value, el.checked] : [el.name, el.value]);
  try {
    sessionStorage.setItem(KEPT, JSON.stringify({ page: pageKey(), action, index: same.indexOf(form), fields }));
  } catch { /* storage full or disabled: nothing kept */ }
});
document.addEventListener("DOMContentLoaded", () => {
  let kept = null;
  try { kept = JSON.parse(sessionStorage.getItem(KEPT)); sessionStorage.removeItem(KEPT); } catch { return; }
  if (!kept || kept.page !== pageKey() || !document.querySelector(".msg-error")) return;
  const form = [...document.querySelectorAll("form")].filter((f) => (f.getAttribute("action") || "") === kept.action)[kept.index];
  if (!form) return;
  for (const [name, value, checked] of kept.fields) {
    for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (!keepable(el)) continue;
      if (el.type === "checkbox" || el.type === "radio") { if (el.value === value) el.checked = checked; }
      else el.value = value;
    }
  }
  form.closest("details")?.setAttribute("open", "");
});
