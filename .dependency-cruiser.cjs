/**
 * The project's dependency direction, checked in `npm test`:
 * domain <- ports <- services <- adapters, http <- functions <- applications (apps/: CLI, local platform).
 * One rule per boundary; a wrong-way import fails the test command naming the rule.
 */

module.exports = {
  forbidden: [
    {
      name: 'fhir-server-stays-local',
      comment:
        "The FHIR server (Medplum's router and definitions) is the local platform's stand-in: Lambda code talks to the tenant's EHR over HTTP and may import FHIR types only.",
      severity: 'error',
      from: { path: '^(shared|functions)/' },
      // @medplum/fhirtypes is declarations only: nothing of it reaches a bundle.
      to: { path: '@medplum/(?!fhirtypes)' },
    },
    {
      name: 'sandbox-is-self-contained',
      comment: 'The sandbox library ships on its own: it imports nothing else of the project.',
      severity: 'error',
      from: { path: '^shared/sandbox/' },
      to: { path: '^(shared/(?!sandbox/)|functions/|infra/|layers/|apps/)' },
    },
    {
      name: 'domain-imports-only-domain-and-sandbox-types',
      comment: 'Schemas and pure rules depend on nothing but each other and the sandbox library.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { path: '^(shared/(?!domain/|sandbox/)|functions/|infra/)' },
    },
    {
      name: 'plugin-types-are-domain-and-sandbox-only',
      comment:
        'gradiant-plugins/plugin is what plugin authors import: the platform contracts and nothing that runs the platform.',
      severity: 'error',
      from: { path: '^shared/plugin/' },
      to: { path: '^(shared/(?!domain/|sandbox/|plugin/)|functions/|infra/|layers/|apps/)' },
    },
    {
      name: 'ports-import-only-domain-and-sandbox-types',
      severity: 'error',
      from: { path: '^shared/ports/' },
      to: { path: '^(shared/(?!domain/|sandbox/|ports/)|functions/|infra/)' },
    },
    {
      name: 'services-do-not-know-technologies',
      comment: 'Use cases work over ports; adapters, HTTP and functions sit above them.',
      severity: 'error',
      from: { path: '^shared/services/' },
      to: { path: '^(shared/(adapters|http|wiring)/|functions/|infra/)' },
    },
    {
      name: 'adapters-implement-ports-not-use-cases',
      comment: 'An adapter implements a port in shared/ports; it never reaches into a use case.',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: { path: '^(shared/(services|http|wiring)/|functions/)' },
    },
    {
      name: 'http-kit-does-not-wire-adapters',
      comment: 'The request kit maps requests to use cases; which adapters back them is decided in wiring.',
      severity: 'error',
      from: { path: '^shared/http/' },
      to: { path: '^(shared/(adapters|wiring)/|functions/)' },
    },
    {
      name: 'client-imports-only-the-contract',
      comment:
        "The client SDK (gradiant-plugins/client) runs in integrators' services and browsers: it imports the route records, their request and response schemas and the domain schemas, and zod; no node: module, no server code.",
      severity: 'error',
      from: { path: '^shared/client/' },
      to: {
        pathNot:
          '^(shared/client/|shared/domain/|shared/http/(routes/|requests/|response-schemas[.]ts$|route-record[.]ts$|pagination[.]ts$)|node_modules/zod/)',
      },
    },
    {
      name: 'client-reaches-no-server-code',
      comment:
        'What the route records and schemas import must not drag server code (use cases, adapters, AWS SDK, the sandbox runtime) into the client bundle.',
      severity: 'error',
      from: { path: '^shared/client/' },
      to: {
        path: '^(shared/(services|adapters|wiring|ports|observability|config|events|search/(?!search-query[.]ts$))|functions/|apps/|infra/|node_modules/(@aws-sdk|@smithy|@middy|@aws-lambda-powertools|isolated-vm|jose|minisearch|retire)/)',
        reachable: true,
      },
    },
    {
      name: 'runtime-code-does-not-import-infra',
      severity: 'error',
      from: { path: '^(shared|functions)/' },
      to: { path: '^infra/' },
    },
    {
      name: 'only-applications-import-functions',
      comment:
        'Functions sit on top of shared/; only the applications (apps/: CLI, local platform) call them.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
    {
      name: 'nothing-imports-applications',
      comment: 'The CLI and the local platform sit on top: nothing below them may depend on them.',
      severity: 'error',
      from: { path: '^(shared|functions|infra|layers)/' },
      to: { path: '^apps/' },
    },
    {
      name: 'applications-do-not-import-each-other',
      comment:
        'The CLI ships on its own (npm package) and must not pull in the local platform, or the reverse.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    parser: 'swc',
  },
};
