import { describe, expect, it } from 'vitest';
import { RetireBundleScanner } from '../../../../shared/adapters/retire-bundle-scanner.ts';

// Hand-written fixtures: each library's real header comment around a stand-in body, not the library.
const JQUERY_1_8_3 = `/*! jQuery v1.8.3 jquery.com | jquery.org/license */
(function(window, undefined) { var jQuery = function() {}; window.jQuery = jQuery; })(globalThis);`;
const LODASH_4_17_15 = `/**
 * @license
 * Lodash <https://lodash.com/>
 * Copyright OpenJS Foundation and other contributors <https://openjsf.org/>
 * Released under MIT license <https://lodash.com/license>
 */
;(function() {
  var undefined;
  var VERSION = '4.17.15';
  var root = globalThis;
  root._ = { VERSION: VERSION };
}.call(this));`;
const PLUGIN = 'export default { async execute() { return 1; } };\n';

describe('RetireBundleScanner', () => {
  const scanner = RetireBundleScanner.shipped();

  it('finds a bundled jQuery and lodash by their banners though nothing declares them', async () => {
    const detected = await scanner.detect(`${JQUERY_1_8_3}\n${LODASH_4_17_15}\n${PLUGIN}`);

    expect(detected).toEqual(
      expect.arrayContaining([
        { name: 'jquery', version: '1.8.3', source: 'bundle-content' },
        { name: 'lodash', version: '4.17.15', source: 'bundle-content' },
      ]),
    );
  });

  it('finds nothing in a plugin that bundles no known library', async () => {
    expect(await scanner.detect(PLUGIN)).toEqual([]);
  });
});
