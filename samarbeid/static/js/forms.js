// A form posted twice (a double click, a second press while the page loads) would save
// twice: a second credit note, a second decision. A POST form is therefore sent once; the
// page that answers brings a fresh form. The guard lifts after a few seconds (a form that
// downloads a file leaves the page as it was) and when the browser shows the page again
// from its history.
(() => {
  const GUARD_MS = 4000;
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "true";
    window.setTimeout(() => delete form.dataset.sent, GUARD_MS);
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sent]").forEach((form) => delete form.dataset.sent);
  });
})();

// A form that comes back with errors: move focus to the summary of them (it links to each
// field) and say so in the title, so a screen reader user hears at once that the form was
// not saved and why (WCAG 3.3.1).
(() => {
  const summary = document.querySelector(".ds-error-summary");
  if (!summary) return;
  const prefix = summary.dataset.titlePrefix;
  if (prefix && !document.title.startsWith(prefix)) document.title = `${prefix}: ${document.title}`;
  summary.focus();
})();
