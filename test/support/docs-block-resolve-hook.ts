// Loaded with `node --import` under a documented TypeScript block, which the block test writes to a
// temporary folder: bare imports resolve as from the repository root (its dependencies, such as
// standardwebhooks), and the package's `gradiant-plugins/*` exports resolve to their sources, so the guide is
// checked against the code as it is now, not against a dist/ build that may be older.
import { registerHooks } from 'node:module';

const ROOT = new URL('../../', import.meta.url);
const SOURCES: Readonly<Record<string, string>> = {
  'gradiant-plugins/client': 'shared/client/index.ts',
  'gradiant-plugins/plugin': 'shared/plugin/index.ts',
  'gradiant-plugins/sandbox': 'shared/sandbox/index.ts',
  'gradiant-plugins/testing': 'apps/cli/testing.ts',
};

registerHooks({
  resolve(specifier, context, nextResolve) {
    const source = SOURCES[specifier];
    if (source) return nextResolve(new URL(source, ROOT).href, context);
    const isBare = !/^(\.|\/|node:|file:|data:)/.test(specifier);
    return nextResolve(
      specifier,
      isBare ? { ...context, parentURL: new URL('package.json', ROOT).href } : context,
    );
  },
});
