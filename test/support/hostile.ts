// Hostile values for property tests (fast-check), shared by the unit harness
// (test/unit/foundation/hostileInput.test.ts) and the host harness (test/host/hostileTables.test.ts).
import fc from 'fast-check';
import type { AllowEntry } from '../../shared/inbound.js';

/** One control character: C0, DEL, C1, or a Unicode line/paragraph separator. */
export const CONTROL = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }), fc.constantFrom(0x2028, 0x2029)).map((c) => String.fromCharCode(c));

/** What ends a line (all a secret sent on one stdin line must not hold). */
export const LINE_BREAKING = fc.constantFrom('\n', '\r', '\0');

/** Fragments that mean something in a Postfix table, a shell, a DMARC record, a terminal or a JS object. */
export const HOSTILE_FRAGMENT = fc.constantFrom('\n', '\r\n', '\u2028', '\u0085', '\u001b]52;c;eA==\u0007', ' BCC spy@evil.example', '|.|', '/', '\\', '#', ';', ',', '!', '${IFS}', '`id`', "'", '"', 'constructor', '__proto__', '%0a', '\u202e', ' ', '\t', 'unknown', '..', '@', ':');

export const HOSTILE_STRING = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.oneof(HOSTILE_FRAGMENT, fc.string({ maxLength: 6 })), { maxLength: 8 }).map((parts) => parts.join('')),
);

/** Allowlist entries: plausible names, patterns and networks, mixed with hostile text. */
export const ALLOW_ENTRY: fc.Arbitrary<AllowEntry> = fc.oneof(
  fc.record({ kind: fc.constant('name' as const), value: fc.oneof(fc.domain(), fc.domain().map((d) => `.${d}`), HOSTILE_STRING) }),
  fc.record({ kind: fc.constant('regexp' as const), value: fc.oneof(fc.stringMatching(/^\/\^[a-z0-9]{1,8}\\\.[a-z]{2,6}\$\/i?$/), HOSTILE_STRING.map((s) => `/${s}/`)) }),
  fc.record({ kind: fc.constant('address' as const), value: fc.oneof(fc.ipV4(), fc.ipV6(), HOSTILE_STRING) }),
);
