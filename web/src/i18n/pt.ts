/** Every string of the web app in Portuguese (Portugal); the keys are those of `en.ts`. */
import type { Messages } from './en.js';

export const pt: Messages = {
  appName: 'MoSy',
  appTagline: 'Monitorização do tráfico de seres humanos',
  language: 'Idioma',
  skipToContent: 'Saltar para o conteúdo',
  signIn: {
    title: 'Entrar',
    intro:
      'Entre com a sua chave de API do MoSy. A chave é trocada por uma sessão e não fica guardada neste navegador.',
    keyLabel: 'Chave de API',
    submit: 'Entrar',
    busy: 'A entrar…',
    invalid: 'A chave não foi aceite. Verifique-a ou peça uma nova ao administrador.',
    failed: 'Não foi possível contactar o servidor. Verifique a ligação e tente de novo.',
  },
  signOut: 'Sair',
  signedInAs: 'Sessão iniciada como',
  roles: { provider: 'fornecedor', analyst: 'analista', coordinator: 'coordenador', admin: 'administrador' },
  nav: {
    label: 'Páginas',
    dashboard: 'Painel',
    reports: 'Construtor de relatórios',
    map: 'Mapa',
    projection: 'Projeção',
    quality: 'Fornecedores e qualidade dos dados',
    entry: 'Introdução de dados',
    exports: 'Exportações',
    admin: 'Administração',
  },
  coming: 'em breve',
  comingText: 'Esta página chega numa versão futura.',
  loading: 'A carregar…',
  sessionEnded: 'A sua sessão terminou. Entre de novo.',
  loadFailed:
    'Não foi possível carregar os dados. Recarregue a página; se persistir, informe o administrador.',
  retry: 'Tentar de novo',
  notFound: 'Esta página não existe.',
  dashboard: {
    title: 'Painel',
    intro: 'Indicadores-chave, último trimestre. Os valores têm controlo de divulgação para analistas.',
    indicator: 'Indicador',
    quarter: 'Último trimestre',
    value: 'Valor',
    unit: 'Unidade',
    units: { persons: 'pessoas', cases: 'casos' },
    withheld: 'omitido',
    noData: 'sem dados',
  },
};
