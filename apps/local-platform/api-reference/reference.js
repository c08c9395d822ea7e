// Renders the platform's own OpenAPI document (GET /openapi.json on this origin). No validator
// badge: Swagger UI would otherwise send the document's URL to validator.swagger.io.
const element = document.getElementById('reference');
window.ui = SwaggerUIBundle({
  url: element.dataset.openapiUrl,
  domNode: element,
  deepLinking: true,
  validatorUrl: null,
  defaultModelsExpandDepth: 0,
});
