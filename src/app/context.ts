/**
 * The per-request context: who is asking (viewer) and the services they act through.
 * Built once per request by create-context; services take it as their first argument.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { AppError } from '../core/errors';
import type { Permissions } from '../core/authz/permissions';
import type { Throttles } from '../core/throttle/throttles';
import type { LoaderCache } from '../core/graphql/loaders';
import type { User } from '../modules/user/user.entity';
import type { Config } from './config';

export interface Viewer {
  user: User;
  sessionId: string;
  permissions: Permissions;
}

export interface Context {
  requestId: string;
  config: Config;
  ds: DataSource;
  /** An open transaction the request's writes join (see core/db/transaction); usually absent. */
  transaction?: EntityManager;
  /** The request's Authorization header; resolved into `viewer` once the operation passed the query limits. */
  authorization: string | undefined;
  viewer: Viewer | null;
  /** Why a presented token was not accepted; thrown by operations that need a viewer. */
  authError: AppError | null;
  loaders: LoaderCache;
  /** The client's address (for sign-in throttling). */
  clientIp: string;
  throttles: Throttles;
}
