import { randomUUID } from 'node:crypto';
import { loadFixture, type DirectoryFixture } from '../../src/dev/graphEmulator';

/** The sample tenant with `count` more ordinary users, person1@contoso.com onwards. */
export function directoryWithPeople(count: number): { fixture: DirectoryFixture; principalNames: string[] } {
  const fixture = loadFixture();
  const principalNames: string[] = [];
  for (let i = 1; i <= count; i++) {
    const upn = `person${i}@contoso.com`;
    principalNames.push(upn);
    fixture.users.push({
      id: randomUUID(),
      displayName: `Person ${i}`,
      userPrincipalName: upn,
      mail: upn,
      accountEnabled: true,
      userType: 'Member',
    });
  }
  return { fixture, principalNames };
}
