// Swagger UI's initializer, a file of its own: the page's Content-Security-Policy allows no inline script.
// The document comes from this origin, and its first server ("/") is this origin too, so "Try it out" calls the API
// that served the page. Tokens pasted into "Authorize" stay in memory (persistAuthorization off).
window.ui = SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout'
});

// Swagger UI's server picker is a <select> inside an empty <label>: name it, so a screen reader says what it picks.
new MutationObserver(() => {
  const servers = document.getElementById('servers');
  if (servers && !servers.hasAttribute('aria-label')) {
    servers.setAttribute('aria-label', 'Server the requests of "Try it out" go to');
  }
}).observe(document.getElementById('swagger-ui'), { childList: true, subtree: true });
