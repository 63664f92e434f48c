import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseList } from '../src/parse';

const Rec = z.looseObject({ id: z.number(), name: z.string() });

describe('parseList', () => {
  it('keeps good records (with unknown fields) and reports bad ones by id', () => {
    const r = parseList(Rec, [{ id: 1, name: 'a', extra: true }, { id: 2, name: 5 }, { name: 'x' }, 'junk']);
    expect(r.items).toEqual([{ id: 1, name: 'a', extra: true }]);
    expect(r.invalid).toEqual([
      { id: 2, issues: [expect.stringMatching(/^name: /)] },
      { id: null, issues: [expect.stringMatching(/^id: /)] },
      { id: null, issues: [expect.stringMatching(/^\(root\): /)] },
    ]);
  });
  it('reports a non-array body', () => {
    expect(parseList(Rec, { errors: 'x' })).toEqual({
      items: [],
      invalid: [{ id: null, issues: ['(root): expected an array, got object'] }],
    });
  });
});
