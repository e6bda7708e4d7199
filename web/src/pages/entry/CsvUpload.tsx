/**
 * A CSV export (header `recordId,version,action,kind,referenceDate,fields.<name>…,identity.<name>…`) previewed
 * first: the server checks it as a submission (`dryRun=true`) and answers the receipt it would give, accepting
 * nothing. Then it can be sent for real, and the receipt shown the same way.
 */
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { submitCsv, type Receipt } from '../../entry/send.js';
import { messageOf } from '../../problem.js';

export function CsvUpload({ onError }: { onError: (error: unknown) => void }) {
  const { t, formatNumber } = useI18n();
  const [file, setFile] = useState<File | undefined>(undefined);
  const [receipt, setReceipt] = useState<Receipt | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const run = (dryRun: boolean) => {
    if (file === undefined) return;
    setBusy(true);
    setMessage(undefined);
    submitCsv(file, dryRun)
      .then((answer) => {
        if (answer === undefined) setMessage(t.entry.csvOffline);
        setReceipt(answer);
        if (!dryRun && answer !== undefined) setFile(undefined);
      })
      .catch((error: unknown) => {
        onError(error);
        setReceipt(undefined);
        setMessage(messageOf(error));
      })
      .finally(() => setBusy(false));
  };

  const rejected = receipt?.records.filter((r) => r.status === 'rejected') ?? [];
  return (
    <section aria-labelledby="csv-title" class="csv">
      <h2 id="csv-title">{t.entry.csvTitle}</h2>
      <p class="hint">{t.entry.csvHint}</p>
      <label for="csv-file">{t.entry.csvFile}</label>
      <input
        id="csv-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => {
          setFile(e.currentTarget.files?.[0]);
          setReceipt(undefined);
        }}
      />
      <div class="buttons">
        <button type="button" disabled={file === undefined || busy} onClick={() => run(true)}>
          {t.entry.csvPreview}
        </button>
        <button
          type="button"
          disabled={file === undefined || busy || receipt?.dryRun !== true}
          onClick={() => run(false)}
        >
          {t.entry.csvSubmit}
        </button>
      </div>
      {message === undefined ? null : (
        <p role="alert" class="error">
          {message}
        </p>
      )}
      {receipt === undefined ? null : (
        <div class="receipt" role="status" data-receipt={receipt.dryRun === true ? 'preview' : 'submitted'}>
          <p>{receipt.dryRun === true ? t.entry.csvPreviewNote : t.entry.csvSubmitted}</p>
          <ul class="counts">
            <li data-count="accepted" data-n={receipt.accepted}>
              {t.entry.csvAccepted}: <strong>{formatNumber(receipt.accepted)}</strong>
            </li>
            <li data-count="duplicates" data-n={receipt.duplicates}>
              {t.entry.csvDuplicates}: <strong>{formatNumber(receipt.duplicates)}</strong>
            </li>
            <li data-count="rejected" data-n={receipt.rejected}>
              {t.entry.csvRejected}: <strong>{formatNumber(receipt.rejected)}</strong>
            </li>
          </ul>
          {rejected.length === 0 ? null : (
            <table class="listing" data-table="rejected">
              <thead>
                <tr>
                  <th scope="col">{t.entry.csvLine}</th>
                  <th scope="col">{t.entry.recordId}</th>
                  <th scope="col">{t.entry.csvReasons}</th>
                </tr>
              </thead>
              <tbody>
                {rejected.map((r) => (
                  <tr key={r.index} data-line={(r.index ?? 0) + 2}>
                    <td>{formatNumber((r.index ?? 0) + 2)}</td>
                    <td>{r.recordId}</td>
                    <td>
                      <ul class="field-issues">
                        {(r.issues ?? []).map((issue, i) => (
                          <li key={i}>
                            <code>{issue.field}</code> {issue.message}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
