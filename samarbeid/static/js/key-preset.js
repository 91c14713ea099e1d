// The allocation key form: choosing a standard key fills the weight fields with its
// weights, visibly, so that what is shown is what is saved. Typing a weight that differs
// from the chosen standard key switches the choice back to "custom" (the server refuses a
// standard key that disagrees with the weights given, so the form never saves a surprise).
(() => {
  const select = document.querySelector("select[data-key-preset]");
  if (!select) return;
  const presets = JSON.parse(select.dataset.keyPreset);
  const form = select.form;
  const field = (name) => form.querySelector(`[name="${name}"]`);
  const sameNumber = (typed, wanted) =>
    typed.trim() !== "" && Number(typed.replace(",", ".")) === Number(wanted);

  select.addEventListener("change", () => {
    const weights = presets[select.value];
    if (!weights) return;
    for (const [name, value] of Object.entries(weights)) {
      const input = field(name);
      if (input) input.value = value;
    }
  });
  for (const name of Object.keys(Object.values(presets)[0] || {})) {
    const input = field(name);
    if (!input) continue;
    input.addEventListener("input", () => {
      const weights = presets[select.value];
      if (weights && !sameNumber(input.value, weights[name])) select.value = "";
    });
  }
})();
