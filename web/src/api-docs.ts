// The browsable API reference at /api/docs: Swagger UI (from the swagger-ui-dist package, bundled
// here so the page works offline and under the Content-Security-Policy: no inline script, no
// CDN) pointed at the server's own OpenAPI document.

import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import './api-docs.css';

const root = document.getElementById('swagger-ui');
if (root) {
  SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    domNode: root,
    deepLinking: true,
    // "Try it out" sends requests from this page, to this server only (connect-src 'self').
    tryItOutEnabled: false,
    // Swagger UI would otherwise fetch a validator badge from an outside site.
    validatorUrl: null,
    onComplete: () => root.removeAttribute('aria-busy'),
  });
}
