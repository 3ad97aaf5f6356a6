// Starts GraphiQL against the endpoint that served the page. A file rather than an inline script, so the
// page's Content-Security-Policy can refuse every inline script.
(function () {
  "use strict";

  var DEFAULT_QUERY = [
    "# Maillage's GraphQL API: Ctrl-Enter runs the query, Ctrl-Space completes.",
    "# Anonymous callers see the territory reference and the published schemes.",
    "# To query as someone, paste into Headers below:",
    '#   {"Authorization": "Bearer <access token>"}',
    "",
    "{",
    "  viewer { subject roles organisation cafDepartment }",
    '  department(code: "31") { name caf { name } }',
    "}",
    "",
  ].join("\n");

  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + window.location.pathname });

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      // A bearer token is a credential: keep it for the tab's life, not in the browser's storage.
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    }),
  );
})();
