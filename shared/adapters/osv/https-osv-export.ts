import { unzipSync } from 'fflate';
import type { AdvisoryExport } from '../../ports/advisory-export.ts';

/** OSV's full npm export: one JSON file per advisory in a zip (https://google.github.io/osv.dev/data/). */
export const OSV_NPM_EXPORT_URL = 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip';

export interface HttpsOsvExportOptions {
  readonly url: string;
  /** The download is refused beyond this many bytes (compressed) and the unzip beyond 8 times it. */
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** Tests only: a plain-HTTP stand-in on the loopback interface. Never set by a config. */
  readonly allowLoopbackHttp?: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Downloads and unzips the export: https only, size-capped, time-limited; each file parsed as JSON. */
export class HttpsOsvExport implements AdvisoryExport {
  private readonly options: HttpsOsvExportOptions;

  constructor(options: HttpsOsvExportOptions) {
    const url = new URL(options.url);
    const isLoopbackHttp =
      options.allowLoopbackHttp === true && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== 'https:' && !isLoopbackHttp) throw new TypeError('the OSV export URL must be https');
    this.options = options;
  }

  async download(): Promise<readonly unknown[]> {
    const { url, maxBytes, timeoutMs } = this.options;
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!response.ok || !response.body) throw new Error(`the OSV export answered ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) throw new RangeError('the OSV export is larger than its cap');
    const zipped = await readCapped(response.body, maxBytes);
    let unzippedBytes = 0;
    const files = unzipSync(zipped, {
      // The zip's own sizes are checked before inflating: a zip bomb is refused, not unpacked.
      filter: (file) => {
        unzippedBytes += file.originalSize;
        if (unzippedBytes > maxBytes * 8) throw new RangeError('the OSV export unzips beyond its cap');
        return file.name.endsWith('.json');
      },
    });
    const decoder = new TextDecoder('utf-8', { fatal: false });
    return Object.values(files).map((bytes) => {
      try {
        return JSON.parse(decoder.decode(bytes)) as unknown;
      } catch {
        return undefined;
      }
    });
  }
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new RangeError('the OSV export is larger than its cap');
    chunks.push(chunk);
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
