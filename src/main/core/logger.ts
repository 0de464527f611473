// The logger is shared with the relay server, so it lives in src/node-shared; core code imports it from here.
export * from '../../node-shared/logger';
