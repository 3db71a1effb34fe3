import { Router } from 'express';
import { grantLostAt, isGrantActive, type Grants } from '../../access/channelAccess';
import { requireAuth } from '../../http/auth';
import { GrantBody, type FeatureGrant } from '../../contract';
import { compileSchema, parseWith } from '../../http/validation';
import { contextOf, pathKey, replyWritten, type RouteDeps } from '../routeKit';
import { streams } from '../streams';
import type { UserAccessCommand } from './userAccessDecider';

const validateGrant = compileSchema(GrantBody);

const grantView = (grants: Grants, key: string, now: Date): Omit<FeatureGrant, 'userId' | 'featureKey'> => {
  const grant = grants[key];
  return {
    isActive: isGrantActive(grant, now),
    grantedAt: grant?.grantedAt ?? null,
    validUntil: grant?.validUntil ?? null,
    revokedAt: grant?.revokedAt ?? null,
    lostAt: grantLostAt(grant, now),
  };
};

/** The subscription system tells us about entitlements and features; service tokens only. */
export const createIntegrationRoutes = (deps: RouteDeps): Router => {
  const router = Router();
  const service = requireAuth(deps.verifyToken, 'service');

  const route = (kind: 'entitlements' | 'features', method: 'put' | 'delete') => {
    const keyName = kind === 'entitlements' ? 'key' : 'featureKey';
    router[method](`/api/integrations/users/:userId/${kind}/:${keyName}`, service, async (req, res) => {
      const userId = pathKey(req, 'userId');
      const key = pathKey(req, keyName);
      const body = method === 'put' ? parseWith(validateGrant, req.body ?? {}) : {};
      const now = deps.model.now();
      const at = now.toISOString();
      const validUntil = body.validUntil ? new Date(body.validUntil).toISOString() : null;
      const command: UserAccessCommand =
        kind === 'entitlements'
          ? method === 'put'
            ? { type: 'GrantEntitlement', data: { userId, key, validUntil, now: at } }
            : { type: 'RevokeEntitlement', data: { userId, key, now: at } }
          : method === 'put'
            ? { type: 'GrantFeature', data: { userId, key, validUntil, now: at } }
            : { type: 'RevokeFeature', data: { userId, key, now: at } };
      const { metadata } = contextOf(deps, req, res);
      const result = await deps.model.userAccess.handle(streams.userAccess(userId), command, metadata);
      const grants = kind === 'entitlements' ? result.state.entitlements : result.state.features;
      const data = {
        userId,
        [kind === 'entitlements' ? 'entitlementKey' : 'featureKey']: key,
        ...grantView(grants, key, now),
      };
      const verb = method === 'put' ? 'granted' : 'revoked';
      const noun = kind === 'entitlements' ? 'Entitlement' : 'Feature';
      await replyWritten(deps, res, {
        status: 200,
        message: `${noun} ${verb} successfully`,
        data,
        position: result.position ?? 0n,
      });
    });
  };
  route('entitlements', 'put');
  route('entitlements', 'delete');
  route('features', 'put');
  route('features', 'delete');

  return router;
};
