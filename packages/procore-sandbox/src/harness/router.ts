import { Router, type Request, type Response } from 'express';
import type { Deps } from '../http/context';
import { esc, framePage, spoofPage } from './page';
import { interpolate, readSidePanel } from './manifest';

export interface HarnessOptions {
  /** Where the side panel is served (the myCOI service); `?panel=` on a harness URL overrides it. */
  panelBaseUrl?: string;
  /** The app's name as listed in the Developer Portal (v4.1 manifests carry no name; Procore titles the panel with it). */
  appName?: string;
}

const DEFAULT_PANEL = 'http://localhost:3000';
const VIEW = {
  WorkOrderContract: 'commitments.work_order_contracts.detail',
  PurchaseOrderContract: 'commitments.purchase_order_contracts.detail',
  vendor: 'project_directory.vendors.edit',
} as const;

/**
 * The page that frames the side panel the way Procore does (GET /_harness/): a commitment detail
 * page or a Project Directory vendor page with the 400 px panel on the right, source_url from the
 * manifest with {{procore.*}} interpolated, the postMessage handshake (answers `initialize` with
 * `setup` to the panel's origin only) and the visible/hidden/destroy lifecycle.
 * Test switches: `handshake=off` (never answer), `spoof=1` (a cross-origin frame posts a forged setup).
 */
