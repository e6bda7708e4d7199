/**
 * The audit log, newest first, a page at a time. The endpoint answers the newest `limit` entries, so page n asks
 * for (n + 1) pages and one entry more (which says whether there is a next page) and shows the last page's slice.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Schema } from '@mosy/client';
import { client } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { problemOf } from '../../problem.js';
import { Loaded, ListingTable } from './Listing.js';

type Entry = Schema<'AuditEntries'>['entries'][number];
export const AUDIT_PAGE = 20;

export function Audit({ onError }: { onError: (error: unknown) => void }) {
  const { t, language, formatNumber } = useI18n();
  const [page, setPage] = useState(0);
  // The page number travels with its rows: a pager that showed the asked-for page over the previous page's rows
  // (between the click and the answer) named a page it was not showing.
  const [entries, setEntries] = useState<
    { page: number; rows: Entry[]; more: boolean } | 'loading' | 'error'
  >('loading');

  const load = useCallback(() => {
    let current = true;
    setEntries('loading');
    client
      .GET('/v1/audit', { params: { query: { limit: String((page + 1) * AUDIT_PAGE + 1) } } })
      .then(({ data, error, response }) => {
        if (data === undefined) throw problemOf(response, error);
        const start = page * AUDIT_PAGE;
        // An answer for a page left meanwhile is dropped, so a slow one cannot overwrite a newer one.
        if (current)
          setEntries({
            page,
            rows: data.entries.slice(start, start + AUDIT_PAGE),
            more: data.entries.length > start + AUDIT_PAGE,
          });
      })
      .catch((error: unknown) => {
        onError(error);
        if (current) setEntries('error');
      });
    return () => {
      current = false;
    };
  }, [page, onError]);
  useEffect(load, [load]);

  const date = new Intl.DateTimeFormat(language === 'pt' ? 'pt-PT' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t.admin.audit}</h2>
      <p>{t.admin.auditIntro}</p>
      <Loaded value={entries} onRetry={load}>
        {(entries) => (
          <>
            {entries.rows.length === 0 ? (
              <p data-audit-empty="">{t.admin.auditEmpty}</p>
            ) : (
              <ListingTable
                name="audit"
                columns={[
                  { label: t.admin.when },
                  { label: t.admin.keyId },
                  { label: t.admin.role },
                  { label: t.admin.action },
                  { label: t.admin.resource },
                ]}
              >
                {entries.rows.map((e, i) => (
                  <tr key={`${e.at}-${i}`} data-action={e.action}>
                    <td>{date.format(e.at)}</td>
                    <td>
                      <code>{e.keyId}</code>
                    </td>
                    <td>{e.role}</td>
                    <td>{e.action}</td>
                    <td>
                      <code>
                        {e.resource}
                        {e.query === '' ? '' : `?${e.query}`}
                      </code>
                    </td>
                  </tr>
                ))}
              </ListingTable>
            )}
            <div class="pager">
              <button type="button" disabled={entries.page === 0} onClick={() => setPage(entries.page - 1)}>
                {t.admin.newer}
              </button>
              <span data-audit-page={entries.page + 1}>
                {t.admin.page.replace('{n}', formatNumber(entries.page + 1))}
              </span>
              <button type="button" disabled={!entries.more} onClick={() => setPage(entries.page + 1)}>
                {t.admin.older}
              </button>
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}
