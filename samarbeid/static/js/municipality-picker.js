// Choosing a municipality (core.municipality_field): the server renders a plain <select>,
// those in use on the form's date first and the others in a group. This adds, above it, a
// search box (type a number or the start of a name; Enter or the down arrow picks the first
// match and moves to the list; a search that leaves one match chooses it) and a check box that shows the former municipalities only
// when asked. The chosen municipality is always kept in the list. Where the form has a
// date field, the list follows the date typed there.
(() => {
  const fold = (text) => text.toLocaleLowerCase("nb");
  const existsOn = (option, day) =>
    (!option.from || option.from <= day) && (!option.to || day <= option.to);
  const shownDate = (iso) => iso.split("-").reverse().join(".");
  let made = 0;

  function enhance(select) {
    made += 1;
    const empty = [...select.options].find((o) => o.value === "");
    const all = [...select.options]
      .filter((o) => o.value !== "")
      .map((o) => ({
        value: o.value,
        text: o.dataset.label || o.text,
        years: o.dataset.years || "",
        from: o.dataset.from || "",
        to: o.dataset.to || "",
        words: fold(o.dataset.label || o.text).split(/[\s()–-]+/).filter(Boolean),
      }));
    const dateInput = select.dataset.dateInput
      ? document.getElementById(select.dataset.dateInput)
      : null;

    const box = document.createElement("div");
    box.className = "municipality-picker";
    const searchId = `${select.id}_search_${made}`;
    const label = document.createElement("label");
    label.className = "ds-label";
    label.htmlFor = searchId;
    label.textContent = select.dataset.searchLabel;
    const search = document.createElement("input");
    search.type = "search";
    search.id = searchId;
    search.autocomplete = "off";
    search.setAttribute("aria-controls", select.id);
    const help = document.createElement("p");
    help.className = "ds-paragraph field-help";
    help.id = `${searchId}_help`;
    help.textContent = select.dataset.searchHelp;
    const status = document.createElement("p");
    status.className = "ds-paragraph field-help";
    status.setAttribute("aria-live", "polite");
    status.id = `${searchId}_status`;
    search.setAttribute("aria-describedby", `${help.id} ${status.id}`);
    const row = document.createElement("div");
    row.className = "checkbox-row";
    const former = document.createElement("input");
    former.type = "checkbox";
    former.id = `${searchId}_former`;
    const formerLabel = document.createElement("label");
    formerLabel.className = "ds-label";
    formerLabel.htmlFor = former.id;
    formerLabel.textContent = select.dataset.formerLabel;
    row.append(former, formerLabel);
    box.append(label, help, search, status, row);
    select.before(box);

    const day = () => (dateInput && dateInput.value) || select.dataset.day;
    const matches = (option, typed) =>
      /^\d+$/.test(typed)
        ? option.text.startsWith(typed)
        : option.words.some((w) => w.startsWith(typed));
    // in use on the day: "0728 Lardal"; in the other group: "0728 Lardal (til 2017)"
    const optionFor = (o, other) => {
      const text = other && o.years ? `${o.text} (${o.years})` : o.text;
      return new Option(text, o.value, false, o.value === select.value);
    };
    let found = [];

    function render() {
      const typed = fold(search.value.trim());
      const on = day();
      const chosen = select.value;
      const inUse = [];
      const others = [];
      for (const o of all) {
        // the chosen municipality stays in the list whatever is typed
        if (typed && o.value !== chosen && !matches(o, typed)) continue;
        (existsOn(o, on) ? inUse : others).push(o);
      }
      const shownOthers = former.checked ? others : others.filter((o) => o.value === chosen);
      select.replaceChildren();
      if (empty) select.append(empty);
      for (const o of inUse) select.append(optionFor(o, false));
      if (shownOthers.length) {
        const group = document.createElement("optgroup");
        group.label =
          on >= select.dataset.today
            ? select.dataset.groupLabel
            : select.dataset.otherLabel.replace("%(date)s", shownDate(on));
        for (const o of shownOthers) group.append(optionFor(o, true));
        select.append(group);
      }
      select.value = chosen;
      found = [...inUse, ...shownOthers].filter((o) => !typed || matches(o, typed));
      const only = typed && found.length === 1 ? found[0] : null;
      if (only && select.value !== only.value) {
        // the one match is chosen, not left hidden in the closed list
        select.value = only.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      const hidden = others.length - shownOthers.length;
      let count = "";
      if (only) count = select.dataset.countOneLabel.replace("%(name)s", only.text);
      else if (typed) count = select.dataset.countLabel.replace("%(n)s", found.length);
      status.textContent = [
        count,
        hidden ? select.dataset.hiddenLabel.replace("%(n)s", hidden) : "",
      ]
        .filter(Boolean)
        .join(" ");
    }

    function pickFirst() {
      if (found.length) {
        select.value = found[0].value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      select.focus();
    }

    search.addEventListener("input", render);
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault(); // Enter here picks a municipality, it does not send the form
        pickFirst();
      }
    });
    former.addEventListener("change", render);
    if (dateInput) dateInput.addEventListener("change", render);
    render();
  }

  document.querySelectorAll("select[data-municipality-picker]").forEach(enhance);
})();
