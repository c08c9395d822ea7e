import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackgroundBlock,
  type BlockRun,
  installReaderCli,
  readerEnvironment,
  runShellBlock,
  runTypeScriptBlock,
  startBackgroundBlock,
} from '../support/docs-block-runner.ts';
import {
  documentedAddressesFor,
  endBlockSession,
  filePathOf,
  kindOf,
  platformOptionsOf,
  reservePort,
  type Step,
  sampleMisses,
  stepsOf,
} from '../support/docs-block-steps.ts';
import { typeCheckBlocks } from '../support/docs-block-typecheck.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { codeBlocksOf } from '../support/markdown-code-blocks.ts';

const DOCS = new URL('../../docs/', import.meta.url);

const guides = readdirSync(DOCS)
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ name, blocks: codeBlocksOf(readFileSync(new URL(name, DOCS), 'utf8')) }));

describe.each(guides)('the code blocks of docs/$name', ({ name, blocks }) => {
  it('are each run, or marked as an output sample or the platform command', () => {
    const unmarked = blocks.filter((block) => kindOf(block) === undefined);

    expect(unmarked.map((block) => `${name}:${block.line} \`\`\`${block.info.join(' ')}`)).toEqual([]);
  });

  it('show each output sample right after a block that runs, and start the platform first', () => {
    const misplaced = blocks.filter((block, index) => {
      const kind = kindOf(block);
      const previous = blocks[index - 1];
      const previousKind = previous && kindOf(previous);
      if (kind === 'platform')
        return blocks.slice(0, index).some((earlier) => kindOf(earlier) !== 'platform');
      if (kind !== 'json-sample' && kind !== 'text-sample') return false;
      return previousKind === undefined || previousKind === 'platform' || previousKind.endsWith('-sample');
    });

    expect(misplaced.map((block) => `${name}:${block.line}`)).toEqual([]);
    expect(blocks.filter((block) => kindOf(block) === 'platform').length).toBeLessThanOrEqual(1);
  });

  it('type-check, the TypeScript ones, against the SDK and the repository settings', async () => {
    const typescript = blocks.filter((block) => block.info[0] === 'ts');

    const result = await typeCheckBlocks(
      typescript.map((block) => ({ name: `line-${block.line}`, code: block.code })),
    );

    expect(result).toEqual({ exitCode: 0, output: '' });
  });
});

const runnable = guides
  .map((guide) => ({ ...guide, steps: stepsOf(guide.blocks) }))
  .filter((guide) => guide.steps.length > 0);

describe.each(runnable)('docs/$name run against the local platform', ({ blocks, steps }) => {
  let platform: InProcessPlatform;
  let workDirectory: string;
  let substitute: (text: string) => string;
  let receiverPort: Awaited<ReturnType<typeof reservePort>>;
  const env = readerEnvironment();
  const background: { step: Step; block: BackgroundBlock }[] = [];

  beforeAll(async () => {
    receiverPort = await reservePort();
    const receiverOrigin = `http://127.0.0.1:${receiverPort.port}`;
    const platformBlock = blocks.find((block) => kindOf(block) === 'platform');
    platform = await startLocalPlatformInProcess({
      seed: true,
      ...platformOptionsOf(platformBlock, receiverOrigin),
    });
    workDirectory = mkdtempSync(join(tmpdir(), 'gradiant-docs-blocks-'));
    installReaderCli(env, workDirectory);
    substitute = documentedAddressesFor(platform.url, receiverPort.port);
  }, 120_000);

  afterAll(() => endBlockSession({ background, receiverPort, platform, workDirectory }));

  it.each(steps)('runs the $kind block of line $block.line', async (step) => {
    // The outbox is delivered every 250 ms while a reader types; here, before each block at once.
    await platform.settleAudit();
    const code = substitute(step.block.code);
    const name = `block-${step.block.line}`;

    if (step.kind === 'file') {
      const file = join(workDirectory, filePathOf(step.block) ?? '');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${code}\n`);
      expect(step.sample).toBeUndefined();
      return;
    }
    if (step.kind === 'background') {
      await receiverPort.release();
      background.push({ step, block: await startBackgroundBlock(code, workDirectory, name, env) });
      return;
    }
    const result: BlockRun =
      step.kind === 'shell'
        ? await runShellBlock(code, workDirectory, env)
        : await runTypeScriptBlock(code, workDirectory, name, env);

    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expectSample(result.stdout, step);
  });

  it('prints what each background block shows, once the blocks after it ran', async () => {
    for (const { step, block } of background) {
      const sample = step.sample;
      const output = await block.until(
        (printed) => sample === undefined || sampleMisses(printed, sample, substitute).length === 0,
        () => platform.settleAudit(),
      );

      expectSample(output, step);
    }
    expect(background.length).toBe(steps.filter((step) => step.kind === 'background').length);
  }, 60_000);

  function expectSample(stdout: string, step: Step) {
    if (step.sample === undefined) expect(stdout.trim()).toBe('');
    else expect(sampleMisses(stdout, step.sample, substitute)).toEqual([]);
  }
});
