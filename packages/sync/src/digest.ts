import type { RunContext } from './context';
import { contentHash } from './hash';
import type { MailerPort, MailMessage, ProcoreProject } from './ports';

export interface DigestItem {
  kind: 'project' | 'commitment';
  id: string;
  projectId: string;
  label: string;
  url: string;
}

export interface DigestOptions {
  /** Procore web app base (https://app.procore.com; the sandbox URL in the demo) */
  procoreAppUrl: string;
  mailer: MailerPort;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function projectUrl(base: string, projectId: string): string {
  return `${base.replace(/\/$/, '')}/${encodeURIComponent(projectId)}/project/home`;
}

export function commitmentUrl(base: string, projectId: string, type: string, id: string): string {
  const tool = type === 'purchase_order' ? 'purchase_order_contracts' : 'work_order_contracts';
  return `${base.replace(/\/$/, '')}/${encodeURIComponent(projectId)}/project/commitments/${tool}/${encodeURIComponent(id)}`;
}

/** Procore projects and approved commitments that myCOI does not know (no link recorded). */
export async function digestItems(ctx: RunContext, projects: ProcoreProject[], base: string): Promise<DigestItem[]> {
  const linked = await ctx.pool.query<{ procore_id: string }>(`select procore_id from links where tenant_id = $1 and kind = 'project'`, [
    ctx.tenant.id,
  ]);
  const linkedProjects = new Set(linked.rows.map((r) => r.procore_id));
  const items: DigestItem[] = projects
    .filter((p) => p.active && !linkedProjects.has(p.id))
    .map((p) => ({ kind: 'project', id: p.id, projectId: p.id, label: p.name, url: projectUrl(base, p.id) }));
  const names = new Map(projects.map((p) => [p.id, p.name]));
  const commitments = await ctx.pool.query<{
    id: string;
    project: string;
    type: string;
    title: string | null;
    number: string | null;
    vendor: string | null;
  }>(
    `select u.procore_commitment_id as id, u.procore_project_id as project, u.commitment_type as type, u.title, u.number,
        u.vendor_name as vendor
     from upkeep_commitments u
     where u.tenant_id = $1 and u.status = any($2::text[])
       and not exists (select 1 from links l where l.tenant_id = u.tenant_id and l.kind = 'commitment' and l.procore_id = u.procore_commitment_id)
     order by u.procore_project_id, u.procore_commitment_id`,
    [ctx.tenant.id, ctx.tenant.settings.approvedStatuses],
  );
  for (const c of commitments.rows) {
    const label = [c.number ? `#${c.number}` : null, c.title, c.vendor ? `(${c.vendor})` : null].filter(Boolean).join(' ');
    items.push({
      kind: 'commitment',
      id: c.id,
      projectId: c.project,
      label: `${names.get(c.project) ?? `Project ${c.project}`}: ${label || `Commitment ${c.id}`}`,
      url: commitmentUrl(base, c.project, c.type, c.id),
    });
  }
  return items;
}

export function renderDigest(tenantName: string, items: DigestItem[]): Omit<MailMessage, 'to'> {
  const projects = items.filter((i) => i.kind === 'project');
  const commitments = items.filter((i) => i.kind === 'commitment');
  const subject = `myCOI for Procore: ${projects.length} project(s) and ${commitments.length} commitment(s) not in myCOI`;
  const section = (title: string, list: DigestItem[]) =>
    list.length === 0 ? [] : [`${title} (${list.length}):`, ...list.map((i) => `- ${i.label} — ${i.url}`), ''];
  const text = [
    `${tenantName}: these Procore records are not in myCOI yet.`,
    '',
    ...section('Projects', projects),
    ...section('Approved commitments', commitments),
    'Create them from the myCOI side panel in Procore, or link them to the existing myCOI record.',
  ].join('\n');
  const htmlSection = (title: string, list: DigestItem[]) =>
    list.length === 0
      ? ''
      : `<h3>${escapeHtml(title)} (${list.length})</h3><ul>${list
          .map((i) => `<li><a href="${escapeHtml(i.url)}">${escapeHtml(i.label)}</a></li>`)
          .join('')}</ul>`;
  const html = `<p>${escapeHtml(tenantName)}: these Procore records are not in myCOI yet.</p>${htmlSection('Projects', projects)}${htmlSection(
    'Approved commitments',
    commitments,
  )}<p>Create them from the myCOI side panel in Procore, or link them to the existing myCOI record.</p>`;
  return { subject, text, html };
}

/**
 * Email the digest when the set of unmatched items differs from the last one recorded. An empty set
 * is recorded (so the same items reappearing later count as a change) but not emailed.
 */
export async function sendDigestIfChanged(ctx: RunContext, projects: ProcoreProject[], opts: DigestOptions): Promise<boolean> {
  const items = await digestItems(ctx, projects, opts.procoreAppUrl);
  const hash = contentHash(items.map((i) => `${i.kind}:${i.id}`).sort());
  const last = await ctx.pool.query<{ items_hash: string }>(
    'select items_hash from digests where tenant_id = $1 order by id desc limit 1',
    [ctx.tenant.id],
  );
  if (last.rows[0]?.items_hash === hash || (last.rows.length === 0 && items.length === 0)) return false;
  const recipients = ctx.tenant.settings.digestRecipients;
  if (items.length > 0 && recipients.length === 0) {
    // not recorded: once someone adds a recipient, the current set is still news to them
    ctx.error('no_digest_recipients', 'unmatched Procore records exist but the tenant has no digest recipients');
    return false;
  }
  let messageId: string | null = null;
  let sent = false;
  if (items.length > 0 && recipients.length > 0) {
    const info = await opts.mailer.send({ to: recipients, ...renderDigest(ctx.tenant.name, items) });
    messageId = (info && info.messageId) || null;
    sent = true;
    ctx.add('digestsSent');
  }
  await ctx.pool.query(
    `insert into digests (tenant_id, items_hash, project_count, commitment_count, items, recipients, sent_at, message_id)
     values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
    [
      ctx.tenant.id,
      hash,
      items.filter((i) => i.kind === 'project').length,
      items.filter((i) => i.kind === 'commitment').length,
      JSON.stringify(items),
      JSON.stringify(recipients),
      sent ? new Date() : null,
      messageId,
    ],
  );
  return sent;
}
