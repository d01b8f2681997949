import { access } from 'node:fs/promises';
import path from 'node:path';
import { buildDkimRecord } from '../../../shared/records/dkim.js';
import { dkimKeyNotes, DEFAULT_TTL } from '../../../shared/records/recordSet.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow } from '../../../shared/validation/problem.js';
import { normalizeSelector } from '../../../shared/validation/selector.js';
import { publicKeyFingerprint } from '../../services/keys/dkimKey.js';
import { generateDkimKey } from '../../services/keys/generate.js';
import { writeDkimKeyFiles } from '../../services/keys/writeKeyFiles.js';
import { cliError, parseCommandArgs, usageHint, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { cliText } from '../language.js';
import { writeNotes } from './records.js';

function parseBits(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw cliError('bad-input', 'cliOneOf', { option: '--bits', allowed: '1024, 2048, 3072, 4096', value }, { field: 'bits' });
  return Number(value);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export const keygenCommand: Command = {
  name: 'keygen',
  usage: 'keygen --domain D --selector S [--type rsa|ed25519] [--bits 1024|2048|3072|4096] --out DIR [--json]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      domain: { type: 'string' },
      selector: { type: 'string' },
      type: { type: 'string' },
      bits: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.domain === undefined) throw cliError('bad-input', 'cliRequired', { option: '--domain' }, { field: 'domain', hint: usageHint(this.usage) });
    if (values.selector === undefined) throw cliError('bad-input', 'cliRequired', { option: '--selector' }, { field: 'selector', hint: usageHint(this.usage) });
    if (values.out === undefined || values.out === '') throw cliError('bad-input', 'cliRequired', { option: '--out' }, { field: 'out', hint: usageHint(this.usage) });
    const domain = orThrow('domain', normalizeDomain(values.domain));
    const selector = orThrow('selector', normalizeSelector(values.selector));
    const type = values.type ?? 'rsa';
    if (type !== 'rsa' && type !== 'ed25519') throw cliError('bad-input', 'cliOneOf', { option: '--type', allowed: 'rsa, ed25519', value: type }, { field: 'type' });
    const bits = parseBits(values.bits);
    const dir = path.resolve(io.cwd, values.out);
    // Checked before spending time on the key; writing checks again, atomically.
    for (const file of [`${selector}.private`, `${selector}.txt`]) {
      if (await exists(path.join(dir, file))) {
        throw cliError('bad-input', 'cliKeyExists', { file: path.join(dir, file) }, { field: 'out' });
      }
    }

    const key = await generateDkimKey({ domain, selector, type, ...(bits === undefined ? {} : { bits }) });
    const files = await writeDkimKeyFiles(dir, key);
    const record = buildDkimRecord({ domain, selector, keyType: key.type, publicKey: key.publicKeyBase64, ttl: DEFAULT_TTL });
    const notes = dkimKeyNotes(key.type, key.bits, selector);
    const fingerprint = publicKeyFingerprint(key.publicKeyBase64);

    if (values.json) {
      writeJson(io, {
        ok: true,
        privateKeyFile: files.privateKeyFile,
        txtFile: files.txtFile,
        domain,
        selector,
        type: key.type,
        ...(key.bits === undefined ? {} : { bits: key.bits }),
        publicKey: key.publicKeyBase64,
        fingerprint,
        record: { name: record.name, type: record.type, value: record.value, strings: record.strings },
        notes: notes.map((n) => ({ key: n.key, severity: n.severity, text: n.text })),
      });
    } else {
      const text = cliText(io.env);
      writeLine(io, text.t('cli.keygen.privateKey', { file: files.privateKeyFile }));
      writeLine(io, text.t('cli.keygen.record', { file: files.txtFile }));
      writeLine(io, text.t('cli.keygen.key', { key: key.type === 'rsa' ? text.t('cli.keygen.rsa', { bits: key.bits ?? '' }) : 'Ed25519', fingerprint }));
      writeLine(io);
      writeLine(io, text.t('cli.keygen.publish', { name: record.name }));
      writeLine(io, record.value);
    }
    writeNotes(io, notes, false);
    return 0;
  },
};
