/** Incentive compensation: plan documents, crediting, the payout engine, forecasts and what-if. */
export { calculatePayouts, selectCredits, bonusAmount } from './calculate.js';
export { creditRecords, allocateSplits, compareCredits, type CompRecord, type Credit, type CreditingRules, type CreditingResult, type TeamNode } from './crediting.js';
export { forecastPayout, type DealForecast, type OpenDeal, type PayoutForecast } from './forecast.js';
export { allocate, formatMoney, minor, parseDecimal, parseMajor, roundMinor } from './money.js';
export { PayoutResultSchema, payoutResultJsonSchema } from './payout-schema.js';
export { compPlanJsonSchema, CompPlanDocument, type CompPlanDocumentInput } from './plan-document.js';
export { compilePlan, parseCompPlan, type CompIssue, type CompiledComponent, type CompPlan, type CreditKind, type PlanParseResult, type TierMode } from './plan.js';
export { payeeSegments, type Segment } from './proration.js';
export { priceBase, type Pricing } from './rate-table.js';
export { comparePlans, type Scenario, type WhatIfResult } from './what-if.js';
export type * from './payout-types.js';
