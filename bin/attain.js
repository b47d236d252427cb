#!/usr/bin/env node
// The `attain` command. Runs the TypeScript sources through tsx, so a checkout needs no
// separate build step for the server and CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
