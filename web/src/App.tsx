/**
 * The app shell: asks the server who is signed in, shows the sign-in page or the role's navigation and the page
 * named by the location's hash, and the language choice. A 401 from any page returns to sign-in.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { SignedOut, signOut, whoAmI, type WhoAmI } from './api.js';
import {
  I18nContext,
  LANGUAGES,
  i18nFor,
  storeLanguage,
  storedLanguage,
  type Language,
} from './i18n/index.js';
import { pageFromHash, pagesFor } from './pages.js';
import { SignIn } from './pages/SignIn.js';
import { Status } from './pages/Status.js';
import { VIEWS } from './views.js';

type Session =
  { state: 'loading' } | { state: 'error' } | { state: 'out'; ended: boolean } | { state: 'in'; who: WhoAmI };

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

export function App() {
  const [language, setLanguage] = useState<Language>(storedLanguage);
  const i18n = useMemo(() => i18nFor(language), [language]);
  const { t } = i18n;
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const hash = useHash();

  const load = useCallback(() => {
    setSession({ state: 'loading' });
    whoAmI()
      .then((who) => setSession(who === undefined ? { state: 'out', ended: false } : { state: 'in', who }))
      .catch(() => setSession({ state: 'error' }));
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const onError = useCallback((error: unknown) => {
    if (error instanceof SignedOut) setSession({ state: 'out', ended: true });
  }, []);

  const chooseLanguage = (next: Language) => {
    storeLanguage(next);
    setLanguage(next);
  };

  const doSignOut = () => {
    signOut()
      .catch(() => undefined)
      .finally(() => {
        history.replaceState(null, '', location.pathname);
        setSession({ state: 'out', ended: false });
      });
  };

  let main;
  let nav = null;
  switch (session.state) {
    case 'loading':
      main = <Status kind="loading" />;
      break;
    case 'error':
      main = <Status kind="error" onRetry={load} />;
      break;
    case 'out':
      main = <SignIn ended={session.ended} onSignedIn={(who) => setSession({ state: 'in', who })} />;
      break;
    case 'in': {
      const { role } = session.who;
      const page = pageFromHash(hash, role);
      nav = (
        <nav aria-label={t.nav.label}>
          <ul>
            {pagesFor(role).map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={p.id === page?.id ? 'page' : undefined} data-page={p.id}>
                  {t.nav[p.id]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      );
      const View = page === undefined ? undefined : VIEWS[page.id];
      main = View === undefined ? <p role="alert">{t.notFound}</p> : <View onError={onError} role={role} />;
      break;
    }
  }

  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip" href="#main">
        {t.skipToContent}
      </a>
      <header>
        <div class="brand">
          <strong>{t.appName}</strong> <span>{t.appTagline}</span>
        </div>
        <div class="tools">
          <label>
            {t.language}{' '}
            <select value={language} onChange={(e) => chooseLanguage(e.currentTarget.value as Language)}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {l === 'en' ? 'English' : 'Português'}
                </option>
              ))}
            </select>
          </label>
          {session.state === 'in' ? (
            <>
              <span class="who" data-role={session.who.role}>
                {t.signedInAs} {t.roles[session.who.role]}
                {session.who.providerId === undefined ? '' : ` (${session.who.providerId})`}
              </span>
              <button type="button" onClick={doSignOut}>
                {t.signOut}
              </button>
            </>
          ) : null}
        </div>
      </header>
      {nav}
      <main id="main" tabIndex={-1}>
        {main}
      </main>
    </I18nContext.Provider>
  );
}
