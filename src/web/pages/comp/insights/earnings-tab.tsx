// Scaffold: replaced by the "My earnings" work (issue 5).
export function EarningsTab() {
  return null;
}
