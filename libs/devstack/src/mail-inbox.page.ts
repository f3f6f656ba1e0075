/**
 * The mail catcher's inbox page: one self-contained document (no build step, no CDN) that reads the
 * JSON API. Message HTML is shown in a sandboxed iframe without scripts; links open in a new tab so
 * confirmation and reset links in dev mail can be followed.
 */
export function inboxPage(smtpUrl: string): string {
  return PAGE.replace('__SMTP_URL__', escapeHtml(smtpUrl));
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mail inbox · Wholesail dev</title>
<style>
  :root { --border: #e3e6ea; --muted: #6b7280; --accent: #2563eb; --bg: #f6f7f9; --danger: #b91c1c; }
  * { box-sizing: border-box; }
  body { margin: 0; height: 100vh; display: flex; flex-direction: column; color: #111827;
         font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  header { display: flex; align-items: center; gap: 14px; padding: 10px 16px; border-bottom: 1px solid var(--border); }
  header h1 { margin: 0; font-size: 16px; }
  .muted { color: var(--muted); font-size: 12px; }
  .spacer { flex: 1; }
  button { font: inherit; padding: 5px 12px; border: 1px solid var(--border); border-radius: 6px; background: #fff; cursor: pointer; }
  button:hover { background: var(--bg); }
  button.danger { color: var(--danger); }
  main { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(260px, 380px) 1fr; }
  #list { margin: 0; padding: 0; list-style: none; overflow-y: auto; background: var(--bg); border-right: 1px solid var(--border); }
  #list li { padding: 10px 14px; border-bottom: 1px solid var(--border); background: #fff; cursor: pointer; }
  #list li:hover { background: #fafbff; }
  #list li.selected { background: #eef4ff; box-shadow: inset 3px 0 var(--accent); }
  #list li.unread .subject { font-weight: 600; }
  #list li.none { cursor: default; color: var(--muted); background: transparent; text-align: center; padding: 40px 16px; }
  .row { display: flex; justify-content: space-between; gap: 8px; }
  .ellipsis { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  #detail { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
  .meta { padding: 14px 18px; border-bottom: 1px solid var(--border); }
  .meta h2 { margin: 0 0 8px; font-size: 18px; }
  .meta dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; font-size: 13px; }
  .meta dt { color: var(--muted); }
  .meta dd { margin: 0; word-break: break-word; }
  .tabs { display: flex; gap: 4px; padding: 0 12px; border-bottom: 1px solid var(--border); }
  .tabs button { border: 0; border-bottom: 2px solid transparent; border-radius: 0; padding: 8px 10px; background: none; }
  .tabs button.active { border-bottom-color: var(--accent); color: var(--accent); }
  .pane { flex: 1; min-height: 0; overflow: auto; }
  .pane iframe { display: block; width: 100%; height: 100%; border: 0; background: #fff; }
  pre { margin: 0; padding: 16px 18px; white-space: pre-wrap; word-break: break-word; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; }
  table { border-collapse: collapse; margin: 12px 18px; font-size: 13px; }
  td { padding: 4px 12px 4px 0; vertical-align: top; border-bottom: 1px solid var(--border); word-break: break-word; }
  td:first-child { color: var(--muted); white-space: nowrap; }
  .empty { margin: auto; color: var(--muted); }
</style>
</head>
<body>
<header>
  <h1>Mail inbox</h1>
  <span class="muted" id="count"></span>
  <span class="spacer"></span>
  <span class="muted">SMTP __SMTP_URL__</span>
  <label class="muted"><input type="checkbox" id="auto" checked> auto refresh</label>
  <button id="refresh">Refresh</button>
  <button id="clear" class="danger">Delete all</button>
</header>
<main>
  <ul id="list"></ul>
  <section id="detail"><div class="empty">Select a message</div></section>
</main>
<script>
  const state = { messages: [], selected: null, tab: null };
  const seen = new Set(JSON.parse(localStorage.getItem('mail-seen') || '[]'));
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  const formatDate = (iso) => {
    const date = new Date(iso);
    return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
  };
  const formatSize = (bytes) =>
    bytes < 1024 ? bytes + ' B' : bytes < 1048576 ? (bytes / 1024).toFixed(1) + ' KB' : (bytes / 1048576).toFixed(1) + ' MB';

  async function api(method, path) {
    const response = await fetch(path, { method });
    if (!response.ok) throw new Error(method + ' ' + path + ': ' + response.status);
    return response.status === 204 ? null : response.json();
  }

  async function refresh() {
    try {
      state.messages = await api('GET', '/api/messages');
      $('count').textContent = state.messages.length + (state.messages.length === 1 ? ' message' : ' messages');
    } catch (error) {
      $('count').textContent = 'catcher not reachable';
      return;
    }
    renderList();
    if (state.selected && !state.messages.some((m) => m.id === state.selected.id)) showEmpty();
  }

  function renderList() {
    const items = state.messages.map((m) =>
      el('li', {
          class: [m.id === state.selected?.id ? 'selected' : '', seen.has(m.id) ? '' : 'unread'].join(' '),
          onclick: () => select(m.id),
        },
        el('div', { class: 'row muted' }, el('span', { class: 'ellipsis' }, m.from || '(no sender)'), el('span', {}, formatDate(m.date))),
        el('div', { class: 'subject ellipsis' }, m.subject || '(no subject)'),
        el('div', { class: 'muted ellipsis' }, 'To ' + m.to.join(', '))));
    $('list').replaceChildren(...(items.length ? items : [el('li', { class: 'none' }, 'No mail yet.')]));
  }

  function showEmpty() {
    state.selected = null;
    history.replaceState(null, '', location.pathname);
    $('detail').replaceChildren(el('div', { class: 'empty' }, 'Select a message'));
  }

  async function select(id) {
    let message;
    try { message = await api('GET', '/api/messages/' + encodeURIComponent(id)); } catch { return refresh(); }
    seen.add(id);
    localStorage.setItem('mail-seen', JSON.stringify([...seen].slice(-1000)));
    if (state.selected?.id !== id) state.tab = null;
    state.selected = message;
    history.replaceState(null, '', '#' + encodeURIComponent(id));
    renderList();
    renderDetail();
  }

  function renderDetail() {
    const m = state.selected;
    const tabs = [];
    if (m.html) tabs.push(['html', 'HTML']);
    if (m.text) tabs.push(['text', 'Text']);
    tabs.push(['headers', 'Headers']);
    if (m.attachments.length) tabs.push(['attachments', 'Attachments (' + m.attachments.length + ')']);
    if (!tabs.some(([key]) => key === state.tab)) state.tab = tabs[0][0];

    const field = (label, value) => [el('dt', {}, label), el('dd', {}, value)];
    $('detail').replaceChildren(
      el('div', { class: 'meta' },
        el('h2', {}, m.subject || '(no subject)'),
        el('dl', {}, ...field('From', m.headers.from || m.from), ...field('To', m.to.join(', ')),
          ...field('Date', formatDate(m.date)), ...field('Size', formatSize(m.size)))),
      el('nav', { class: 'tabs' }, ...tabs.map(([key, label]) =>
        el('button', { class: key === state.tab ? 'active' : '', onclick: () => { state.tab = key; renderDetail(); } }, label))),
      el('div', { class: 'pane' }, renderPane(m)));
  }

  function renderPane(m) {
    if (state.tab === 'html') {
      // No allow-scripts: mail HTML must not run code in this page. <base> makes links open in a new tab.
      const frame = el('iframe', { sandbox: 'allow-popups allow-popups-to-escape-sandbox', title: 'HTML body' });
      frame.srcdoc = '<base target="_blank">' + m.html;
      return frame;
    }
    if (state.tab === 'text') return el('pre', {}, m.text);
    const rows = state.tab === 'headers'
      ? Object.entries(m.headers).map(([name, value]) => [name, value])
      : m.attachments.map((a) => [a.filename || '(unnamed)', a.contentType + ', ' + formatSize(a.size)]);
    return el('table', {}, ...rows.map(([a, b]) => el('tr', {}, el('td', {}, a), el('td', {}, b))));
  }

  $('refresh').addEventListener('click', refresh);
  $('clear').addEventListener('click', async () => {
    if (!confirm('Delete all caught mail?')) return;
    await api('DELETE', '/api/messages');
    showEmpty();
    refresh();
  });
  setInterval(() => { if ($('auto').checked && !document.hidden) refresh(); }, 2000);
  // #<id> opens that message, so a message can be linked to.
  refresh().then(() => { if (location.hash.length > 1) select(decodeURIComponent(location.hash.slice(1))); });
</script>
</body>
</html>
`;
