/**
 * The template library: fifteen sales OKRs (from the seed text's examples, in our own words,
 * in English and German, with its figures). Each key result is bound to a catalogue metric
 * where sales data can measure it; the others are manual numbers, percentages or milestones,
 * with a note on how to track them.
 */
import type { Label } from '../data/datasets.js';

export type ObjectiveCategory = 'revenue' | 'customer' | 'product' | 'process' | 'team';
export type KeyResultKind = 'metric' | 'number' | 'percent' | 'currency' | 'milestone' | 'checklist' | 'guardrail';

export interface KeyResultTemplate {
  title: Label;
  kind: KeyResultKind;
  direction: 'increase' | 'decrease';
  /** Absolute target (absent for milestones and for targets relative to a baseline). */
  target?: number;
  /** Start value; 0 when absent (a relative target starts from the baseline's value). */
  start?: number;
  unit: 'count' | 'money' | 'percent' | 'days' | 'hours' | 'number';
  /** "+10 % against last quarter": the target is the baseline period's value changed by this percentage. */
  relative?: { baseline: 'previous_period' | 'same_period_last_year'; changePercent: number };
  /** The catalogue metric that measures it, and the parameters the user picks when creating it. */
  metric?: { key: string; parameters?: readonly ('product' | 'region' | 'channel')[] };
  /** How to track a key result that sales data cannot measure. */
  trackingNote?: Label;
  checklist?: readonly Label[];
}

export interface OkrTemplate {
  id: string;
  category: ObjectiveCategory;
  commitment: 'committed' | 'aspirational';
  title: Label;
  description: Label;
  keyResults: readonly KeyResultTemplate[];
}

const l = (en: string, de: string): Label => ({ en, de });
const manual = (en: string, de: string): Label => l(en, de);

