/**
 * A mapping document to paste or upload, and, after the server refused it, the text as numbered lines with each
 * problem the server found next to the line it concerns (issues name paths such as `fields.sex.values.F`, located
 * in the text by `json-lines.ts`). A text that is not JSON is caught here first, with the line of the error.
 */
import { useI18n } from '../../i18n/index.js';
import { lineOfPath } from '../../json-lines.js';
import type { ProblemIssue } from '../../problem.js';

export interface MappingProblems {
  /** The text the issues are about (the textarea may have changed since). */
  readonly text: string;
  /** Each with its line when known (a syntax error), else located by its path. */
  readonly issues: readonly (ProblemIssue & { readonly line?: number })[];
}

/** Issues about the mapping, their paths made relative to the document (`mapping.fields…` → `fields…`). */
export function mappingIssues(issues: readonly ProblemIssue[], prefix: string): ProblemIssue[] {
  return issues.map((i) => ({
    ...i,
    field:
      i.field === prefix ? '' : i.field.startsWith(`${prefix}.`) ? i.field.slice(prefix.length + 1) : i.field,
  }));
}

export function MappingEditor({
  id,
  text,
  onText,
  problems,
}: {
  id: string;
  text: string;
  onText: (text: string) => void;
  problems: MappingProblems | undefined;
}) {
  const { t } = useI18n();
  const upload = (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (file !== undefined) void file.text().then(onText);
  };
  return (
    <div class="mapping-editor">
      <label for={`${id}-text`}>{t.admin.mappingLabel}</label>
      <textarea
        id={`${id}-text`}
        name="mapping"
        rows={12}
        spellcheck={false}
        value={text}
        onInput={(e) => onText(e.currentTarget.value)}
        aria-describedby={problems === undefined ? undefined : `${id}-problems`}
      />
      <label for={`${id}-file`}>{t.admin.mappingUpload}</label>
      <input id={`${id}-file`} type="file" accept=".json,application/json" onChange={upload} />
      {problems === undefined ? null : <ProblemLines id={`${id}-problems`} problems={problems} />}
    </div>
  );
}

function ProblemLines({ id, problems }: { id: string; problems: MappingProblems }) {
  const { t } = useI18n();
  const lines = problems.text.split('\n');
  const byLine = new Map<number, ProblemIssue[]>();
  for (const issue of problems.issues) {
    const line = issue.line ?? lineOfPath(problems.text, issue.field) ?? 1;
    byLine.set(line, [...(byLine.get(line) ?? []), issue]);
  }
  return (
    <div id={id} class="problem-lines" role="alert">
      <p class="error">{t.admin.mappingRefused.replace('{n}', String(problems.issues.length))}</p>
      <ol>
        {lines.map((line, i) => {
          const issues = byLine.get(i + 1);
          return (
            <li key={i} data-line={i + 1} class={issues === undefined ? undefined : 'has-problem'}>
              <code>{line === '' ? ' ' : line}</code>
              {issues?.map((issue, j) => (
                <p key={j} class="problem error" data-field={issue.field}>
                  {issue.message}
                </p>
              ))}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
