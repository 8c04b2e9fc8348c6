// Print buttons on statements, receipts and the ledger.
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
