// Runs the built plugin (dist/index.js) in the platform's sandbox against fixtures.json:
// `npm test` builds first. Node's own test runner, so nothing else needs installing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { createInMemoryPluginStorage, SupervisedSandbox } from 'gradiant-plugins/sandbox';
import { createFixtureHost, parseFixtures } from 'gradiant-plugins/testing';

const code = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8');
const fixtures = parseFixtures(readFileSync(new URL('../fixtures.json', import.meta.url), 'utf8'));
const sandbox = new SupervisedSandbox();
after(() => sandbox.dispose());

function run(entry, input, storage) {
  return sandbox.run({
    code,
    entry,
    input,
    grants: ['read:appointments'],
    tenantId: 't-local',
    pluginId: 'no-show-tracker',
    host: { ...createFixtureHost(fixtures, 't-local'), storage: createInMemoryPluginStorage(storage) },
  });
}

const event = (name, id) => ({
  id,
  name,
  time: '2026-01-01T08:00:00Z',
  tenantId: 't-local',
  data: { appointmentId: 'a-1', patientId: 'p-1' },
});

test('counts each cancelled appointment', async () => {
  const storage = new Map();

  const first = await run('onEvent', event('appointment:cancelled', 'evt-1'), storage);
  const second = await run('onEvent', event('appointment:cancelled', 'evt-2'), storage);

  assert.equal(first.ok, true, JSON.stringify(first.error));
  assert.deepEqual(first.value, { cancellations: 1 });
  assert.deepEqual(second.value, { cancellations: 2 });
  assert.equal(storage.get('cancellations'), 2);
});

test('answers the count so far, zero before any cancellation', async () => {
  const storage = new Map();

  const before = await run('execute', {}, storage);
  await run('onEvent', event('appointment:cancelled', 'evt-1'), storage);
  const after = await run('execute', {}, storage);

  assert.equal(before.ok, true, JSON.stringify(before.error));
  assert.deepEqual(before.value, { cancellations: 0 });
  assert.deepEqual(after.value, { cancellations: 1 });
});

test('ignores other events', async () => {
  const storage = new Map();

  const result = await run('onEvent', event('appointment:scheduled', 'evt-3'), storage);

  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.equal(result.value, null);
  assert.equal(storage.has('cancellations'), false);
});
