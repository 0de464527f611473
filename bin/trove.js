#!/usr/bin/env node
// The `trove` command. Runs the TypeScript CLI through tsx so that a fresh
// clone works right after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli.ts');
