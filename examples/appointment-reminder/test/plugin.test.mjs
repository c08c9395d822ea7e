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

function run(entry, input, grants, storage = new Map()) {
  return sandbox.run({
    code,
    entry,
    input,
    grants,
    tenantId: 't-local',
    pluginId: 'appointment-reminder',
    host: { ...createFixtureHost(fixtures, 't-local'), storage: createInMemoryPluginStorage(storage) },
  });
}

test('builds the reminder text for a patient', async () => {
  const result = await run('execute', { patientId: 'p-1', start: '2026-01-05T09:00:00Z' }, ['read:patients']);

  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.deepEqual(result.value, {
    patientId: 'p-1',
    reminder: 'Dear Ada Example, see you on 2026-01-05T09:00:00Z.',
  });
});

test('answers NotFound for a patient the tenant does not have', async () => {
  const result = await run('execute', { patientId: 'p-404', start: '2026-01-05T09:00:00Z' }, [
    'read:patients',
  ]);

  assert.equal(result.ok, false);
  assert.equal(result.error.code, 'NotFound');
});

test('remembers the latest scheduled appointment', async () => {
  const storage = new Map();
  const event = {
    id: 'evt-1',
    name: 'appointment:scheduled',
    time: '2026-01-01T08:00:00Z',
    tenantId: 't-local',
    data: { appointmentId: 'a-1', patientId: 'p-1' },
  };

  const result = await run('onEvent', event, ['read:patients', 'read:appointments'], storage);

  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.deepEqual(result.value, { remembered: true });
  assert.equal(storage.get('last-scheduled'), 'a-1');
});

test('ignores other events', async () => {
  const result = await run(
    'onEvent',
    {
      id: 'evt-2',
      name: 'appointment:cancelled',
      time: '2026-01-01T08:00:00Z',
      tenantId: 't-local',
      data: {},
    },
    [],
  );

  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.equal(result.value, null);
});
