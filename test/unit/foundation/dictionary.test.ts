import { describe, expect, it } from 'vitest';
import { mainCfSettings } from '../../../main/server/config/mainCf.js';
import { packageManagerFrom } from '../../../main/services/inspect/systemFacts.js';
import { contentTypeFor } from '../../../main/web/contentTypes.js';
import { dictionary, own } from '../../../shared/dictionary.js';
import { explainHeaders } from '../../../shared/verify/headerExplainer.js';

// Keys a hostile server, header or DNS answer can choose: names Object.prototype answers.
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('tables keyed by outside data', () => {
  it('dictionary and own answer only what was put in', () => {
    const table = dictionary<string>();
    for (const name of PROTOTYPE_NAMES) expect(table[name], name).toBeUndefined();
    table.__proto__ = 'x';
    expect(Object.keys(table)).toEqual(['__proto__']);
    for (const name of PROTOTYPE_NAMES) expect(own({ a: 1 }, name), name).toBeUndefined();
  });

  it('an Authentication-Results result named "constructor" or "toString" gets the "other" meaning, not a function', () => {
    for (const result of ['constructor', 'tostring', '__proto__']) {
      const explained = explainHeaders(`Authentication-Results: mx.example.net; dkim=${result} header.d=example.com header.s=s1; spf=${result} smtp.mailfrom=example.com\r\n\r\n`);
      const meanings = explained.items.map((i) => i.meaning?.key);
      expect(meanings, result).toEqual(['meaningDkimOther', 'meaningSpfOther']);
      expect(JSON.stringify(explained)).not.toContain('function');
    }
  });

  it('postconf names from a server are own keys only', () => {
    const settings = mainCfSettings('constructor = a\n__proto__ = b\nmyhostname = mx.example\n');
    expect(Object.keys(settings)).toEqual(['constructor', '__proto__', 'myhostname']);
    expect(settings.toString).toBeUndefined();
    expect(settings.__proto__).toBe('b');
  });

  it('a package manager a server names after a prototype property is no package manager', () => {
    for (const name of PROTOTYPE_NAMES) expect(packageManagerFrom(name), name).toBeNull();
    expect(packageManagerFrom('apt-get')).toBe('apt');
  });

  it('a requested file extension that names a prototype property is served as bytes', () => {
    for (const name of PROTOTYPE_NAMES) expect(contentTypeFor(`/x.${name}`), name).toBe('application/octet-stream');
  });
});
