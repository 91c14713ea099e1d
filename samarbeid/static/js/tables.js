// A wide table scrolls sideways inside its .table-wrap. Someone on a keyboard must be able
// to scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable): a wrapper whose table
// is wider than the screen becomes a named, focusable region; one that fits is left alone.
(() => {
  const name = (wrap) => {
    const caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    let node = wrap.previousElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
    return node ? node.textContent.trim() : document.title;
  };
  // Every table scrolls inside a wrapper, also those a page writes without one (reports),
  // so a 390 px phone never gets a page wider than the screen (WCAG 1.4.10 Reflow).
  const wrapAll = () => {
    document.querySelectorAll("main table").forEach((table) => {
      if (table.closest(".table-wrap")) return;
      const wrap = document.createElement("div");
      wrap.className = "table-wrap";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
  };
  const mark = () => {
    wrapAll();
    document.querySelectorAll(".table-wrap").forEach((wrap) => {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", name(wrap));
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  };
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("htmx:afterSettle", mark);
  window.addEventListener("resize", mark);
})();
