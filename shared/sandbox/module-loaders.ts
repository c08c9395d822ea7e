import type { Node, Program } from 'acorn';

export type ModuleLoader = { readonly kind: 'dynamic import()' | 'import.meta'; readonly at: number };

/**
 * The first `import()` or `import.meta` anywhere in the tree. Both can sit deep inside any
 * function, so every node is visited; the walk keeps its own stack because a hostile bundle can
 * nest far deeper than the call stack allows.
 */
export function findModuleLoader(program: Program): ModuleLoader | undefined {
  const stack: unknown[] = [program];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    if (!isNode(value)) continue;
    if (value.type === 'ImportExpression') return { kind: 'dynamic import()', at: value.start };
    if (
      value.type === 'MetaProperty' &&
      (value as Node & { meta: { name: string } }).meta.name === 'import'
    ) {
      return { kind: 'import.meta', at: value.start };
    }
    for (const child of Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return undefined;
}

function isNode(value: unknown): value is Node {
  return (
    value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string'
  );
}