export function harnessRouter(deps: Deps, opts: HarnessOptions = {}): Router {
  const r = Router();
  const { store } = deps;
  const panel = readSidePanel();

  const panelBase = (req: Request) => {
    const q = typeof req.query.panel === 'string' && /^https?:\/\/[\w.-]+(:\d+)?\/?$/.test(req.query.panel) ? req.query.panel : null;
    return (q ?? opts.panelBaseUrl ?? DEFAULT_PANEL).replace(/\/$/, '');
  };
  const passThrough = (req: Request) => {
    const keep = new URLSearchParams();
    for (const k of ['panel', 'handshake', 'spoof']) if (typeof req.query[k] === 'string') keep.set(k, req.query[k] as string);
    const s = keep.toString();
    return s ? `?${s}` : '';
  };

  function render(
    req: Request,
    res: Response,
    p: {
      companyId: number;
      projectId: number;
      id: number;
      view: string;
      title: string;
      crumbs: string[];
      details: Array<[string, string]>;
    },
  ) {
    const company = store.companies.get(p.companyId);
    const project = store.projects.get(p.projectId);
    const base = panelBase(req);
    const iframeSrc = interpolate(
      panel.iframeSrc,
      {
        'procore.company.id': String(p.companyId),
        'procore.company.name': company?.name ?? '',
        'procore.project.id': String(p.projectId),
        'procore.project.name': project?.name ?? '',
      },
      base,
    );
    // The forged context comes from the other loopback name: a different origin than ours and the panel's.
    const otherHost = req.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    const spoofUrl = req.query.spoof === '1' ? `${req.protocol}://${otherHost}:${req.socket.localPort}/_harness/spoof` : null;
    res.type('html').send(
      framePage({
        title: p.title,
        breadcrumbs: p.crumbs,
        details: p.details,
        panelName: opts.appName ?? 'myCOI',
        iframeSrc,
        panelOrigin: new URL(base).origin,
        context: { company_id: p.companyId, project_id: p.projectId, id: p.id, view: p.view },
        handshake: req.query.handshake !== 'off',
        spoofUrl,
      }),
    );
  }

  r.get('/_harness/commitment/:id', (req, res) => {
    const c = store.commitments.get(Number(req.params.id));
    if (!c) return void res.status(404).type('text').send('No such commitment in the sandbox');
    const project = store.projects.get(c.project_id);
    const vendor = c.vendor_id ? store.vendors.get(c.vendor_id) : undefined;
    const view = VIEW[c.type as keyof typeof VIEW] ?? VIEW.WorkOrderContract;
    if (!panel.views.includes(view)) return void res.status(404).type('text').send(`The manifest has no side panel on ${view}`);
    render(req, res, {
      companyId: c.company_id,
      projectId: c.project_id,
      id: c.id,
      view,
      title: `${c.type === 'PurchaseOrderContract' ? 'Purchase Order' : 'Subcontract'} #${c.number}: ${c.title}`,
      crumbs: [store.companies.get(c.company_id)?.name ?? '', project?.name ?? '', 'Commitments', c.number],
      details: [
        ['Vendor', vendor?.name ?? '—'],
        ['Status', c.status],
        ['Executed', c.executed ? 'Yes' : 'No'],
        ['Grand total', `$${Number(c.grand_total).toLocaleString('en-US')}`],
      ],
    });
  });

  r.get('/_harness/vendor/:projectId/:vendorId', (req, res) => {
    const project = store.projects.get(Number(req.params.projectId));
    const vendor = store.vendors.get(Number(req.params.vendorId));
    if (!project || !vendor || vendor.company_id !== project.company_id)
      return void res.status(404).type('text').send('No such project vendor in the sandbox');
    if (!panel.views.includes(VIEW.vendor))
      return void res.status(404).type('text').send(`The manifest has no side panel on ${VIEW.vendor}`);
    render(req, res, {
      companyId: project.company_id,
      projectId: project.id,
      id: vendor.id,
      view: VIEW.vendor,
      title: `Edit vendor: ${vendor.name}`,
      crumbs: [store.companies.get(project.company_id)?.name ?? '', project.name, 'Directory', 'Companies', vendor.name],
      details: [
        ['Company', vendor.name],
        ['Email', vendor.email_address ?? '—'],
        ['Phone', vendor.business_phone ?? '—'],
        ['City', vendor.city ?? '—'],
      ],
    });
  });

  r.get('/_harness/spoof', (_req, res) => {
    res
      .type('html')
      .send(spoofPage({ type: 'setup', context: { company_id: 1001, project_id: 5001, id: 900002, view: VIEW.WorkOrderContract } }));
  });

  // A newcomer's starting point: every commitment and project vendor, each opening the framed panel.
  r.get(['/_harness', '/_harness/'], (req, res) => {
    const q = passThrough(req);
    const sections = [...store.companies.values()].map((co) => {
      const projects = [...(store.projectsByCompany.get(co.id) ?? [])].map((id) => store.projects.get(id)!).filter(Boolean);
      const items = projects.map((p) => {
        const cs = [...(store.commitmentsByProject.get(p.id) ?? [])]
          .map((id) => store.commitments.get(id)!)
          .filter((c) => c && !c.deleted_at);
        const vs = [...(store.projectVendors.get(p.id) ?? [])].map((id) => store.vendors.get(id)!).filter(Boolean);
        return `<li><strong>${esc(p.name)}</strong> (project ${p.id})<ul>${cs
          .map((c) => `<li><a href="/_harness/commitment/${c.id}${q}">${esc(c.number)} ${esc(c.title)}</a> — ${esc(c.status)}</li>`)
          .join(
            '',
          )}${vs.map((v) => `<li>Directory vendor: <a href="/_harness/vendor/${p.id}/${v.id}${q}">${esc(v.name)}</a></li>`).join('')}</ul></li>`;
      });
      return `<h2>${esc(co.name)} (company ${co.id})</h2><ul>${items.join('')}</ul>`;
    });
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Procore sandbox — side panel harness</title></head>
<body style="font-family:system-ui,sans-serif;max-width:860px;margin:24px auto;line-height:1.5">
<h1>Side panel harness</h1><p>Open a commitment or a Project Directory vendor: the page frames the myCOI side panel (${esc(panelBase(req))}/panel/) like Procore does.
Sign in to Procore as <code>pat@acme.test</code> / <code>password</code> and to myCOI as <code>risk@acme.test</code> / <code>password</code>.</p>${sections.join('')}</body></html>`);
  });

  return r;
}
