import deJson from './de.json';
import enJson from './en.json';
import compEditorDe from './compEditor.de.json';
import compEditorEn from './compEditor.en.json';
import compInsightsDe from './compInsights.de.json';
import compInsightsEn from './compInsights.en.json';
import forecastDe from './forecast.de.json';
import forecastEn from './forecast.en.json';
import planningDe from './planning.de.json';
import planningEn from './planning.en.json';

// Feature areas keep their strings in their own files (one namespace key each), so
// parallel work on different areas never edits the same file.
export const en = {
  ...enJson,
  planning: planningEn,
  forecast: forecastEn,
  compEditor: compEditorEn,
  compInsights: compInsightsEn,
};
// Typed as the English files: a key missing in German fails the type check.
export const de: typeof en = {
  ...deJson,
  planning: planningDe,
  forecast: forecastDe,
  compEditor: compEditorDe,
  compInsights: compInsightsDe,
};

export const resources = {
  en: { translation: en },
  de: { translation: de },
} as const;
