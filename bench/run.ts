// `npm run bench`: runs every benchmark in bench/ in turn (each prints its own table).
import { readdir } from 'node:fs/promises';

const only = process.argv[2];
const files = (await readdir(new URL('.', import.meta.url))).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
for (const file of files) {
  console.log(`\n=== bench/${file}`);
  await import(`./${file}`);
}
