// The query page: YASGUI on our own endpoint, and the example queries one click away.
// Kept out of the HTML so that a Content-Security-Policy without inline scripts allows it.
//
// Results read as values, not as RDF syntax: IRIs are written with the dataset's prefixes
// (ek:ElectionResult, party:…) and literals as their plain value (22.95, not
// "22.95"^^<http://www.w3.org/2001/XMLSchema#decimal>); a literal's datatype or language shows on
// hover, the "Simple view" switch of the table brings back the full form, and the Response tab
// shows the raw answer. Prefix completion offers the dataset's own prefix table (no web service).
(function () {
  "use strict";
  const root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") return;
  const examples = JSON.parse(document.getElementById("example-queries").textContent);
  const prefixes = JSON.parse(document.getElementById("dataset-prefixes").textContent);
  const endpoint = new URL(root.dataset.endpoint, window.location.href).href;

  function compact(iri) {
    for (const [name, namespace] of Object.entries(prefixes)) {
      if (iri.startsWith(namespace)) return name + ":" + iri.slice(namespace.length);
    }
    return "<" + iri + ">";
  }

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#39;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // The table plugin, in its simple view by default, with a literal's datatype or language on hover.
  const Table = Yasgui.Yasr.plugins.table;
  class ValuesTable extends Table {
    draw(config) {
      return super.draw({ compact: true, ...(config || {}) });
    }
    formatLiteral(binding, shown) {
      const text = super.formatLiteral(binding, shown);
      if (!this.persistentConfig.compact) return text;
      const note = binding["xml:lang"] ? "@" + binding["xml:lang"] : binding.datatype ? compact(binding.datatype) : "";
      return note ? `<span class="literal" title="${escapeAttribute(note)}">${text}</span>` : text;
    }
  }
  Yasgui.Yasr.registerPlugin("table", ValuesTable);

  // Prefix completion from the dataset's prefix table, never from prefix.cc.
  Yasgui.Yasqe.forkAutocompleter(
    "prefixes",
    {
      name: "datasetPrefixes",
      persistenceId: null,
      get: () => Promise.resolve(Object.keys(prefixes).sort().map((name) => `${name}: <${prefixes[name]}>`)),
    },
    false,
  );

  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null, // every visit starts from the examples (or the query in the link), not from another session's tabs
    populateFromUrl: true, // /sparql#query=… opens that query and runs it (the resource pages link so)
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    // Only the completers that work offline: the others ask a public web service for terms.
    yasqe: { autocompleters: ["datasetPrefixes", "variables"], value: examples.length ? examples[0].query : "" },
    yasr: { prefixes: prefixes },
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
