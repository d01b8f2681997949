/**
 * English sentences of validation problems (keys under `validation.` in
 * renderer/src/locales/en.json, which must hold exactly these; ja.json holds the Japanese).
 * A unit test keeps the three equal.
 */
export const validationMessagesEn = {
  domainEmpty: 'Enter a domain name, for example example.jp.',
  domainChars: '"{{value}}" is not a domain name: it contains "{{char}}".',
  domainUnparsable: '"{{value}}" is not a domain name.',
  domainIsAddress: '"{{value}}" is an IP address; a domain name is needed here.',
  domainEmptyLabel: '"{{value}}" has an empty part between dots.',
  domainLabelTooLong: 'The part "{{label}}" is longer than 63 characters.',
  domainLabelChars: 'The part "{{label}}" may only hold letters, digits and hyphens, and may not start or end with a hyphen.',
  domainTooLong: 'The name is {{length}} characters long; DNS allows 253.',
  domainSingleLabel: '"{{value}}" has no dot: give the full domain name, for example example.jp.',
  domainNumericTld: '"{{value}}" ends in a number, which no real top-level domain does.',
  selectorEmpty: 'Enter a selector, for example {{example}}.',
  selectorDotEnds: 'A selector may not start or end with a dot.',
  selectorChars: 'The selector "{{value}}" may only hold letters, digits, hyphens and dots (no spaces, no "/", no "_").',
  selectorLabel: 'The selector part "{{label}}" must start and end with a letter or digit and be at most 63 characters.',
  nameTooLong: 'The record name {{name}} is {{length}} characters long; DNS allows 253.',
  ipEmpty: 'Enter an IP address, for example 203.0.113.25 or 2001:db8::25.',
  ipInvalid: '"{{value}}" is not an IPv4 or IPv6 address.',
  ipLeadingZero: '"{{value}}" has a number with a leading zero, which some programs read as octal; write it without.',
  ipZone: '"{{value}}" has a zone index (%…), which only means something on this machine.',
  ipPrefix: '"{{value}}" has a prefix length outside 0–{{max}}.',
  ipPrefixNotAllowed: 'Give a single address here, not a network ("{{value}}").',
  emailEmpty: 'Enter an email address, for example dmarc@example.jp.',
  emailShape: '"{{value}}" is not an email address (expected name@domain).',
  emailLocalPart: 'The part before "@" in "{{value}}" may only hold letters, digits and . ! # $ % & \' * + / = ? ^ _ ` { | } ~ - (no spaces, no two dots in a row).',
  emailLocalTooLong: 'The part before "@" is longer than 64 characters.',
  emailTooLong: 'The address is longer than 254 characters.',
  publicKeyBase64: 'The public key is not base64 text.',
  publicKeyLength: 'The {{type}} public key is {{bytes}} bytes long, which is not the length of a usable key.',
  emailDomain: 'The domain of "{{value}}" is not valid: {{reason}}',
  controlCharacter: 'The value contains the control character {{char}} (a line break, tab or terminal code); give it on one line without it.',
  reportLocalPart: 'A report address may only hold letters, digits and . _ + - before "@" ("{{value}}"): a DMARC record reads "!" as a size limit, and /etc/aliases cannot carry the other signs.',
} as const;

export type ValidationMessageKey = keyof typeof validationMessagesEn;
