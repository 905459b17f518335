import type { DirectoryReader } from './directory';
import type { DirectoryPrincipal, Preset } from './groupRequest';
import { presetOwnerAppIds } from './requestForm';

/** The owners a preset always adds, or why the directory cannot provide them. */
export async function presetOwners(
  directory: DirectoryReader,
  preset: Preset,
): Promise<{ owners: DirectoryPrincipal[]; problem?: string }> {
  const owners: DirectoryPrincipal[] = [];
  for (const appId of presetOwnerAppIds(preset)) {
    const principal = await directory.findServicePrincipal(appId);
    if (!principal) {
      return {
        owners,
        problem:
          `The Intune Provisioning Client (appId ${appId}) has no service principal in this tenant, so it cannot own the device group. ` +
          `An admin must add it first (New-MgServicePrincipal -AppId ${appId}).`,
      };
    }
    owners.push(principal);
  }
  return { owners };
}
