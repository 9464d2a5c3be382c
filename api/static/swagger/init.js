/* Starts Swagger UI on the API documentation page (/docs).
 *
 * The page carries no inline script (the app's Content-Security-Policy is script-src 'self'):
 * the OpenAPI address and Swagger UI's settings come from data attributes of #swagger-ui,
 * written by api/routes/docs.py. Nothing is fetched from outside this machine.
 */
(function () {
  "use strict";

  function start() {
    var root = document.getElementById("swagger-ui");
    var settings = JSON.parse(root.getAttribute("data-settings") || "{}");
    settings.url = root.getAttribute("data-openapi-url");
    settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
    window.ui = SwaggerUIBundle(settings);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
