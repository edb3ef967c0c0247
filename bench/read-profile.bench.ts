/**
 * Round trips and wall time of reading a large profile, and a user's effective access, from an emulated org
 * (records of the profile's own permission set: PermissionSet, ObjectPermissions, FieldPermissions,
 * SetupEntityAccess, PermissionSetTabSetting), at the default page size (2,000) and a small one (200).
 *
 *   node --import tsx bench/read-profile.bench.ts [objects=500] [fieldsPerObject=20]
 * (seeding is the slow part: the emulator applies a profile field by field, about 100 s for 1,000 x 40)
 */
import { Org } from '@salesforce/core';
import { readEffectiveAccess } from '../src/access-reader/effective-access.js';
import { readProfileFromOrg } from '../src/access-reader/read-profile-from-org.js';
import { startEmulator } from '@sf-integration-user/org-emulator';
import { loginInTempHome } from '../test/helpers/emulator-login.js';
import { bigOrg } from '../test/integration/access-reader/big-org.js';

const OBJECTS = Number(process.argv[2] ?? 500);
const FIELDS = Number(process.argv[3] ?? 20);

const count = (sections: Record<string, unknown[] | undefined>): number =>
  Object.values(sections).reduce((n, e) => n + (e?.length ?? 0), 0);

async function main(): Promise<void> {
  const t0 = Date.now();
  const big = bigOrg({ objects: OBJECTS, fieldsPerObject: FIELDS });
  const emu = await startEmulator({ seed: big.seed });
  const seeded = Date.now() - t0;
  const org = emu.org();
  const login = await loginInTempHome(emu.url, org.accessToken);
  try {
    const conn = (await Org.create({ aliasOrUsername: login.username })).getConnection();
    console.log(
      `org: ${OBJECTS} objects x ${FIELDS} fields; profile records: ${org.count(`SELECT COUNT() FROM FieldPermissions`)} FieldPermissions, ` +
        `${org.count('SELECT COUNT() FROM ObjectPermissions')} ObjectPermissions, ${org.count('SELECT COUNT() FROM SetupEntityAccess')} SetupEntityAccess (seeded in ${seeded} ms)`,
    );
    for (const pageSize of [2000, 200]) {
      org.config.queryPageSize = pageSize;
      emu.clearRequests();
      let t = process.hrtime.bigint();
      const profile = await readProfileFromOrg(conn, big.profileName);
      let ms = Number(process.hrtime.bigint() - t) / 1e6;
      console.log(
        `profile   page ${pageSize}: ${ms.toFixed(0)} ms, ${profile.stats.roundTrips} round trips (${emu.requests.length} HTTP requests), ` +
          `${profile.stats.queries} queries, ${profile.stats.records} records, ${count(profile.doc.sections)} entries`,
      );
      emu.clearRequests();
      t = process.hrtime.bigint();
      const access = await readEffectiveAccess(conn, big.username);
      ms = Number(process.hrtime.bigint() - t) / 1e6;
      console.log(
        `effective page ${pageSize}: ${ms.toFixed(0)} ms, ${access.stats.roundTrips} round trips (${emu.requests.length} HTTP requests), ` +
          `${access.stats.queries} queries, ${access.stats.records} records, ${count(access.doc.sections)} entries from ${access.sources.length} sources`,
      );
    }
  } finally {
    await login.restore();
    await emu.stop();
  }
}

await main();
