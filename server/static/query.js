// The query page: YASGUI on our own endpoint, and the example queries one click away.
// Kept out of the HTML so that a Content-Security-Policy without inline scripts allows it.
(function () {
  "use strict";
  const root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") return;
  const examples = JSON.parse(document.getElementById("example-queries").textContent);
  const endpoint = new URL(root.dataset.endpoint, window.location.href).href;

  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null, // every visit starts from the examples, not from another session's tabs
    populateFromUrl: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    // Only the completers that work offline: the others ask a public web service for terms.
    yasqe: { autocompleters: ["prefixes", "variables"], value: examples.length ? examples[0].query : "" },
    yasr: { prefixes: {} },
  });
  const tab = yasgui.getTab();
  if (tab && tab.getEndpoint && tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);

  function run(example) {
    const current = yasgui.getTab();
    current.setEndpoint(endpoint);
    current.setQuery(example.query);
    current.query();
    document.querySelectorAll("button.example").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.example === example.name)));
  }

  document.querySelectorAll("button.example").forEach((button) => {
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      const example = examples.find((e) => e.name === button.dataset.example);
      if (example) run(example);
    });
  });
})();
