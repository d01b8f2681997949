import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { dnsProviderPresets, formatRecords, relativeName, sortByPlace, zoneRdata, type DnsRecord, type PresetId } from '../../../shared/records/index.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useKeyedText } from '../text.js';
import { downloadText, recordSetOf } from '../wizard/records.js';
import { useWizard } from '../wizard/state.js';

function RecordCard({ record, origin, kind }: { record: DnsRecord; origin: string; kind: 'publish' | 'elsewhere' | 'owner' | 'remove' }) {
  const { t } = useTranslation();
  const host = relativeName(record.name, origin) ?? record.name;
  return (
    <li className={`record ${kind}`} data-record={record.name} data-purpose={record.purpose}>
      <div className="record-head">
        <span className="record-purpose">{t(`recordsStep.purpose.${record.purpose}`)}</span>
        {kind !== 'publish' && <span className="badge warn">{t(`recordsStep.kind.${kind}`)}</span>}
      </div>
      <dl className="record-fields">
        <dt>{t('recordsStep.name')}</dt>
        <dd>
          <code>{record.name}</code> <span className="help">({t('recordsStep.hostPart', { host })})</span>{' '}
          <CopyButton text={record.name} label={t('recordsStep.copyNameOf', { name: record.name })}>
            {t('recordsStep.copyName')}
          </CopyButton>
        </dd>
        <dt>{t('recordsStep.type')}</dt>
        <dd>
          <code>{record.type}</code>
        </dd>
        <dt>{t('recordsStep.value')}</dt>
        <dd>
          <pre className="value" data-value>
            {record.value}
          </pre>
          <CopyButton text={record.value} label={t('recordsStep.copyValueOf', { name: record.name })} />
          {record.type === 'TXT' && record.strings.length > 1 && (
            <details>
              <summary>{t('recordsStep.splitHeading', { count: record.strings.length })}</summary>
              <pre className="value">{zoneRdata(record)}</pre>
              <CopyButton text={zoneRdata(record)} label={t('recordsStep.copySplitOf', { name: record.name })} />
            </details>
          )}
        </dd>
      </dl>
    </li>
  );
}

export function RecordsStep() {
  const { t } = useTranslation();
  const text = useKeyedText();
  const { values, update } = useWizard();
  const id = useId();
  const outcome = useMemo(() => recordSetOf(values), [values]);

  if (values.keys.length === 0) {
    return (
      <section aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1}>
          {t('recordsStep.heading')}
        </h1>
        <p className="notice info">{t('recordsStep.noKeys')}</p>
      </section>
    );
  }
  if (!outcome.ok) {
    return (
      <section aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1}>
          {t('recordsStep.heading')}
        </h1>
        <ErrorNotice error={outcome.error} />
      </section>
    );
  }
  const set = outcome.set;
  const place = sortByPlace(set, set.domain);
  const formatted = formatRecords(set, values.preset, { origin: set.domain });
  const preset = values.preset === 'zone' ? null : dnsProviderPresets.find((p) => p.id === values.preset);
  const zone = formatRecords(set, 'zone');

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('recordsStep.heading')}
      </h1>
      <p>{t('recordsStep.intro', { domain: set.domain })}</p>
      <p className="reassurance">{t('recordsStep.whenToPublish')}</p>

      {set.notes.length > 0 && (
        <ul className="notes">
          {set.notes.map((n, index) => (
            <li key={`${n.key}-${index}`} className={n.severity}>
              {text('records', n)}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('recordsStep.publishHeading', { count: place.publish.length })}</h2>
      <ul className="records">
        {place.publish.map((r) => (
          <RecordCard key={`${r.name}-${r.type}-${r.purpose}`} record={r} origin={set.domain} kind="publish" />
        ))}
      </ul>
      {place.elsewhere.length > 0 && (
        <>
          <h2>{t('recordsStep.elsewhereHeading')}</h2>
          <ul className="records">
            {place.elsewhere.map((r) => (
              <RecordCard key={`${r.name}-${r.type}`} record={r} origin={r.zone} kind="elsewhere" />
            ))}
          </ul>
        </>
      )}
      {place.addressOwner.length > 0 && (
        <>
          <h2>{t('recordsStep.ownerHeading')}</h2>
          <ul className="records">
            {place.addressOwner.map((r) => (
              <RecordCard key={`${r.name}-${r.type}`} record={r} origin={r.zone} kind="owner" />
            ))}
          </ul>
        </>
      )}
      {place.remove.length > 0 && (
        <>
          <h2>{t('recordsStep.removeHeading')}</h2>
          <ul className="records">
            {place.remove.map((r) => (
              <RecordCard key={`${r.name}-${r.type}-${r.value}`} record={r} origin={set.domain} kind="remove" />
            ))}
          </ul>
        </>
      )}

      <h2>{t('recordsStep.allHeading')}</h2>
      <div className="field">
        <label htmlFor={`${id}-preset`}>{t('recordsStep.presetLabel')}</label>
        <select id={`${id}-preset`} value={values.preset} onChange={(e) => update({ preset: e.target.value as PresetId | 'zone' })}>
          <option value="zone">{t('recordsStep.presetZone')}</option>
          {dnsProviderPresets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id === 'generic-relative' ? t('recordsStep.presetOther') : p.name}
            </option>
          ))}
        </select>
      </div>
      {preset && <p className="help">{t(`records.${preset.guide}`)}</p>}
      {formatted.notes
        .filter((n) => !preset || n.key !== preset.guide)
        .map((n, index) => (
          <p key={`${n.key}-${index}`} className={`help ${n.severity}`}>
            {text('records', n)}
          </p>
        ))}
      <pre className="all-records" data-testid="all-records" tabIndex={0} aria-label={t('recordsStep.allHeading')}>
        {formatted.text}
      </pre>
      <div className="row">
        <CopyButton text={formatted.text} label={t('recordsStep.copyAll')}>
          {t('recordsStep.copyAll')}
        </CopyButton>
        <button type="button" onClick={() => downloadText(`${set.domain}.zone`, zone.text)}>
          {t('recordsStep.downloadZone')}
        </button>
      </div>
    </section>
  );
}
