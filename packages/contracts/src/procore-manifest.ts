import { z } from 'zod';

/**
 * procore-app/manifest.json: the app manifest we give Procore's Developer Portal (App Manifest
 * v4.1 shape, see procore-app/README.md). Strict objects: a key Procore's format does not have is
 * an error here, so our own notes cannot creep back into the file Procore reads.
 */

/** Tool levels as Procore's permission builder writes them ("None" = the tool is left out). */
export const ProcorePermissionLevel = z.enum(['readonly', 'standard', 'admin']);
export type ProcorePermissionLevel = z.infer<typeof ProcorePermissionLevel>;

/** Tool keys we use; Procore has many more, we name only what we request or reason about. */
export const ProcoreTool = z.enum(['directory', 'commitments', 'webhooks']);
export type ProcoreTool = z.infer<typeof ProcoreTool>;

const ToolLevels = z.partialRecord(ProcoreTool, ProcorePermissionLevel);
export const ProcorePermissions = z.strictObject({ company: ToolLevels, project: ToolLevels });
export type ProcorePermissions = z.infer<typeof ProcorePermissions>;

const ViewKey = z.string().regex(/^[a-z_]+\.[a-z_]+\.(new|detail|edit|list|all)$/, 'a Procore side panel view key (tool.resource.action)');

export const ProcoreManifest = z.strictObject({
  schema_version: z.literal('4.1'),
  components: z.strictObject({
    oauth: z.strictObject({
      instances: z
        .array(
          z.discriminatedUnion('grant_type', [
            // user-level sign-in (panel, console): acts with the user's own Procore permissions
            z.strictObject({ grant_type: z.literal('authorization_code') }),
            // the DMSA: the permissions the installing admin grants the service account
            z.strictObject({ grant_type: z.literal('client_credentials'), permissions: ProcorePermissions }),
          ]),
        )
        .min(1),
    }),
    sidepanel: z.strictObject({
      instances: z
        .array(
          z.strictObject({
            views: z.array(ViewKey).min(1),
            source_url: z.url().refine((u) => u.startsWith('https://'), 'source_url must be https'),
            description: z.string().min(1).max(500),
            user_configuration: z.strictObject({
              schema: z.strictObject({
                type: z.literal('object'),
                required: z.array(z.string()),
                properties: z.record(z.string(), z.unknown()),
              }),
            }),
          }),
        )
        .length(1),
    }),
  }),
  post_installation_instruction: z.strictObject({
    page: z.strictObject({ url: z.url(), label: z.string().min(1) }),
    notes: z.string().min(1),
  }),
});
export type ProcoreManifest = z.infer<typeof ProcoreManifest>;

/** The DMSA's requested permissions (the client_credentials instance). */
export function dmsaPermissions(m: ProcoreManifest): ProcorePermissions {
  const dmsa = m.components.oauth.instances.find((i) => i.grant_type === 'client_credentials');
  if (!dmsa || !('permissions' in dmsa)) throw new Error('The manifest has no client_credentials (DMSA) component');
  return dmsa.permissions;
}
