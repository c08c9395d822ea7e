// Runs the built plugin (dist/index.js) in the platform's sandbox against fixtures.json:
// `npm test` builds first. Node's own test runner, so nothing else needs installing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { SupervisedSandbox } from 'gradiant-plugins/sandbox';
import { createFixtureHost, parseFixtures } from 'gradiant-plugins/testing';

const code = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8');
const fixtures = parseFixtures(readFileSync(new URL('../fixtures.json', import.meta.url), 'utf8'));
const sandbox = new SupervisedSandbox();
after(() => sandbox.dispose());

function run(input, grants, tenantId = 't-local') {
  return sandbox.run({
    code,
    entry: 'execute',
    input,
    grants,
    tenantId,
    pluginId: 'patient-summary',
    host: createFixtureHost(fixtures, tenantId),
  });
}

test("counts the tenant's patients by recorded gender", async () => {
  const result = await run({}, ['read:patients']);

  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.deepEqual(result.value, { total: 3, byGender: { female: 1, unknown: 2 } });
});

test('answers counts only, never a name', async () => {
  const result = await run({}, ['read:patients']);

  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.doesNotMatch(JSON.stringify(result.value), /Ada|Example|Sample/);
});

test('is refused patient data without read:patients', async () => {
  const result = await run({}, []);

  assert.equal(result.ok, false);
  assert.equal(result.error.code, 'PermissionDenied');
});
