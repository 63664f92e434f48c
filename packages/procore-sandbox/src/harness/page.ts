/** The HTML of the harness pages: Procore-like chrome around a 400 px side-panel iframe. */

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface FramePage {
  title: string;
  breadcrumbs: string[];
  details: Array<[string, string]>;
  panelName: string;
  iframeSrc: string;
  panelOrigin: string;
  context: { company_id: number; project_id: number; id: number; view: string };
  /** Test switches: don't answer `initialize`; add a cross-origin frame that posts a forged setup. */
  handshake: boolean;
  spoofUrl: string | null;
}

const STYLE = `
body{margin:0;font-family:Inter,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:14px;color:#232729;background:#f4f5f6}
header{background:#232729;color:#fff;padding:10px 16px;font-weight:600}
header small{font-weight:400;opacity:.7;margin-left:8px}
.crumbs{padding:8px 16px;color:#6a767c;font-size:12px}
.layout{display:flex;align-items:stretch;min-height:calc(100vh - 80px)}
main{flex:1;padding:16px 24px}
main h1{font-size:20px;margin:0 0 12px}
table.details{background:#fff;border:1px solid #d6dadc;border-collapse:collapse;min-width:420px}
table.details td{border-top:1px solid #eef0f1;padding:8px 12px}
table.details td:first-child{color:#6a767c;width:160px}
aside{width:400px;flex:none;background:#fff;border-left:1px solid #d6dadc;display:flex;flex-direction:column}
aside .bar{display:flex;justify-content:space-between;align-items:center;padding:8px 12px;border-bottom:1px solid #d6dadc;font-weight:600}
aside iframe{border:0;width:400px;flex:1;min-height:720px}
.dock{position:fixed;right:0;top:120px;background:#fff;border:1px solid #d6dadc;border-right:0;padding:8px;cursor:pointer}
.hidden{display:none}
#spoof{position:absolute;width:1px;height:1px;left:-10px;top:-10px;border:0}
a{color:#1d5cc9}
`;

export function framePage(p: FramePage): string {
  const ctx = JSON.stringify(p.context);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(p.title)} — Procore (sandbox)</title><style>${STYLE}</style></head>
<body>
<header>Procore <small>local sandbox — harness framing the ${esc(p.panelName)} side panel</small></header>
<nav class="crumbs" aria-label="Breadcrumb">${p.breadcrumbs.map(esc).join(' › ')} · <a href="/_harness/">all records</a></nav>
<div class="layout">
<main><h1>${esc(p.title)}</h1><table class="details">${p.details.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table></main>
<aside id="panel" aria-label="Side panel">
  <div class="bar"><span>${esc(p.panelName)}</span><span><button id="hide" type="button">Hide</button> <button id="close" type="button">Close</button></span></div>
  <iframe id="panel-frame" title="${esc(p.panelName)} side panel" src="${esc(p.iframeSrc)}"></iframe>
</aside>
</div>
<button class="dock hidden" id="dock" type="button">${esc(p.panelName)}</button>
${p.spoofUrl ? `<iframe id="spoof" title="unrelated frame" src="${esc(p.spoofUrl)}"></iframe>` : ''}
<script>
(function(){
  var PANEL_ORIGIN = ${JSON.stringify(p.panelOrigin)};
  var CONTEXT = ${ctx};
  var HANDSHAKE = ${p.handshake ? 'true' : 'false'};
  var frame = document.getElementById('panel-frame');
  var log = window.__harnessLog = [];
  function post(msg){ frame.contentWindow.postMessage(msg, PANEL_ORIGIN); log.push(['out', msg.type]); }
  // Procore answers the panel's {type:'initialize'} with {type:'setup', context} — only when the
  // message really comes from the panel frame's origin.
  window.addEventListener('message', function(ev){
    if (ev.source !== frame.contentWindow || ev.origin !== PANEL_ORIGIN) return;
    if (!ev.data || ev.data.type !== 'initialize') return;
    log.push(['in', 'initialize']);
    if (HANDSHAKE) post({ type: 'setup', context: CONTEXT });
  });
  var panel = document.getElementById('panel'), dock = document.getElementById('dock');
  document.getElementById('hide').onclick = function(){ panel.classList.add('hidden'); dock.classList.remove('hidden'); post({ type: 'sidepanel:app:hidden' }); };
  dock.onclick = function(){ panel.classList.remove('hidden'); dock.classList.add('hidden'); post({ type: 'sidepanel:app:visible' }); };
  document.getElementById('close').onclick = function(){ post({ type: 'sidepanel:app:destroy' }); };
  window.__harness = { post: post, context: CONTEXT };
})();
</script>
</body></html>`;
}

/** A page on another origin that tries to feed the panel a forged context (for the spoofing test). */
export function spoofPage(forged: object): string {
  return `<!doctype html><html><body><script>
(function(){
  var forged = ${JSON.stringify(forged)};
  function fire(){ try { var f = window.parent.frames[0]; f.postMessage(forged, '*'); f.postMessage({ type: 'sidepanel:app:destroy' }, '*'); } catch (e) {} }
  fire(); setInterval(fire, 200);
})();
</script></body></html>`;
}
