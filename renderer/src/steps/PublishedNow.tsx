import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { isSpfRecord, publishedDmarc } from '../../../shared/records/index.js';
import { isSameOrSubdomain } from '../../../shared/validation/domain.js';
import type { WizardValues } from '../wizard/state.js';

/** Report addresses this server does not receive for: neither the domain nor a name in Postfix's mydestination. */
export function reportAddressesElsewhere(addresses: readonly string[], domain: string, mydestination: readonly string[]): string[] {
  const local = new Set(mydestination.map((d) => d.toLowerCase()));
  return addresses.filter((a) => {
    const at = a.slice(a.lastIndexOf('@') + 1).toLowerCase();
    return !isSameOrSubdomain(at, domain) && !local.has(at);
  });
}

/**
 * What the domain and the server carry before Homemail changes anything: the published SPF
 * and DMARC records (kept, only what is missing is added), report addresses Homemail cannot
 * read, and the selector the server signs with now. Shown on the policy step so the person
 * starts from their own setup, not from a blank form.
 */
export function PublishedNow({ values, domain }: { values: WizardValues; domain: string }) {
  const { t } = useTranslation();
  const published = values.published !== null && values.published.domain === domain && values.published.servers.length > 0 ? values.published : null;
  const signing = (values.inspection?.opendkim.keys ?? []).filter((k) => k.domain === domain && k.selector !== null);
  if (published === null && signing.length === 0) return null;
  const spf = published?.existing.filter((r) => r.type.toUpperCase() === 'TXT' && r.name === domain && isSpfRecord(r.value)) ?? [];
  const dmarcValue = published?.existing.find((r) => r.type.toUpperCase() === 'TXT' && r.name === `_dmarc.${domain}` && /^v=DMARC1\s*(;|$)/i.test(r.value.trim()));
  const dmarc = published === null ? null : publishedDmarc(domain, published.existing);
  const elsewhere = dmarc === null ? [] : reportAddressesElsewhere(dmarc.rua, domain, values.inspection?.postfix?.mydestination ?? []);
  return (
    <div className="notice published-now" data-testid="published-now">
      {published !== null && (
        <>
          <p>{t(spf.length > 0 || dmarc !== null ? 'domain.publishedNow.intro' : 'domain.publishedNow.nothing', { domain })}</p>
          <dl className="record-fields">
            {spf.map((r) => (
              <Fragment key={r.value}>
                <dt>SPF</dt>
                <dd>
                  <code data-published="spf">{r.value}</code>
                </dd>
              </Fragment>
            ))}
            {dmarcValue !== undefined && (
              <>
                <dt>DMARC</dt>
                <dd>
                  <code data-published="dmarc">{dmarcValue.value}</code>
                </dd>
              </>
            )}
          </dl>
          {elsewhere.length > 0 && (
            <p className="help warn" data-testid="rua-elsewhere">
              {t('domain.publishedNow.ruaElsewhere', { addresses: elsewhere.join(', '), domain })}
            </p>
          )}
        </>
      )}
      {signing.map((k) => (
        <p key={k.path} className="help" data-testid="signing-now">
          {t(k.keyType === 'rsa' && k.bits !== null && k.bits < 2048 ? 'domain.publishedNow.selectorWeak' : 'domain.publishedNow.selector', {
            selector: k.selector ?? '',
            key: k.keyType === 'ed25519' ? 'Ed25519' : t('domain.publishedNow.rsaBits', { bits: k.bits ?? '?' }),
          })}
        </p>
      ))}
    </div>
  );
}
