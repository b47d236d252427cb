/** Currencies offered in pickers; the workspace's own currency is always added. */
export const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'JPY', 'CAD', 'AUD', 'SGD', 'INR', 'BRL'] as const;

export function currencyOptions(current: readonly string[], name: (code: string) => string) {
  const codes = [...new Set([...current.filter(Boolean), ...COMMON_CURRENCIES])];
  return codes.map((code) => ({ value: code, label: `${code} · ${name(code)}` }));
}
