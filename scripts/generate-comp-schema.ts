// Writes docs/schemas/comp-plan.schema.json (plan documents) and
// docs/schemas/comp-payouts.schema.json (payout runs) from their zod schemas.
// Run: npx tsx scripts/generate-comp-schema.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { payoutResultJsonSchema } from '../src/core/comp/payout-schema.js';
import { compPlanJsonSchema } from '../src/core/comp/plan-document.js';

mkdirSync('docs/schemas', { recursive: true });
writeFileSync('docs/schemas/comp-plan.schema.json', `${JSON.stringify(compPlanJsonSchema(), null, 2)}\n`);
writeFileSync('docs/schemas/comp-payouts.schema.json', `${JSON.stringify(payoutResultJsonSchema(), null, 2)}\n`);
console.log('wrote docs/schemas/comp-plan.schema.json and docs/schemas/comp-payouts.schema.json');
