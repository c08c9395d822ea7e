import fs from 'node:fs';
export default { execute: () => fs.readFileSync('/etc/passwd', 'utf8') };
