import { describe, expect, it } from 'vitest';
import {
  DnsTxtPublisherProof,
  type TxtResolver,
} from '../../../../../shared/adapters/egress/dns-txt-publisher-proof.ts';

const resolverOf = (answer: (name: string) => string[][]): TxtResolver & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    resolveTxt: async (name) => {
      asked.push(name);
      return answer(name);
    },
  };
};
const failingWith = (code: string): TxtResolver => ({
  resolveTxt: async () => {
    throw Object.assign(new Error(code), { code });
  },
});

describe('DnsTxtPublisherProof', () => {
  it('finds gradiant-publisher=<id> at _gradiant-publisher.<domain>, chunks joined', async () => {
    const resolver = resolverOf(() => [['v=spf1 -all'], ['gradiant-publisher=', 'pub-acme']]);

    const outcome = await new DnsTxtPublisherProof({ resolver }).check('acme-health.com', 'pub-acme');

    expect(outcome).toBe('found');
    expect(resolver.asked).toEqual(['_gradiant-publisher.acme-health.com']);
  });

  it('refuses a record naming another publisher or a prefix of the id', async () => {
    const proof = new DnsTxtPublisherProof({
      resolver: resolverOf(() => [['gradiant-publisher=pub-acme-evil'], ['gradiant-publisher=pub-other']]),
    });

    expect(await proof.check('acme-health.com', 'pub-acme')).toBe('not-found');
  });

  it('tells a missing record from a DNS that did not answer', async () => {
    expect(await new DnsTxtPublisherProof({ resolver: failingWith('ENOTFOUND') }).check('a.com', 'p')).toBe(
      'not-found',
    );
    expect(await new DnsTxtPublisherProof({ resolver: failingWith('ENODATA') }).check('a.com', 'p')).toBe(
      'not-found',
    );
    expect(await new DnsTxtPublisherProof({ resolver: failingWith('ETIMEOUT') }).check('a.com', 'p')).toBe(
      'unreachable',
    );
    expect(await new DnsTxtPublisherProof({ resolver: failingWith('ESERVFAIL') }).check('a.com', 'p')).toBe(
      'unreachable',
    );
  });
});
