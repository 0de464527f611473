#!/usr/bin/env node
// Runs the relay server (src/relay-server/main.ts) through tsx, so it deploys from source.
import { register } from 'tsx/esm/api';

register();
await import('../src/relay-server/main.ts');
