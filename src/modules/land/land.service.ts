/**
 * Land requests: scoped lists and lookups, drafts through the scoped write path (county or park),
 * and the land-supply workflow (land.transitions.ts).
 */
import type { Context } from '../../app/context';
import { whereProjectRecord, whereRange } from '../../core/db/filters';
import { scopedQuery } from '../../core/db/scoped';
import { createScopedOrThrow, updateScopedOrThrow } from '../../core/db/scoped-write';
import { invalidTransition, notFound } from '../../core/errors';
import { childConnection, loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs, paginate, SortKey } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { loadById } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { OrderDirection } from '../../core/graphql/ordering';
import type { ColumnSelection } from '../../core/graphql/selection';
import { amountOrThrow, optionalTextOrThrow, textOrThrow } from '../../core/validation';
import { runTransition, transitionsFrom } from '../../core/workflow/workflow';
import { getProjectOrThrow } from '../project/project.service';
import { LandRequest, LandRequestStatus } from './land-request.entity';
import {
  CreateLandRequestInput, LandRequestFilter, LandRequestOrderField, LandRequestsArgs, UpdateLandRequestInput,
} from './land.inputs';
import { LAND_EDITABLE_STATES, landRequestWorkflow, positiveDecimalOrThrow } from './land.transitions';

/** DECIMAL(12,2) 亩 and DECIMAL(6,2) plot ratio. */
const MAX_AREA = '9999999999.99';
const MAX_PLOT_RATIO = '9999.99';

export const landRequestQuery = (ctx: Context) => scopedQuery(ctx, LandRequest, 'lr');

export function applyLandRequestFilter(qb: ReturnType<typeof landRequestQuery>, f: LandRequestFilter | null | undefined): void {
  if (!f) return;
  if (f.statuses?.length) qb.andWhere('lr.status IN (:...lrStatuses)', { lrStatuses: f.statuses });
  whereProjectRecord(qb, 'lr', f);
  if (f.supplyMethods?.length) qb.andWhere('lr.supplyMethod IN (:...lrMethods)', { lrMethods: f.supplyMethods });
  if (f.farmlandTypes?.length) qb.andWhere('lr.farmlandType IN (:...lrFarmland)', { lrFarmland: f.farmlandTypes });
  whereRange(qb, 'lr.areaMu', f.areaMu);
}

const SORTS: Record<LandRequestOrderField, Omit<SortKey<LandRequest>, 'direction'>> = {
  ID: { column: 'lr.id', valueOf: (l) => l.id },
  AREA: { column: 'lr.areaMu', valueOf: (l) => l.areaMu },
};

export function listLandRequests(ctx: Context, args: LandRequestsArgs, columns?: ColumnSelection): Promise<ConnectionShape<LandRequest>> {
  const qb = landRequestQuery(ctx);
  applyLandRequestFilter(qb, args.filter);
  const order = args.orderBy ?? { field: LandRequestOrderField.ID, direction: OrderDirection.ASC };
  return paginate(qb, args, { ...SORTS[order.field], direction: order.direction }, 'lr.id', columns);
}

export function loadLandRequest(ctx: Context, id: number): Promise<LandRequest | null> {
  return loadById(ctx.loaders, 'LandRequest', () => landRequestQuery(ctx), id);
}
nodeLoaders.set('LandRequest', loadLandRequest);

export async function getLandRequestOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<LandRequest> {
  const request = await loadLandRequest(ctx, idOfTypeOrThrow(globalId, 'LandRequest', field));
  if (!request) throw notFound('LandRequest', globalId);
  return request;
}

const PROJECT_LAND_REQUESTS = childConnection<LandRequest>({
  name: 'Project.landRequests',
  entity: LandRequest,
  query: landRequestQuery,
  alias: 'lr',
  foreignKey: 'projectId',
  sort: { column: 'lr.id', direction: 'DESC', valueOf: (l) => l.id },
});

/** A project's land requests, newest first. */
export function projectLandRequests(ctx: Context, projectId: number, args: PageArgs, columns?: ColumnSelection): ConnectionShape<LandRequest> | Promise<ConnectionShape<LandRequest>> {
  return loadChildConnection(ctx, PROJECT_LAND_REQUESTS, args, projectId, columns);
}

// ---------------------------------------------------------------------------------------------
// Writes

/** Validated column values for the given input fields (create: all required ones; update: those present). */
function landValues(input: CreateLandRequestInput | UpdateLandRequestInput): Partial<LandRequest> {
  const v: Partial<LandRequest> = {};
  if (input.areaMu) v.areaMu = positiveDecimalOrThrow('areaMu', input.areaMu, 2, MAX_AREA);
  if (input.landUse !== undefined && input.landUse !== null) v.landUse = textOrThrow('landUse', input.landUse, 64);
  if (input.location !== undefined && input.location !== null) v.location = textOrThrow('location', input.location, 300);
  if (input.plotNo !== undefined) v.plotNo = optionalTextOrThrow('plotNo', input.plotNo, 64) ?? null;
  if (input.planConformity) v.planConformity = input.planConformity;
  if (input.farmlandType) v.farmlandType = input.farmlandType;
  if (input.supplyMethod) v.supplyMethod = input.supplyMethod;
  if (input.investmentIntensity !== undefined) {
    v.investmentIntensity = input.investmentIntensity === null ? null : amountOrThrow('investmentIntensity', input.investmentIntensity);
  }
  if (input.taxPerMu !== undefined) v.taxPerMu = input.taxPerMu === null ? null : amountOrThrow('taxPerMu', input.taxPerMu);
  if (input.plotRatio !== undefined) v.plotRatio = input.plotRatio === null ? null : positiveDecimalOrThrow('plotRatio', input.plotRatio, 2, MAX_PLOT_RATIO);
  if (input.expectedDate !== undefined) v.expectedDate = input.expectedDate;
  return v;
}

export async function createLandRequest(ctx: Context, input: CreateLandRequestInput): Promise<LandRequest> {
  const project = await getProjectOrThrow(ctx, input.projectId, 'projectId');
  const values = landValues(input);
  return createScopedOrThrow(ctx, LandRequest, {
    ...values,
    projectId: project.id,
    enterpriseId: project.enterpriseId,
    territoryId: project.territoryId,
    status: LandRequestStatus.DRAFT,
  });
}

export async function updateLandRequest(ctx: Context, input: UpdateLandRequestInput): Promise<LandRequest> {
  const id = idOfTypeOrThrow(input.id, 'LandRequest');
  const changes = landValues(input);
  return updateScopedOrThrow(ctx, LandRequest, id, input.expectedVersion, changes, {
    validate: (row) => {
      if (!LAND_EDITABLE_STATES.includes(row.status)) {
        throw invalidTransition(`Cannot change a LandRequest whose status is ${row.status}`, {
          currentState: row.status,
          allowedActions: transitionsFrom(landRequestWorkflow, row.status).map((t) => t.action),
        });
      }
    },
  });
}

type TransitionArgs = { id: string; expectedVersion: number; comment?: string | null };

export function transitionLandRequest<I extends TransitionArgs>(ctx: Context, action: string, input: I): Promise<LandRequest> {
  return runTransition(ctx, landRequestWorkflow, action, idOfTypeOrThrow(input.id, 'LandRequest'), input.expectedVersion, input);
}
