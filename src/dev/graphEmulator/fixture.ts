import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The seed of the emulated directory: a readable JSON file (src/dev/fixtures/directory.json). */

const guid = z.string().uuid();
const propertyBag = z.object({ id: guid }).passthrough();

const fixtureSchema = z.object({
  tenant: z.object({
    id: guid,
    displayName: z.string(),
    domains: z.array(z.string()).min(1),
    /** Entra's "Users can create security groups" setting; off means only admins can. */
    usersCanCreateSecurityGroups: z.boolean(),
  }),
  /** Directory roles held by users, which decide who may create groups and manage members. */
  roleAssignments: z.array(z.object({ principalId: guid, role: z.string() })),
  users: z.array(propertyBag.extend({ userPrincipalName: z.string(), displayName: z.string() })),
  devices: z.array(propertyBag.extend({ deviceId: guid, displayName: z.string() })),
  servicePrincipals: z.array(propertyBag.extend({ appId: guid, displayName: z.string() })),
  groups: z.array(
    z.object({
      id: guid,
      displayName: z.string(),
      mailNickname: z.string(),
      description: z.string().nullable(),
      securityEnabled: z.boolean(),
      mailEnabled: z.boolean(),
      groupTypes: z.array(z.string()),
      membershipRule: z.string().nullable(),
      membershipRuleProcessingState: z.string().nullable(),
      isAssignableToRole: z.boolean(),
      createdDateTime: z.string(),
      members: z.array(guid),
      owners: z.array(guid),
    }),
  ),
});

export type DirectoryFixture = z.infer<typeof fixtureSchema>;

export const DEFAULT_FIXTURE_PATH = path.resolve(__dirname, '../fixtures/directory.json');

export function loadFixture(fixturePath: string = DEFAULT_FIXTURE_PATH): DirectoryFixture {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(fixturePath, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the directory fixture ${fixturePath}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = fixtureSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`The directory fixture ${fixturePath} is invalid: ${issues}`);
  }
  return parsed.data;
}
