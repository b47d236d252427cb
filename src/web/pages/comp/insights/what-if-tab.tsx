// Scaffold: replaced by the what-if work (issue 5).
export function WhatIfTab() {
  return null;
}
