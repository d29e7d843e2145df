// Public surface of @aw/sync-server: start a server in-process (desktop main, tests) and its types.
export { createServer, DataDirInUseError, type CreateServerOptions, type RunningServer } from './app.ts';
export { SqlDbOpenError, openSqlDb } from './db/sql-db.ts';
export type { AuthUser, Feature, FeatureFactory, ServerConfig, ServerContext, SqlDb, WsRoute } from './context.ts';
