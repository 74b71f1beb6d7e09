// `npm run rules`: writes RULES.md from the rule files (run after adding or changing a rule).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRulesMarkdown } from '../policy/rules-doc';

const file = join(__dirname, '..', '..', 'RULES.md');
writeFileSync(file, renderRulesMarkdown());
console.log(`wrote ${file}`);
