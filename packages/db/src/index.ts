export { openDatabase, type Database, type DbKind, type PoolOptions } from './pool';
export { acquireDirLock, DataDirLockedError, type DirLock } from './lock';
export { migrate, isMigrated, listMigrations, type Migration } from './migrate';
export { withTransaction } from './tx';
export { UnsafeTextError, assertSafeParams } from './safe-text';
