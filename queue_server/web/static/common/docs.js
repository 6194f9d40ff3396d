// @ts-check
// Start the self-hosted Swagger UI for /docs from a file, so the page needs no inline script.
// The bundled Swagger UI (4.x) reads OpenAPI 3.0 only; FastAPI writes 3.1, whose shapes it shows
// well enough once told the version it knows. /openapi.json itself is left as it is.
// A classic script (the page loads it without type=module), and the document is every hall's
// alike: it is read from the root, not through hallUrl().
fetch("/openapi.json")
  .then((r) => r.json())
  .then((spec) => {
    window.ui = SwaggerUIBundle({
      spec: { ...spec, openapi: "3.0.3" },
      dom_id: "#swagger-ui",
      layout: "BaseLayout",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    });
  });
