import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { CodeBlock } from './markdown-code-blocks.ts';
import { jsonSampleMismatches, textSampleMisses } from './output-sample.ts';

/** The addresses the guides show, which a block test replaces with its own platform's and receiver's. */
export const DOCUMENTED_PLATFORM = 'http://localhost:3000';
export const DOCUMENTED_RECEIVER_PORT = '4555';

export type Kind =
  | 'shell'
  | 'typescript'
  | 'background'
  | 'file'
  | 'platform'
  | 'json-sample'
  | 'text-sample';

/** Every info string a guide may use; any other block fails the test, so none slips in unrun. */
const KINDS: Readonly<Record<string, Kind>> = {
  sh: 'shell',
  ts: 'typescript',
  'ts background': 'background',
  'sh platform': 'platform',
  'json output': 'json-sample',
  'text output': 'text-sample',
};

export interface Step {
  readonly block: CodeBlock;
  readonly kind: Exclude<Kind, 'json-sample' | 'text-sample' | 'platform'>;
  readonly sample?: { readonly kind: 'json-sample' | 'text-sample'; readonly text: string };
}

/**
 * `ts file=<path>`: a source file the reader saves (a plugin's `src/index.ts`): written to that path
 * under the work folder for the blocks after it, and type-checked with the other TypeScript blocks.
 */
const FILE_INFO = /^file=((?!\/)(?!.*\.\.)[\w./-]+\.ts)$/;
export const filePathOf = (block: CodeBlock): string | undefined =>
  block.info.length === 2 && block.info[0] === 'ts' ? FILE_INFO.exec(block.info[1] ?? '')?.[1] : undefined;

export const kindOf = (block: CodeBlock): Kind | undefined =>
  filePathOf(block) === undefined ? KINDS[block.info.join(' ')] : 'file';

/** The blocks to run, in order, each with the output sample shown right after it. */
export function stepsOf(blocks: readonly CodeBlock[]): Step[] {
  const steps: Step[] = [];
  for (const block of blocks) {
    const kind = kindOf(block);
    if (kind === 'json-sample' || kind === 'text-sample') {
      const previous = steps.pop();
      if (previous) steps.push({ ...previous, sample: { kind, text: block.code } });
    } else if (kind && kind !== 'platform') steps.push({ block, kind });
  }
  return steps;
}

/**
 * A loopback port held until a background block is about to listen on it, so the platform's own
 * stand-ins, which take free ports while it starts, cannot take it first.
 */
export async function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  const released = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    port: address.port,
    release: () => {
      if (server.listening) server.close();
      return released;
    },
  };
}

/** `npm start` with the options the guide gives it, as the in-process platform's options. */
export function platformOptionsOf(block: CodeBlock | undefined, receiverOrigin: string) {
  const command = (block?.code ?? 'npm start').trim();
  const match = /^npm start(?: -- --webhook-receiver (\S+))?$/.exec(command);
  if (!match) throw new Error(`a platform block this test cannot start: ${command}`);
  return match[1] ? { webhookLoopbackOrigins: [receiverOrigin] } : {};
}

/** What the output misses of the step's sample, after the guide's addresses are replaced. */
export function sampleMisses(
  stdout: string,
  sample: NonNullable<Step['sample']>,
  substitute: (text: string) => string,
) {
  const expected = substitute(sample.text);
  if (sample.kind === 'text-sample') return textSampleMisses(stdout, expected);
  try {
    return jsonSampleMismatches(JSON.parse(stdout), JSON.parse(expected));
  } catch (error) {
    return [`not JSON: ${stdout.slice(0, 500)} (${String(error)})`];
  }
}

/** Replaces the addresses the guides show with the test platform's and the reserved receiver port. */
export const documentedAddressesFor =
  (platformUrl: string, receiverPort: number) =>
  (text: string): string =>
    text
      .replaceAll(DOCUMENTED_PLATFORM, platformUrl)
      .replaceAll(DOCUMENTED_RECEIVER_PORT, String(receiverPort));

/** What a block run leaves behind: background blocks, the reserved port, the platform, the folder. */
export async function endBlockSession(session: {
  readonly background: readonly { readonly block: { stop(): void } }[];
  readonly receiverPort?: { release(): Promise<void> } | undefined;
  readonly platform?: { stop(): Promise<void> } | undefined;
  readonly workDirectory?: string | undefined;
}): Promise<void> {
  for (const { block } of session.background) block.stop();
  await session.receiverPort?.release();
  await session.platform?.stop();
  if (session.workDirectory) rmSync(session.workDirectory, { recursive: true, force: true });
}
