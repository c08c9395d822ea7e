import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WELL_KNOWN_PROOF_PATH } from '../../../shared/domain/publisher-verification.ts';

/** The well-known proof files of `.localhost` publisher domains, served on loopback. */
export interface PublisherProofServer {
  /** `PUBLISHER_PROOF_LOOPBACK_ORIGIN`: where the marketplace fetches `.localhost` proofs. */
  readonly origin: string;
  /** Serves `publisherId` as `https://<domain>/.well-known/gradiant-publisher.txt` would. */
  serve(domain: string, publisherId: string): void;
  close(): Promise<void>;
}

/**
 * There is no public DNS or https here, so publishers' web servers are stood in for by one
 * loopback server, virtual-hosted by the Host header as a real shared web server is.
 */
export async function startPublisherProofServer(): Promise<PublisherProofServer> {
  const files = new Map<string, string>();
  const server = createServer((request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const body =
      request.method === 'GET' && request.url === WELL_KNOWN_PROOF_PATH ? files.get(host) : undefined;
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`${body}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (domain, publisherId) => files.set(domain.toLowerCase(), publisherId),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
