// The review round page: "velg alle" ticks or clears every item's box, and shows how many
// are chosen. Without the script each box is ticked by hand; the server decides either way.
(() => {
  const all = document.querySelector("input[data-select-all]");
  if (!all) return;
  const boxes = () => Array.from(document.querySelectorAll(`input[name="items"][form="${all.dataset.selectAll}"]`));
  const count = document.getElementById("bulk-count");
  const show = () => {
    const chosen = boxes().filter((box) => box.checked).length;
    all.checked = chosen > 0 && chosen === boxes().length;
    all.indeterminate = chosen > 0 && chosen < boxes().length;
    if (count) count.textContent = count.dataset.template.replace("%(n)s", String(chosen));
  };
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
    show();
  });
  for (const box of boxes()) box.addEventListener("change", show);
  show();
})();
