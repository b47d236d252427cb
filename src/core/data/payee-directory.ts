import type { Parsed } from './values.js';
import { isUuid } from '../uuid.js';

/** What an import needs to know of a payee to resolve a reference to it. */
export interface PayeeRef {
  id: string;
  externalRef: string | null;
  email: string | null;
  displayName: string;
}

export interface PayeeDirectory {
  /**
   * Resolves a reference in this order: payee id, external reference (exact, then
   * case-insensitive), e-mail (case-insensitive), display name (case-insensitive; two payees
   * with the name make it ambiguous).
   */
  resolve(reference: string): Parsed<string>;
  readonly size: number;
}

const AMBIGUOUS = '\u0000ambiguous';

/**
 * An in-memory index over a tenant's payees (10,000 payees take a few MB).
 * @example buildPayeeDirectory([{ id, externalRef: 'EMP-1', email: 'a@x.de', displayName: 'Ann' }]).resolve('emp-1') // { ok: true, value: id }
 */
export function buildPayeeDirectory(payees: readonly PayeeRef[]): PayeeDirectory {
  const ids = new Set<string>();
  const refs = new Map<string, string>();
  const refsFolded = new Map<string, string>();
  const emails = new Map<string, string>();
  const names = new Map<string, string>();
  const add = (map: Map<string, string>, key: string, id: string) => {
    const existing = map.get(key);
    map.set(key, existing !== undefined && existing !== id ? AMBIGUOUS : id);
  };
  for (const payee of payees) {
    ids.add(payee.id.toLowerCase());
    if (payee.externalRef) {
      refs.set(payee.externalRef, payee.id);
      add(refsFolded, payee.externalRef.toLowerCase(), payee.id);
    }
    if (payee.email) add(emails, payee.email.toLowerCase(), payee.id);
    add(names, payee.displayName.trim().toLowerCase().replace(/\s+/g, ' '), payee.id);
  }
  const cache = new Map<string, Parsed<string>>();
  const lookup = (reference: string): Parsed<string> => {
    const text = reference.trim();
    if (isUuid(text) && ids.has(text.toLowerCase())) return { ok: true, value: text.toLowerCase() };
    const exact = refs.get(text);
    if (exact !== undefined) return { ok: true, value: exact };
    const folded = text.toLowerCase();
    for (const [map, what] of [[refsFolded, 'external reference'], [emails, 'e-mail'], [names, 'name']] as const) {
      const id = map.get(what === 'name' ? folded.replace(/\s+/g, ' ') : folded);
      if (id === AMBIGUOUS) return { ok: false, code: 'ambiguous_owner', message: `several payees have the ${what} "${text}"` };
      if (id !== undefined) return { ok: true, value: id };
    }
    return { ok: false, code: 'unknown_owner', message: `no payee with the id, reference, e-mail or name "${text}"` };
  };
  return {
    size: payees.length,
    resolve(reference) {
      // Owners repeat across rows: remember answers (bounded by the number of distinct references).
      let answer = cache.get(reference);
      if (answer === undefined) {
        answer = lookup(reference);
        if (cache.size < 100_000) cache.set(reference, answer);
      }
      return answer;
    },
  };
}
