import { z } from 'zod';
import { PLATFORM_ROLES } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import {
  invitationAcceptInput,
  invitationAcceptOutput,
  memberInput,
  organizationDetailOutput,
  organizationInput,
  organizationListQuery,
  organizationOutput,
  organizationUpdate,
  pendingChangesOutput,
  rejectInput,
} from './schemas';

export const rolesInput = z.object({ roles: z.array(z.enum(PLATFORM_ROLES)) });

const memberResult = z.object({ email: z.string(), role: z.string() });

const list = z.object({ items: z.array(organizationOutput), total: z.number(), page: z.number(), perPage: z.number() });

export const organizationRoutes: RouteDoc[] = [
  { method: 'get', path: '/organizations', tag: 'Organizations', summary: 'Verified organizations, filtered by type', query: organizationListQuery, responses: { 200: list } },
  { method: 'get', path: '/organizations/{slug}', tag: 'Organizations', summary: 'One organization (pending ones only to members and admins); members and admins also see a change of name or type waiting for review', responses: { 200: organizationDetailOutput } },
  { method: 'post', path: '/organizations', tag: 'Organizations', summary: 'Register an organization; you become its owner and it waits for verification', auth: true, body: organizationInput, responses: { 201: organizationOutput } },
  {
    method: 'patch',
    path: '/organizations/{slug}',
    tag: 'Organizations',
    summary:
      'Edit the profile (owners, editors, admins); a field left out stays as it is, null clears an optional one. On a verified organization a new name (either language) or type from its owners or editors does not apply: it waits as `pendingChange` for an admin, and the verified name and type stay shown; the other fields apply at once. Sending the current name and type withdraws a waiting change.',
    auth: true,
    body: organizationUpdate,
    responses: { 200: organizationDetailOutput },
  },
  { method: 'delete', path: '/organizations/{slug}/members/{userId}', tag: 'Organizations', summary: 'Remove a member (owners, admins); the last owner cannot be removed (409)', auth: true, responses: { 204: null } },
  {
    method: 'post',
    path: '/organizations/{slug}/members',
    tag: 'Organizations',
    summary: 'Change a member’s role (200), or invite anyone else by email, with or without an account (202, the same answer either way); owners',
    auth: true,
    body: memberInput,
    responses: { 200: memberResult.extend({ status: z.literal('member') }), 202: memberResult.extend({ status: z.literal('invited') }) },
  },
  { method: 'post', path: '/invitations/accept', tag: 'Organizations', summary: 'Accept an invitation with the token from its email; only the signed-in owner of the invited address may', auth: true, body: invitationAcceptInput, responses: { 200: invitationAcceptOutput } },
  { method: 'post', path: '/organizations/{slug}/verify', tag: 'Organizations', summary: 'Verify an organization (admins)', auth: true, responses: { 200: organizationOutput } },
  { method: 'post', path: '/organizations/{slug}/reject', tag: 'Organizations', summary: 'Reject an organization with a reason (admins)', auth: true, body: rejectInput, responses: { 200: organizationOutput } },
  { method: 'get', path: '/admin/organization-changes', tag: 'Admin', summary: 'Changes of name or type waiting for review, oldest first, with the current and requested values (admins)', auth: true, responses: { 200: pendingChangesOutput } },
  { method: 'post', path: '/organizations/{slug}/pending-change/approve', tag: 'Organizations', summary: 'Approve the waiting change of name or type: it applies and is searchable at once; owners and editors are told (admins; 404 when nothing waits)', auth: true, responses: { 200: organizationDetailOutput } },
  { method: 'post', path: '/organizations/{slug}/pending-change/reject', tag: 'Organizations', summary: 'Reject the waiting change of name or type with a reason: the verified name and type stay; owners and editors are told (admins; 404 when nothing waits)', auth: true, body: rejectInput, responses: { 200: organizationDetailOutput } },
  { method: 'post', path: '/admin/users/{email}/roles', tag: 'Admin', summary: 'Replace a user’s platform roles (admins; audit-logged)', auth: true, body: rolesInput, responses: { 200: z.object({ id: z.string(), email: z.string(), roles: z.array(z.string()) }) } },
];
