#!/usr/bin/env node
// The `riffle` command. Registers the TypeScript loader so that job modules (and Riffle's own
// packages, which ship TypeScript sources) load without a build step, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
