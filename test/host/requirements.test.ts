// homemail requirements against the real test host: with no --selector, DKIM is judged for the
// selector the server signs with. Fixture: the `single-key` variant (opendkim.conf's
// Domain/KeyFile/Selector = example.test/postfix, `postfix._domainkey` published by the test DNS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkText } from '../../shared/checks.js';
import { checkRequirements } from '../../main/services/outbound/checkRequirements.js';
import type { SshSession } from '../../main/services/ssh/session.js';
import { connectAdmin } from './session.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

describe.skipIf(skip !== null)(suite('homemail requirements on the test host'), () => {
  let host: TestHost;
  let session: SshSession;

  beforeAll(async () => {
    host = await resetHost('single-key');
    session = await connectAdmin(host);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('no selector given: DKIM is judged from DNS for the server\'s own selector (single-key Selector)', async () => {
    const resolvers = [`${host.dns.address}:${host.dns.port}`];
    const report = await checkRequirements({ domain: host.domain, dkim: [], addresses: [], resolvers, session, outbound: { seconds: 2 } });
    const dkim = report.rows.find((r) => r.id === 'outlook.dkim');
    expect(dkim?.basis).toEqual(['dkim:postfix']);
    expect(dkim?.status).toBe('pass');
    expect(dkim?.reasons).toEqual([checkText('reqDkimServerSelectors', { selectors: 'postfix' })]);
    // a selector given wins over the server's: one that DNS does not publish fails
    const given = await checkRequirements({ domain: host.domain, dkim: [{ selector: 'absent', publicKey: null, keyType: null }], addresses: [], resolvers, session, outbound: { seconds: 2 } });
    expect(given.rows.find((r) => r.id === 'outlook.dkim')).toMatchObject({ basis: ['dkim:absent'], status: 'fail', reasons: [] });
  });
});
