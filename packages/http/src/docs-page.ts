/**
 * The `/docs` page: one HTML string with inline CSS and script that fetches `/openapi.json` and lists every
 * operation (method, path, summary, parameters, request body, responses) and the component schemas. Written for
 * MoSy, with no third-party viewer, so it works offline and behind strict networks.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MoSy API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#1b1b1b}
h1{margin-bottom:0}h2{border-bottom:2px solid #ddd;margin-top:2rem}
details{border:1px solid #ddd;border-radius:6px;margin:.4rem 0;padding:.3rem .8rem}
summary{cursor:pointer}code,pre{font:13px/1.4 ui-monospace,monospace}
pre{background:#f5f5f5;padding:.6rem;overflow:auto;border-radius:4px}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}
.get{color:#0a6}.post{color:#06c}.put{color:#a60}.delete{color:#c22}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.2rem .4rem;text-align:left;vertical-align:top}
.lock{color:#888;font-size:12px}
</style>
</head>
<body>
<h1 id="title">MoSy API</h1>
<p id="intro">Loading <a href="/openapi.json">/openapi.json</a>…</p>
<main id="ops"></main>
<h2>Schemas</h2>
<main id="schemas"></main>
<script>
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
};
const pretty = (value) => el('pre', {}, JSON.stringify(value, null, 2));
const refName = (s) => (s && s.$ref ? s.$ref.split('/').pop() : undefined);
const schemaText = (s) => refName(s) || (s && s.type ? [].concat(s.type).join(' | ') + (s.enum ? ' (' + s.enum.join(', ') + ')' : '') : 'object');
fetch('/openapi.json').then((r) => r.json()).then((doc) => {
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  document.getElementById('intro').textContent = doc.info.description;
  const ops = document.getElementById('ops');
  for (const tag of doc.tags || []) {
    ops.append(el('h2', {}, tag.name), el('p', {}, tag.description));
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!(op.tags || []).includes(tag.name)) continue;
        const secured = (op.security || doc.security || []).length > 0;
        const body = el('div', {});
        const params = op.parameters || [];
        if (params.length) {
          const table = el('table', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'in'), el('th', {}, 'type'), el('th', {}, 'description')));
          for (const p of params) table.append(el('tr', {}, el('td', {}, el('code', {}, p.name + (p.required ? ' *' : ''))), el('td', {}, p.in), el('td', {}, schemaText(p.schema)), el('td', {}, p.description || '')));
          body.append(table);
        }
        if (op.requestBody) {
          body.append(el('p', {}, 'Request body: ' + Object.entries(op.requestBody.content).map(([type, c]) => type + ' → ' + schemaText(c.schema)).join('; ')));
        }
        const rows = el('table', {}, el('tr', {}, el('th', {}, 'status'), el('th', {}, 'content'), el('th', {}, 'description')));
        for (const [status, raw] of Object.entries(op.responses)) {
          const response = raw.$ref ? doc.components.responses[refName(raw)] : raw;
          const content = Object.entries(response.content || {}).map(([type, c]) => type + ' → ' + schemaText(c.schema)).join('; ');
          rows.append(el('tr', {}, el('td', {}, status), el('td', {}, content), el('td', {}, response.description)));
        }
        body.append(rows);
        ops.append(el('details', {}, el('summary', {}, el('span', { class: 'm ' + method }, method), el('code', {}, path), ' ', op.summary || '', secured ? el('span', { class: 'lock' }, ' 🔒 bearer') : ''), body));
      }
    }
  }
  const schemas = document.getElementById('schemas');
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    schemas.append(el('details', { id: 'schema-' + name }, el('summary', {}, el('code', {}, name), ' ', schema.description || ''), pretty(schema)));
  }
}).catch((error) => {
  document.getElementById('intro').textContent = 'Could not load /openapi.json: ' + error;
});
</script>
</body>
</html>
`;
