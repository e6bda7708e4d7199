/** Sign-in with an API key: the key goes to `POST /v1/session` once and is dropped from the page's state. */
import { useState } from 'preact/hooks';
import { signIn, type WhoAmI } from '../api.js';
import { useI18n } from '../i18n/index.js';

export function SignIn({ ended, onSignedIn }: { ended: boolean; onSignedIn: (who: WhoAmI) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>(ended ? t.sessionEnded : undefined);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('key') as HTMLInputElement;
    const key = input.value.trim();
    // The field is cleared at once: the key is not kept in the page once sent.
    input.value = '';
    setBusy(true);
    setMessage(undefined);
    signIn(key)
      .then((who) => {
        if (who === undefined) setMessage(t.signIn.invalid);
        else onSignedIn(who);
      })
      .catch(() => setMessage(t.signIn.failed))
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="page-title" class="sign-in">
      <h1 id="page-title">{t.signIn.title}</h1>
      <p>{t.signIn.intro}</p>
      <form onSubmit={submit}>
        <label for="key">{t.signIn.keyLabel}</label>
        <input id="key" name="key" type="password" autocomplete="off" required spellcheck={false} />
        <button type="submit" disabled={busy}>
          {busy ? t.signIn.busy : t.signIn.submit}
        </button>
      </form>
      {message === undefined ? null : (
        <p role="alert" class="error">
          {message}
        </p>
      )}
    </section>
  );
}
