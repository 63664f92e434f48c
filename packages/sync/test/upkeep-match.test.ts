import { describe, expect, it } from 'vitest';
import { backoffMs, normaliseName, renderDigest, sameVendor } from '../src';

describe('vendor matching', () => {
  it('normalises names', () => {
    expect(normaliseName('ACME Builders, Inc.')).toBe('acme builders');
    expect(normaliseName('Smith & Sons LLC')).toBe('smith and sons');
  });
  it('matches on name when tax ids agree or one is missing, never when they differ', () => {
    expect(sameVendor({ name: 'Acme Builders Inc', taxId: '12-3456789' }, { name: 'ACME BUILDERS', taxId: '123456789' })).toBe(true);
    expect(sameVendor({ name: 'Acme Builders', taxId: null }, { name: 'Acme Builders LLC', taxId: '1' })).toBe(true);
    expect(sameVendor({ name: 'Acme Builders', taxId: '1' }, { name: 'Acme Builders', taxId: '2' })).toBe(false);
    expect(sameVendor({ name: 'Acme', taxId: null }, { name: 'Acme Roofing', taxId: null })).toBe(false);
    expect(sameVendor({ name: 'Inc.', taxId: null }, { name: 'LLC', taxId: null })).toBe(false);
  });
});

describe('digest rendering and backoff', () => {
  it('renders counts and one escaped line per item in text and HTML', () => {
    const m = renderDigest('Acme <GC>', [
      { kind: 'project', id: '1', projectId: '1', label: 'Tower', url: 'https://p/1/project/home' },
      { kind: 'commitment', id: '9', projectId: '1', label: 'Tower: #SC-1 Steel & Co', url: 'https://p/1/c/9' },
    ]);
    expect(m.subject).toBe('myCOI for Procore: 1 project(s) and 1 commitment(s) not in myCOI');
    expect(m.text).toContain('- Tower — https://p/1/project/home');
    expect(m.text).toContain('Approved commitments (1):');
    expect(m.html).toContain('Acme &lt;GC&gt;');
    expect(m.html).toContain('<a href="https://p/1/c/9">Tower: #SC-1 Steel &amp; Co</a>');
  });
  it('backs off exponentially with a cap', () => {
    expect(backoffMs(1)).toBe(300_000);
    expect(backoffMs(2)).toBe(600_000);
    expect(backoffMs(30)).toBe(12 * 3600_000);
  });
});
