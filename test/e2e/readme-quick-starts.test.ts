import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackgroundBlock,
  type BlockRun,
  readerEnvironment,
  runShellBlock,
  runTypeScriptBlock,
  startBackgroundBlock,
} from '../support/docs-block-runner.ts';
import {
  documentedAddressesFor,
  endBlockSession,
  kindOf,
  platformOptionsOf,
  reservePort,
  type Step,
  sampleMisses,
  stepsOf,
} from '../support/docs-block-steps.ts';
import { typeCheckBlocks } from '../support/docs-block-typecheck.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { codeBlocksUnder } from '../support/markdown-code-blocks.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const AUTHOR = 'Quick start: from an empty folder to a plugin running in a tenant';
const INTEGRATOR = "Quick start: an integrator's system installs, enables and follows a plugin";
/** Each quick start is one terminal, opened in the folder that holds the tarball. */
const terminals = [AUTHOR, INTEGRATOR].map((heading) => {
  const blocks = codeBlocksUnder(README, heading);
  return { heading, blocks, steps: stepsOf(blocks) };
});
const allBlocks = terminals.flatMap((terminal) => terminal.blocks);
/** npm's own report that it could not reach the registry (not a refusal by the local platform). */
const REGISTRY_UNREACHABLE =
  /^npm (?:ERR!|error) (?:code |errno )?(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|network)/m;

/** A reader's terminal, with npm told to use its cache first and to keep its notices to itself. */
function terminalEnvironment(): Record<string, string> {
  return {
    ...readerEnvironment(),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

let platform: InProcessPlatform;
let workDirectory: string;
let tarball: string;
let substitute: (text: string) => string;
let receiverPort: Awaited<ReturnType<typeof reservePort>>;
let registryProblem: string | undefined;
const background: { step: Step; block: BackgroundBlock }[] = [];

/**
 * The local platform the author quick start starts (here in the test's process, with its options),
 * and the empty folder with the tarball `npm pack` makes of this repository, as the README says.
 */
beforeAll(async () => {
  receiverPort = await reservePort();
  const platformBlock = allBlocks.find((block) => kindOf(block) === 'platform');
  platform = await startLocalPlatformInProcess({
    seed: true,
    ...platformOptionsOf(platformBlock, `http://127.0.0.1:${receiverPort.port}`),
  });
  workDirectory = mkdtempSync(join(tmpdir(), 'gradiant-quick-starts-'));
  const packed = spawnSync('npm', ['pack', '--pack-destination', workDirectory], {
    cwd: ROOT,
    env: terminalEnvironment(),
    encoding: 'utf8',
  });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  tarball = readdirSync(workDirectory).find((name) => /^gradiant-plugins-.*\.tgz$/.test(name)) ?? '';
  substitute = documentedAddressesFor(platform.url, receiverPort.port);
}, 120_000);

afterAll(() => endBlockSession({ background, receiverPort, platform, workDirectory }));

describe("the README's quick starts", () => {
  it('mark each block as run, an output sample or the platform command, and start the platform once', () => {
    const unmarked = allBlocks.filter((block) => kindOf(block) === undefined);

    expect(unmarked.map((block) => `README.md:${block.line}`)).toEqual([]);
    expect(allBlocks.filter((block) => kindOf(block) === 'platform')).toHaveLength(1);
    expect(terminals.map((terminal) => terminal.steps.length)).not.toContain(0);
  });

  it('install the tarball npm pack makes of this repository', () => {
    expect(tarball).not.toBe('');
    expect(README).toContain(`npm i -D ./${tarball}`);
  });

  it('type-check, the TypeScript ones, against the SDK and the repository settings', async () => {
    const typescript = allBlocks.filter((block) => block.info[0] === 'ts');

    const result = await typeCheckBlocks(
      typescript.map((block) => ({ name: `line-${block.line}`, code: block.code })),
    );

    expect(result).toEqual({ exitCode: 0, output: '' });
  });
});

describe.each(terminals)('$heading, run in one terminal in the folder with the tarball', ({ steps }) => {
  const env = terminalEnvironment();

  it.for(steps)('runs the $kind block of line $block.line', { timeout: 120_000 }, async (step, context) => {
    if (registryProblem) context.skip(registryProblem);
    await platform.settleAudit();
    const code = substitute(step.block.code);
    const name = `block-${step.block.line}`;

    if (step.kind === 'background') {
      await receiverPort.release();
      background.push({
        step,
        block: await startBackgroundBlock(code, workDirectory, name, env, 'installed'),
      });
      return;
    }
    const result: BlockRun =
      step.kind === 'shell'
        ? await runShellBlock(code, workDirectory, env)
        : await runTypeScriptBlock(code, workDirectory, name, env, 'installed');
    if (result.exitCode !== 0 && REGISTRY_UNREACHABLE.test(result.stderr)) {
      registryProblem = `the npm registry is unreachable, so the quick start cannot install:\n${result.stderr}`;
      context.skip(registryProblem);
    }

    expect(result.exitCode, result.stderr).toBe(0);
    if (step.kind === 'typescript') expect(result.stderr).toBe('');
    if (step.sample) expect(sampleMisses(result.stdout, step.sample, substitute)).toEqual([]);
  });
});

describe('the background blocks of the quick starts', () => {
  it('print what the README shows, once the blocks after them ran', async (context) => {
    if (registryProblem) context.skip(registryProblem);
    const expected = terminals
      .flatMap((terminal) => terminal.steps)
      .filter((step) => step.kind === 'background');

    for (const { step, block } of background) {
      const sample = step.sample;
      const output = await block.until(
        (printed) => sample === undefined || sampleMisses(printed, sample, substitute).length === 0,
        () => platform.settleAudit(),
      );

      if (sample) expect(sampleMisses(output, sample, substitute)).toEqual([]);
    }
    expect(background.map(({ step }) => step.block.line)).toEqual(expected.map((step) => step.block.line));
  }, 60_000);
});
