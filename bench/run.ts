// `npm run bench`: runs every benchmark in bench/ in turn (each prints its own table).
import { readdir } from 'node:fs/promises';

const only = process.argv[2];
const all = (await readdir(new URL('.', import.meta.url))).filter((f) => f.endsWith('.bench.ts')).sort();
// `npm run bench comp` runs comp.bench.ts (not comp-run.bench.ts too); a part of a name runs every match.
const files = !only ? all : all.includes(`${only}.bench.ts`) ? [`${only}.bench.ts`] : all.filter((f) => f.includes(only));
for (const file of files) {
  console.log(`\n=== bench/${file}`);
  await import(`./${file}`);
}
