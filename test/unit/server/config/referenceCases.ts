/**
 * `$name` references in non_smtpd_milters and what Postfix expands them to, from the other
 * settings: the unit test checks expandReferences with them, test/host/config-files.test.ts
 * checks each against `postconf -x` on the test host. [value, other settings, expansion]
 */
export const REFERENCE_CASES: ReadonlyArray<[string, Record<string, string>, string]> = [
  ['$smtpd_milters', { smtpd_milters: 'inet:localhost:8891, inet:127.0.0.1:11332' }, 'inet:localhost:8891, inet:127.0.0.1:11332'],
  ['${smtpd_milters}, unix:/run/x.sock', { smtpd_milters: 'inet:localhost:8891' }, 'inet:localhost:8891, unix:/run/x.sock'],
  ['$(smtpd_milters) $hm_extra', { smtpd_milters: '$hm_extra', hm_extra: 'inet:127.0.0.1:11332' }, 'inet:127.0.0.1:11332 inet:127.0.0.1:11332'],
];
