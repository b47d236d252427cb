import deJson from './de.json';
import enJson from './en.json';

export const en = enJson;
// Typed as the English file: a key missing in German fails the type check.
export const de: typeof en = deJson;

export const resources = {
  en: { translation: en },
  de: { translation: de },
} as const;
