import { useEffect, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { dnsProviderPresets, formatRecords, type DnsProviderPreset, type DnsRecord, type PresetId, type RecordNote } from '../../../shared/records/index.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { ResolverField } from '../components/ResolverField.js';
import { useCall } from '../hooks/useCall.js';
import { useKeyedText, useRecordWords } from '../text.js';
import { downloadText, hostIn, publishedQueryOf, recordDomainOf, recordSetOf, valueIn } from '../wizard/records.js';
import { useWizard } from '../wizard/state.js';

function whatToDo(record: DnsRecord): string {
  if (record.action === 'remove') return 'delete';
  if (record.action === 'address-owner') return 'owner';
  return record.change ?? 'publish';
}

function RecordRow({ record, origin, preset, notes }: { record: DnsRecord; origin: string; preset: DnsProviderPreset | null; notes: RecordNote[] }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const host = hostIn(preset, record, origin);
  const value = valueIn(preset, record);
  const action = whatToDo(record);
  const elsewhere = record.action === 'publish' && record.zone !== origin;
  return (
    <tbody className="record" data-record={record.name} data-purpose={record.purpose} data-change={action}>
      <tr>
        <th scope="row">
          <span className="record-purpose">{t(`recordsStep.purpose.${record.purpose}`)}</span>
          <br />
          <code>{host === '' ? record.name : host}</code> <code>{record.type}</code>{' '}
          <CopyButton text={host} label={t('recordsStep.copyNameOf', { name: record.name })}>
            {t('recordsStep.copyName')}
          </CopyButton>
          {elsewhere && <p className="elsewhere">{t('recordsStep.elsewhereIn', { zone: record.zone })}</p>}
        </th>
        <td className="published">
          {record.change === undefined && record.action !== 'remove' ? (
            <span className="help">{t('recordsStep.notRead')}</span>
          ) : record.change === 'unknown' ? (
            <span className="help">{t('recordsStep.cannotTell')}</span>
          ) : (record.published ?? []).length === 0 ? (
            <span className="help">{t('recordsStep.nothingPublished')}</span>
          ) : (
            (record.published ?? []).map((v) => (
              <code key={v} className="value" data-value>
                {v}
              </code>
            ))
          )}
        </td>
        <td className="to-publish">
          {record.action === 'remove' ? (
            <span className="help">—</span>
          ) : (
            <>
              <pre className="value" data-value>
                {value}
              </pre>
              <CopyButton text={value} label={t('recordsStep.copyValueOf', { name: record.name })} />
            </>
          )}
        </td>
        <td className="action">
          <span className={`badge ${action === 'keep' ? 'ok' : action === 'conflict' || action === 'delete' ? 'warn' : ''}`}>{t(`recordsStep.change.${action}`)}</span>
        </td>
      </tr>
      {notes.length > 0 && (
        <tr className="record-notes">
          <td colSpan={4}>
            <details open={notes.some((n) => n.severity === 'warning')}>
              <summary>{t('recordsStep.notesFor', { count: notes.length })}</summary>
              <ul className="notes">
                {notes.map((n, index) => (
                  <li key={`${n.key}-${index}`} className={n.severity}>
                    {text('records', n)}
                  </li>
                ))}
              </ul>
            </details>
          </td>
        </tr>
      )}
    </tbody>
  );
}

export function RecordsStep() {
  const { t } = useTranslation();
  const text = useKeyedText();
  const words = useRecordWords();
  const { values, update } = useWizard();
  const id = useId();
  const read = useCall('readPublishedRecords');
  const outcome = useMemo(() => recordSetOf(values), [values]);
  const domain = recordDomainOf(values);
  const query = domain === null ? null : publishedQueryOf(values, domain);
  // Typing DNS servers does not re-read at each keystroke: "Read again" does.
  const queryKey = JSON.stringify(query === null ? null : { ...query, resolvers: [] });

  // Start from what the domain publishes: read it on arrival (and when the question changes).
  const readNow = async () => {
    if (query === null) return;
    const published = await read.run(query);
    if (published) update({ published });
  };
  useEffect(() => {
    if (values.keys.length > 0) void readNow();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-read only when the question changes
  }, [queryKey, values.keys.length]);

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
  const preset = values.preset === 'zone' ? null : (dnsProviderPresets.find((p) => p.id === values.preset) ?? null);
  const formatted = formatRecords(set, values.preset, { origin: set.domain, words });
  const zone = formatRecords(set, 'zone', { words });
  const published = values.published !== null && values.published.domain === set.domain ? values.published : null;
  // Each note goes under the first record it is about; the others stay below the table.
  const notesOf = new Map<DnsRecord, RecordNote[]>();
  const general: RecordNote[] = [];
  for (const n of set.notes) {
    const owner = set.records.find((r) => r.purpose === n.purpose);
    if (owner) notesOf.set(owner, [...(notesOf.get(owner) ?? []), n]);
    else general.push(n);
  }

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('recordsStep.heading')}
      </h1>
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
      <p>{t('recordsStep.intro', { domain: set.domain })}</p>
      <p className="reassurance">{t('recordsStep.whenToPublish')}</p>

      <div className="row published-status" role="status">
        {read.state.status === 'loading' ? (
          <span>{t('recordsStep.reading', { domain: set.domain })}</span>
        ) : published ? (
          <span>
            {published.servers.length > 0 ? t('recordsStep.readFrom', { domain: set.domain, servers: published.servers.join(', ') }) : t('recordsStep.readNoServer', { domain: set.domain })}
          </span>
        ) : (
          <span>{t('recordsStep.notReadYet')}</span>
        )}
        {read.state.status !== 'loading' && (
          <button type="button" className="secondary" onClick={() => void readNow()}>
            {t('recordsStep.readAgain')}
          </button>
        )}
      </div>
      {read.state.status === 'error' && <ErrorNotice error={read.state.error} onRetry={() => void readNow()} />}
      <ResolverField />

      <table className="records-table" aria-label={t('recordsStep.tableLabel')}>
        <thead>
          <tr>
            <th scope="col">{t('recordsStep.colRecord')}</th>
            <th scope="col">{t('recordsStep.colPublished')}</th>
            <th scope="col">{t('recordsStep.colToPublish')}</th>
            <th scope="col">{t('recordsStep.colAction')}</th>
          </tr>
        </thead>
        {set.records.map((r) => (
          <RecordRow key={`${r.name}-${r.type}-${r.purpose}-${r.action}-${r.value}`} record={r} origin={set.domain} preset={preset} notes={notesOf.get(r) ?? []} />
        ))}
      </table>
      {general.length > 0 && (
        <ul className="notes">
          {general.map((n, index) => (
            <li key={`${n.key}-${index}`} className={n.severity}>
              {text('records', n)}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('recordsStep.allHeading')}</h2>
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