export const OKR_TEMPLATES: readonly OkrTemplate[] = [
  {
    id: 'grow-quarterly-revenue',
    category: 'revenue',
    commitment: 'committed',
    title: l('Grow this quarter’s revenue', 'Den Quartalsumsatz steigern'),
    description: l(
      'Close more business this quarter: find the biggest opportunities, make each deal count and follow up on every promising lead.',
      'In diesem Quartal mehr Geschäft abschließen: die größten Chancen erkennen, jeden Abschluss ausschöpfen und jedem vielversprechenden Lead nachgehen.',
    ),
    keyResults: [
      { title: l('Book $500,000 in closed-won revenue', 'Gewonnene Abschlüsse über 500.000 $ buchen'), kind: 'metric', unit: 'money', direction: 'increase', target: 500_000, metric: { key: 'revenue' } },
      { title: l('Win 50 new deals', '50 neue Abschlüsse gewinnen'), kind: 'metric', unit: 'count', direction: 'increase', target: 50, metric: { key: 'deals_won' } },
      { title: l('Lift the average deal size by 10 % over last quarter', 'Die durchschnittliche Abschlussgröße gegenüber dem Vorquartal um 10 % erhöhen'), kind: 'metric', unit: 'money', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 10 }, metric: { key: 'avg_deal_size' } },
    ],
  },
  {
    id: 'keep-customers-longer',
    category: 'customer',
    commitment: 'committed',
    title: l('Keep our customers longer', 'Kunden länger an uns binden'),
    description: l(
      'Make customers loyal and happy so fewer leave and each stays worth more: better service, personal attention and problems solved fast.',
      'Kunden zufrieden und treu halten, damit weniger abwandern und jeder länger Wert schafft: besserer Service, persönliche Betreuung, schnell gelöste Probleme.',
    ),
    keyResults: [
      { title: l('Renew 85 % of contracts that come up for renewal', '85 % der auslaufenden Verträge verlängern'), kind: 'metric', unit: 'percent', direction: 'increase', target: 85, metric: { key: 'renewal_rate' } },
      { title: l('Cut the churn rate by 5 % against last quarter', 'Die Abwanderungsrate gegenüber dem Vorquartal um 5 % senken'), kind: 'metric', unit: 'percent', direction: 'decrease', relative: { baseline: 'previous_period', changePercent: -5 }, metric: { key: 'churn_rate' } },
      {
        title: l('Launch a loyalty programme with 100 active members', 'Ein Treueprogramm mit 100 aktiven Teilnehmenden starten'), kind: 'metric', unit: 'count', direction: 'increase', target: 100, metric: { key: 'referral_participants' },
        trackingNote: manual('Counts accounts flagged as programme members; without that flag, enter the number by hand.', 'Zählt Kunden mit Programm-Kennzeichen; ohne dieses Kennzeichen die Zahl von Hand eintragen.'),
      },
    ],
  },
  {
    id: 'win-market-share',
    category: 'customer',
    commitment: 'aspirational',
    title: l('Win a bigger share of our target market', 'Einen größeren Anteil am Zielmarkt gewinnen'),
    description: l(
      'Gain customers and presence in the regions and segments we care about, with campaigns that make the brand known.',
      'Kunden und Präsenz in den Regionen und Segmenten gewinnen, die für uns zählen – mit Kampagnen, die die Marke bekannt machen.',
    ),
    keyResults: [
      { title: l('Sign 100 new customers in the target market', '100 Neukunden im Zielmarkt gewinnen'), kind: 'metric', unit: 'count', direction: 'increase', target: 100, metric: { key: 'new_customers', parameters: ['region'] } },
      {
        title: l('Raise our market share by 5 %', 'Den Marktanteil um 5 % steigern'), kind: 'percent', unit: 'percent', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 5 },
        trackingNote: manual('Market share needs the market’s size, which sales data does not hold: enter it from market research, or import it as a custom dataset.', 'Der Marktanteil braucht die Marktgröße, die nicht in den Vertriebsdaten steht: aus der Marktforschung eintragen oder als eigenen Datensatz importieren.'),
      },
      { title: l('Run 10 market-entry campaigns', '10 Kampagnen zur Markterschließung durchführen'), kind: 'metric', unit: 'count', direction: 'increase', target: 10, metric: { key: 'campaigns_run' } },
    ],
  },
  {
    id: 'more-productive-sales-team',
    category: 'process',
    commitment: 'aspirational',
    title: l('A more productive sales team', 'Ein produktiveres Vertriebsteam'),
    description: l(
      'Give the team better tools, training and leaner processes so less time goes to admin and more to selling.',
      'Dem Team bessere Werkzeuge, Schulungen und schlankere Abläufe geben, damit weniger Zeit in Verwaltung und mehr in den Verkauf fließt.',
    ),
    keyResults: [
      { title: l('Make 20 % more calls than last quarter', '20 % mehr Anrufe als im Vorquartal führen'), kind: 'metric', unit: 'count', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 20 }, metric: { key: 'call_volume' } },
      { title: l('Shorten the sales cycle by 15 %', 'Den Verkaufszyklus um 15 % verkürzen'), kind: 'metric', unit: 'days', direction: 'decrease', relative: { baseline: 'previous_period', changePercent: -15 }, metric: { key: 'sales_cycle_days' } },
      {
        title: l('Roll out the new CRM with 90 % adoption', 'Das neue CRM mit 90 % Nutzungsquote einführen'), kind: 'percent', unit: 'percent', direction: 'increase', target: 90,
        trackingNote: manual('Adoption comes from the CRM’s own usage report: enter the share of active users at each check-in.', 'Die Nutzungsquote stammt aus dem Nutzungsbericht des CRM: bei jedem Check-in den Anteil aktiver Nutzer eintragen.'),
      },
    ],
  },
  {
    id: 'sell-more-of-product',
    category: 'product',
    commitment: 'aspirational',
    title: l('Sell more of a key product', 'Mehr von einem Schlüsselprodukt verkaufen'),
    description: l(
      'Grow sales of one product by reaching the segments that need it most and showing them its value: targeted campaigns, offers and education.',
      'Den Absatz eines Produkts steigern, indem wir die Segmente erreichen, die es am meisten brauchen, und seinen Nutzen zeigen: gezielte Kampagnen, Angebote und Aufklärung.',
    ),
    keyResults: [
      { title: l('Grow sales of product X by 25 %', 'Den Umsatz mit Produkt X um 25 % steigern'), kind: 'metric', unit: 'money', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 25 }, metric: { key: 'product_revenue', parameters: ['product'] } },
      {
        title: l('Host 5 product webinars with 200 attendees each', '5 Produkt-Webinare mit je 200 Teilnehmenden veranstalten'), kind: 'metric', unit: 'count', direction: 'increase', target: 1_000, metric: { key: 'webinar_attendees' },
        trackingNote: manual('Scored on total attendees (5 × 200); the webinar count shows next to it.', 'Bewertet wird die Gesamtzahl der Teilnehmenden (5 × 200); die Zahl der Webinare steht daneben.'),
      },
      { title: l('Reach a 30 % upsell rate for product X', 'Eine Upsell-Quote von 30 % für Produkt X erreichen'), kind: 'metric', unit: 'percent', direction: 'increase', target: 30, metric: { key: 'upsell_rate', parameters: ['product'] } },
    ],
  },
  {
    id: 'better-lead-generation',
    category: 'revenue',
    commitment: 'aspirational',
    title: l('Fill the pipeline with better leads', 'Die Pipeline mit besseren Leads füllen'),
    description: l(
      'Bring in more high-quality leads and turn more of them into deals: sharper campaigns and consistent nurturing.',
      'Mehr hochwertige Leads gewinnen und mehr davon in Abschlüsse verwandeln: schärfere Kampagnen und konsequente Pflege.',
    ),
    keyResults: [
      { title: l('Generate 1,000 new leads', '1.000 neue Leads gewinnen'), kind: 'metric', unit: 'count', direction: 'increase', target: 1_000, metric: { key: 'leads_created' } },
      { title: l('Convert 20 % of leads', '20 % der Leads konvertieren'), kind: 'metric', unit: 'percent', direction: 'increase', target: 20, metric: { key: 'lead_conversion_rate' } },
      {
        title: l('Automate lead nurturing', 'Die Lead-Pflege automatisieren'), kind: 'milestone', unit: 'number', direction: 'increase',
        trackingNote: manual('A milestone: done when the automated nurturing campaign is live.', 'Ein Meilenstein: erledigt, sobald die automatisierte Pflegekampagne läuft.'),
      },
    ],
  },
  {
    id: 'stronger-customer-relationships',
    category: 'customer',
    commitment: 'committed',
    title: l('Stronger relationships with our customers', 'Stärkere Beziehungen zu unseren Kunden'),
    description: l(
      'Understand what customers need, serve them exceptionally and solve problems before they grow.',
      'Verstehen, was Kunden brauchen, sie hervorragend betreuen und Probleme lösen, bevor sie wachsen.',
    ),
    keyResults: [
      { title: l('Raise customer satisfaction to 90 %', 'Die Kundenzufriedenheit auf 90 % steigern'), kind: 'metric', unit: 'percent', direction: 'increase', target: 90, metric: { key: 'customer_satisfaction' } },
      {
        title: l('Hold 50 customer feedback interviews', '50 Feedback-Interviews mit Kunden führen'), kind: 'metric', unit: 'count', direction: 'increase', target: 50, metric: { key: 'feedback_interviews' },
        trackingNote: manual('Counts meetings logged as feedback interviews; or count them by hand.', 'Zählt als Feedback-Interview erfasste Termine; sonst von Hand zählen.'),
      },
      { title: l('Resolve complaints within 24 hours', 'Reklamationen innerhalb von 24 Stunden lösen'), kind: 'metric', unit: 'percent', direction: 'increase', target: 100, metric: { key: 'complaints_resolved_24h' } },
    ],
  },
  {
    id: 'develop-the-sales-team',
    category: 'team',
    commitment: 'aspirational',
    title: l('A team that keeps getting better', 'Ein Team, das stetig besser wird'),
    description: l(
      'Invest in the team’s skills and knowledge so every rep masters current techniques and products.',
      'In Fähigkeiten und Wissen des Teams investieren, damit alle aktuelle Techniken und Produkte beherrschen.',
    ),
    keyResults: [
      { title: l('Run 10 sales training sessions', '10 Vertriebsschulungen durchführen'), kind: 'metric', unit: 'count', direction: 'increase', target: 10, metric: { key: 'training_sessions' } },
      {
        title: l('Certify 80 % of the sales team', '80 % des Vertriebsteams zertifizieren'), kind: 'percent', unit: 'percent', direction: 'increase', target: 80,
        trackingNote: manual('Certifications are not sales data: enter the share, or import certifications as a custom dataset.', 'Zertifizierungen sind keine Vertriebsdaten: Anteil eintragen oder Zertifizierungen als eigenen Datensatz importieren.'),
      },
      { title: l('Lift revenue per rep by 15 %', 'Den Umsatz je Vertriebsmitarbeiter um 15 % steigern'), kind: 'metric', unit: 'money', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 15 }, metric: { key: 'revenue_per_rep' } },
    ],
  },
  {
    id: 'cross-sell-and-upsell',
    category: 'revenue',
    commitment: 'aspirational',
    title: l('Sell more to the customers we have', 'Bestandskunden mehr verkaufen'),
    description: l(
      'Find and use chances to sell additional products and upgrades to existing customers, and build it into how we sell.',
      'Chancen für Zusatzprodukte und Upgrades bei Bestandskunden finden und nutzen – und das fest im Verkaufsprozess verankern.',
    ),
    keyResults: [
      { title: l('Open 50 cross-sell opportunities', '50 Cross-Selling-Chancen eröffnen'), kind: 'metric', unit: 'count', direction: 'increase', target: 50, metric: { key: 'cross_sell_opportunities' } },
      { title: l('Grow upsell revenue by 20 %', 'Den Upsell-Umsatz um 20 % steigern'), kind: 'metric', unit: 'money', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 20 }, metric: { key: 'upsell_revenue' } },
      {
        title: l('Train the team in cross-selling and upselling', 'Das Team in Cross- und Upselling schulen'), kind: 'checklist', unit: 'number', direction: 'increase',
        checklist: [l('Playbook written', 'Leitfaden geschrieben'), l('Workshop held', 'Workshop durchgeführt'), l('Every rep coached once', 'Jede Person einmal gecoacht')],
      },
    ],
  },
  {
    id: 'streamline-sales-process',
    category: 'process',
    commitment: 'aspirational',
    title: l('A leaner sales process', 'Ein schlankerer Vertriebsprozess'),
    description: l(
      'Automate and simplify the way we work so the team spends its time on what wins revenue.',
      'Unsere Arbeitsweise automatisieren und vereinfachen, damit das Team seine Zeit für das einsetzt, was Umsatz bringt.',
    ),
    keyResults: [
      {
        title: l('Spend 25 % less time on admin', '25 % weniger Zeit für Verwaltung aufwenden'), kind: 'percent', unit: 'percent', direction: 'increase', target: 25,
        trackingNote: manual('Measured by a time survey: enter the reduction at each check-in.', 'Per Zeiterfassung oder Umfrage gemessen: die Verringerung bei jedem Check-in eintragen.'),
      },
      {
        title: l('Adopt a sales automation tool with 80 % usage', 'Ein Automatisierungstool mit 80 % Nutzung einführen'), kind: 'percent', unit: 'percent', direction: 'increase', target: 80,
        trackingNote: manual('From the tool’s usage report.', 'Aus dem Nutzungsbericht des Tools.'),
      },
      { title: l('Win 30 % more deals per rep-week', '30 % mehr Abschlüsse je Vertriebswoche gewinnen'), kind: 'metric', unit: 'count', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 30 }, metric: { key: 'deals_won' } },
    ],
  },
  {
    id: 'expand-into-new-regions',
    category: 'revenue',
    commitment: 'aspirational',
    title: l('Grow into new regions', 'In neue Regionen wachsen'),
    description: l(
      'Open new geographic markets and win customers there, with local strategies and presence.',
      'Neue geografische Märkte erschließen und dort Kunden gewinnen – mit regionalen Strategien und Präsenz vor Ort.',
    ),
    keyResults: [
      { title: l('Enter 3 new markets', 'In 3 neue Märkte eintreten'), kind: 'metric', unit: 'count', direction: 'increase', target: 3, metric: { key: 'regions_entered' } },
      { title: l('Win 200 customers in the new regions', '200 Kunden in den neuen Regionen gewinnen'), kind: 'metric', unit: 'count', direction: 'increase', target: 200, metric: { key: 'new_customers', parameters: ['region'] } },
      { title: l('Earn $1 million in the new regions', '1 Million $ Umsatz in den neuen Regionen erzielen'), kind: 'metric', unit: 'money', direction: 'increase', target: 1_000_000, metric: { key: 'revenue', parameters: ['region'] } },
    ],
  },
  {
    id: 'forecast-accuracy',
    category: 'process',
    commitment: 'committed',
    title: l('Forecasts we can plan on', 'Prognosen, auf die wir bauen können'),
    description: l(
      'Forecast sales accurately so budgets, stock and targets rest on solid ground.',
      'Umsätze genau vorhersagen, damit Budgets, Bestände und Ziele auf festem Grund stehen.',
    ),
    keyResults: [
      {
        title: l('Reach 90 % forecast accuracy', '90 % Prognosegenauigkeit erreichen'), kind: 'percent', unit: 'percent', direction: 'increase', target: 90,
        trackingNote: manual('Read from Forecasts → Accuracy (1 − WAPE) once forecasting is set up; until then enter it.', 'Aus Prognosen → Genauigkeit (1 − WAPE), sobald Prognosen eingerichtet sind; bis dahin eintragen.'),
      },
      { title: l('Introduce a forecasting tool', 'Ein Prognosewerkzeug einführen'), kind: 'milestone', unit: 'number', direction: 'increase' },
      {
        title: l('Train the team in forecasting practice', 'Das Team in guter Prognosepraxis schulen'), kind: 'checklist', unit: 'number', direction: 'increase',
        checklist: [l('Stage definitions agreed', 'Phasendefinitionen vereinbart'), l('Commit/best-case rules taught', 'Regeln für Commit/Best Case vermittelt'), l('Weekly forecast call running', 'Wöchentlicher Forecast-Call etabliert')],
      },
    ],
  },
  {
    id: 'grow-digital-sales',
    category: 'revenue',
    commitment: 'aspirational',
    title: l('Sell more online', 'Online mehr verkaufen'),
    description: l(
      'Strengthen online channels to reach more customers: a better shop, digital campaigns and a smoother buying experience.',
      'Online-Kanäle stärken, um mehr Kunden zu erreichen: ein besserer Shop, digitale Kampagnen und ein reibungsloseres Kauferlebnis.',
    ),
    keyResults: [
      { title: l('Grow online revenue by 40 %', 'Den Online-Umsatz um 40 % steigern'), kind: 'metric', unit: 'money', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 40 }, metric: { key: 'online_revenue' } },
      {
        title: l('Lift the website conversion rate to 15 %', 'Die Konversionsrate der Website auf 15 % steigern'), kind: 'percent', unit: 'percent', direction: 'increase', target: 15,
        trackingNote: manual('Website visits live in web analytics, not sales data: enter the rate, or import daily visits as a custom dataset.', 'Website-Besuche stehen in der Webanalyse, nicht in den Vertriebsdaten: Quote eintragen oder tägliche Besuche als eigenen Datensatz importieren.'),
      },
      { title: l('Launch 3 digital marketing campaigns', '3 digitale Marketingkampagnen starten'), kind: 'metric', unit: 'count', direction: 'increase', target: 3, metric: { key: 'campaigns_run' } },
    ],
  },
  {
    id: 'team-collaboration',
    category: 'team',
    commitment: 'aspirational',
    title: l('A team that works as one', 'Ein Team, das an einem Strang zieht'),
    description: l(
      'Share knowledge, support each other and pull towards common goals.',
      'Wissen teilen, einander unterstützen und gemeinsam auf Ziele hinarbeiten.',
    ),
    keyResults: [
      { title: l('Introduce a team collaboration tool', 'Ein Werkzeug für die Zusammenarbeit einführen'), kind: 'milestone', unit: 'number', direction: 'increase' },
      {
        title: l('Hold weekly team meetings with full attendance', 'Wöchentliche Teamrunden mit voller Teilnahme abhalten'), kind: 'guardrail', unit: 'percent', direction: 'increase', target: 100,
        trackingNote: manual('A guardrail: record attendance each week; the score is the share of weeks at 100 %.', 'Eine Leitplanke: Teilnahme jede Woche erfassen; bewertet wird der Anteil der Wochen mit 100 %.'),
      },
      {
        title: l('Finish 20 % more cross-team projects', '20 % mehr teamübergreifende Projekte abschließen'), kind: 'number', unit: 'count', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 20 },
        trackingNote: manual('Count completed projects at each check-in.', 'Abgeschlossene Projekte bei jedem Check-in zählen.'),
      },
    ],
  },
  {
    id: 'lower-acquisition-cost',
    category: 'process',
    commitment: 'aspirational',
    title: l('Win customers for less', 'Kunden günstiger gewinnen'),
    description: l(
      'Spend acquisition budget where it works, keeping or raising the number of new customers.',
      'Das Akquisebudget dort einsetzen, wo es wirkt – bei gleich vielen oder mehr Neukunden.',
    ),
    keyResults: [
      {
        title: l('Cut customer acquisition cost by 10 %', 'Die Kundenakquisitionskosten um 10 % senken'), kind: 'metric', unit: 'money', direction: 'decrease', relative: { baseline: 'previous_period', changePercent: -10 }, metric: { key: 'customer_acquisition_cost' },
        trackingNote: manual('Needs sales and marketing spend as a custom dataset (“marketing_spend”); the metric divides it by new customers.', 'Braucht Vertriebs- und Marketingausgaben als eigenen Datensatz („marketing_spend“); die Kennzahl teilt sie durch die Neukunden.'),
      },
      { title: l('Grow referral programme participation by 30 %', 'Die Teilnahme am Empfehlungsprogramm um 30 % steigern'), kind: 'metric', unit: 'count', direction: 'increase', relative: { baseline: 'previous_period', changePercent: 30 }, metric: { key: 'referral_participants' } },
      {
        title: l('Put cost-efficient lead generation in place', 'Kosteneffiziente Lead-Gewinnung umsetzen'), kind: 'checklist', unit: 'number', direction: 'increase',
        checklist: [l('Cost per lead measured by channel', 'Kosten je Lead nach Kanal gemessen'), l('Budget moved to the cheapest channels', 'Budget in die günstigsten Kanäle verschoben'), l('Referral incentive launched', 'Empfehlungsprämie gestartet')],
      },
    ],
  },
];

export function findTemplate(id: string): OkrTemplate | undefined {
  return OKR_TEMPLATES.find((t) => t.id === id);
}

/** Every catalogue metric the templates bind to (the metric catalogue must define each). */
export function templateMetricKeys(): string[] {
  return [...new Set(OKR_TEMPLATES.flatMap((t) => t.keyResults.flatMap((kr) => (kr.metric ? [kr.metric.key] : []))))].sort();
}
