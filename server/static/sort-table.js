// Sortable tables: a click (or Enter) on a column heading's button sorts the rows by that column,
// a second click reverses the order. Cells carry their sort key in data-value; aria-sort tells
// assistive technology which column is sorted and how.
(function () {
  "use strict";
  function key(cell, numeric) {
    const raw = cell ? (cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent) : "";
    if (!numeric) return raw.trim().toLocaleLowerCase();
    const n = parseFloat(raw.replace(/[^0-9.+-]/g, ""));
    return Number.isNaN(n) ? -Infinity : n;
  }

  function sortBy(table, index, descending) {
    const numeric = table.tHead.rows[0].cells[index].dataset.sort === "number";
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = key(a.cells[index], numeric);
      const y = key(b.cells[index], numeric);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach((row) => body.appendChild(row));
    Array.from(table.tHead.rows[0].cells).forEach((th, i) => {
      if (i === index) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
  }

  document.querySelectorAll("table.sortable").forEach((table) => {
    Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
      const button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", () => {
        const current = th.getAttribute("aria-sort");
        // Numbers sort largest first on the first click, text A to Z.
        const descending = current ? current === "ascending" : th.dataset.sort === "number";
        sortBy(table, index, descending);
      });
    });
  });
})();
