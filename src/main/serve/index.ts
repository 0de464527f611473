export { startServeServer, type ServeHandle, type ServeOptions } from './server';
export { newAccessToken } from './auth';
