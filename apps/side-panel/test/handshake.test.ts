// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { originAllowed } from '../src/procore/origins';
import { parseProcoreMessage } from '../src/procore/handshake';

const PROCORE = ['https://app.procore.com', 'https://*.procore.com', 'https://sandbox.procore.com'];

describe('originAllowed', () => {
  it('accepts Procore origins, exact and by subdomain wildcard', () => {
    expect(originAllowed('https://app.procore.com', PROCORE)).toBe(true);
    expect(originAllowed('https://us02.procore.com', PROCORE)).toBe(true);
    expect(originAllowed('https://a.b.procore.com', PROCORE)).toBe(true);
  });

  it('refuses look-alikes, other schemes and ports, and non-origins', () => {
    for (const o of [
      'https://procore.com.evil.test',
      'https://evilprocore.com',
      'http://app.procore.com',
      'https://app.procore.com:8443',
      'https://procore.com',
      'https://app.procore.com/',
      'null',
      '',
      'javascript:alert(1)',
    ]) {
      expect(originAllowed(o, PROCORE), o).toBe(false);
    }
  });
});

describe('parseProcoreMessage', () => {
  it('reads setup with numeric or string ids', () => {
    expect(
      parseProcoreMessage({
        type: 'setup',
        context: { company_id: 1001, project_id: '5001', id: 900001, view: 'commitments.work_order_contracts.detail' },
      }),
    ).toEqual({
      type: 'setup',
      context: { companyId: '1001', projectId: '5001', id: '900001', view: 'commitments.work_order_contracts.detail' },
    });
    expect(parseProcoreMessage({ type: 'sidepanel:app:destroy' })).toEqual({ type: 'destroy' });
  });

  it('ignores anything malformed', () => {
    for (const m of [
      null,
      'setup',
      { type: 'setup' },
      { type: 'setup', context: { company_id: 1, project_id: 2, id: -3, view: 'x.y.detail' } },
      { type: 'setup', context: { company_id: 1, project_id: 2, id: 3, view: '<script>' } },
      { type: 'authentication.success' },
    ]) {
      expect(parseProcoreMessage(m)).toBeNull();
    }
  });
});
