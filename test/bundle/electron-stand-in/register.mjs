// `node --import ./register.mjs out/main/index.js`: installs hooks.mjs before the bundle loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
