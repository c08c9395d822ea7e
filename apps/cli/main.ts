// The bin's first module: it must parse and run on any Node.js an author may have, so it holds
// only this check and loads the CLI (which needs Node 24) after it. Keep its syntax plain.
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_MAJOR) {
  process.stderr.write(
    `error: gradiant-plugins needs Node.js >= ${REQUIRED_MAJOR} (this is ${process.version}); ` +
      `run "npm i -D node@${REQUIRED_MAJOR}" in your project, then "npx gradiant-plugins ..." uses it ` +
      '(or install it from https://nodejs.org)\n',
  );
  process.exitCode = 2;
} else {
  // A computed specifier: the bundler leaves it alone and the check above stays the only code here.
  const start = import.meta.url.endsWith('.ts') ? './start.ts' : './cli.js';
  await import(start);
}
