import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { platform } from '../config/environments';
import type { PlatformInput } from '../config/types';
import { validateConfig } from '../config/validate';
import {
  StackCommandError,
  cdktfEnvironment,
  planReleases,
  planStackCommand,
  planUnlock,
  stacksOf,
  type StackCommand,
} from '../commands/stack-command';
import { configWith } from './support/config';
import { environmentStacks, shipped, stackNames } from './support/stacks';

const plan = (command: StackCommand, args: string[], config: PlatformInput = platform) =>
  planStackCommand(command, args, validateConfig(config));

function refusal(command: StackCommand, args: string[], config: PlatformInput = platform): string {
  try {
    plan(command, args, config);
  } catch (error) {
    expect(error).toBeInstanceOf(StackCommandError);
    return (error as Error).message;
  }
  throw new Error(`${command} ${args.join(' ')} was not refused`);
}

describe('which stacks protect data', () => {
  it('the bootstrap stack always, an environment when deletionProtection is true', () => {
    expect(stacksOf(shipped).map((s) => [s.name, s.protectedBecause])).toEqual([
      ...(shipped.state ? [[stackNames()[0], 'it holds the Terraform state of every stack']] : []),
      ...environmentStacks().map(({ env, stack }) => [
        stack,
        env.deletionProtection ? `environment "${env.name}" has deletionProtection: true` : undefined,
      ]),
    ]);
  });
});

describe('destroy', () => {
  it('refuses a stack whose environment protects data, and says how to go ahead', () => {
    expect(refusal('destroy', ['web-prod'])).toBe(
      'refusing to destroy web-prod (environment "prod" has deletionProtection: true). Destroying it deletes data. ' +
        'If that is really what you want, run `npm run destroy -- web-prod --allow-destroy-protected-data`; ' +
        'prevent_destroy on the data resources still stops Terraform until deletionProtection is false and deployed.',
    );
  });

  it('refuses the bootstrap stack, and --all when any stack protects data', () => {
    expect(refusal('destroy', ['web-state'])).toMatch(/^refusing to destroy web-state \(it holds the Terraform state of every stack\)\./);
    expect(refusal('destroy', ['--all'])).toMatch(
      /^refusing to destroy web-state \(.*\), web-prod \(environment "prod" has deletionProtection: true\)\./,
    );
  });

  it('goes ahead on a stack that protects nothing', () => {
    expect(plan('destroy', ['web-dev'])).toEqual([['destroy', 'web-dev']]);
  });

  it('goes ahead on a protected stack with the explicit flag, which cdktf never sees', () => {
    expect(plan('destroy', ['web-prod', '--allow-destroy-protected-data', '--auto-approve'])).toEqual([
      ['destroy', 'web-prod', '--auto-approve'],
    ]);
  });

  it('follows the config: with deletionProtection false, prod may go', () => {
    const config = configWith((e) => {
      e.deletionProtection = false;
    });
    expect(plan('destroy', ['web-prod'], config)).toEqual([['destroy', 'web-prod']]);
  });

  it('--all with the flag: environments first, the bootstrap stack last', () => {
    expect(plan('destroy', ['--all', '--allow-destroy-protected-data'])).toEqual([
      ['destroy', ...environmentStacks().map((s) => s.stack)],
      ['destroy', stackNames()[0]],
    ]);
  });
});

describe('deploy and diff', () => {
  it('pass stack names and cdktf flags through', () => {
    expect(plan('deploy', ['web-dev', '--auto-approve'])).toEqual([['deploy', 'web-dev', '--auto-approve']]);
    expect(plan('diff', ['web-prod'])).toEqual([['diff', 'web-prod']]);
  });

  it('--all: the bootstrap stack first, on its own (the others need its bucket)', () => {
    expect(plan('deploy', ['--all', '--auto-approve'])).toEqual([
      ['deploy', stackNames()[0], '--auto-approve'],
      ['deploy', ...environmentStacks().map((s) => s.stack), '--auto-approve'],
    ]);
  });

  it('runs stacks whose state is in PostgreSQL one at a time', () => {
    const pg: PlatformInput = { ...platform, environments: platform.environments.map((e) => ({ ...e, backend: { kind: 'pg' as const } })) };
    expect(plan('deploy', ['web-dev', 'web-prod'], pg)).toEqual([['deploy', 'web-dev', 'web-prod', '--parallelism=1']]);
    expect(plan('deploy', ['web-dev', 'web-prod', '--parallelism=2'], pg)).toEqual([['deploy', 'web-dev', 'web-prod', '--parallelism=2']]);
    expect(plan('deploy', ['web-dev'], pg)).toEqual([['deploy', 'web-dev']]);
  });

  it('refuse the data flag outside destroy', () => {
    expect(refusal('deploy', ['web-prod', '--allow-destroy-protected-data'])).toBe(
      '--allow-destroy-protected-data applies to destroy only, not to deploy',
    );
  });
});

describe('the release after a deploy', () => {
  const releases = (command: StackCommand, args: string[]) => planReleases(command, args, validateConfig(platform));

  it('releases every environment the deploy applied, in the config order, and no bootstrap stack', () => {
    expect(releases('deploy', ['web-prod', '--auto-approve'])).toEqual(['prod']);
    expect(releases('deploy', ['--all'])).toEqual(environmentStacks().map((s) => s.env.name));
    expect(releases('deploy', [stackNames()[0]])).toEqual([]);
  });

  it('--no-release stops after the apply; cdktf never sees the flag', () => {
    expect(releases('deploy', ['web-prod', '--no-release'])).toEqual([]);
    expect(plan('deploy', ['web-prod', '--no-release', '--auto-approve'])).toEqual([['deploy', 'web-prod', '--auto-approve']]);
  });

  it('diff and destroy release nothing, and refuse --no-release', () => {
    expect(releases('diff', ['web-prod'])).toEqual([]);
    expect(releases('destroy', ['web-dev'])).toEqual([]);
    expect(refusal('diff', ['web-prod', '--no-release'])).toBe('--no-release applies to deploy only, not to diff');
  });
});

describe('arguments, parsed as npm passes them', () => {
  it('cdktf options after --, verbatim, with their values', () => {
    expect(plan('deploy', ['web-dev', '--', '--var-file', 'dev.tfvars', '--refresh-only'])).toEqual([
      ['deploy', 'web-dev', '--var-file', 'dev.tfvars', '--refresh-only'],
    ]);
  });

  it('--parallelism as --flag value and --flag=value', () => {
    expect(plan('deploy', ['web-dev', '--parallelism', '4'])).toEqual([['deploy', 'web-dev', '--parallelism=4']]);
    expect(plan('deploy', ['web-dev', '--parallelism=4'])).toEqual([['deploy', 'web-dev', '--parallelism=4']]);
    expect(refusal('deploy', ['web-dev', '--parallelism', 'many'])).toBe('--parallelism needs a whole number of at least 1, got "many"');
  });

  it('an unknown option before -- is refused with the way to pass it to cdktf', () => {
    expect(refusal('deploy', ['web-dev', '--var-file', 'foo.tfvars'])).toBe(
      "Unknown option '--var-file'; cdktf's own options go after --, e.g. npm run deploy -- web-dev -- --var-file dev.tfvars",
    );
  });

  it('the refusal of a protected destroy spells the command that goes ahead, as typed through npm', () => {
    expect(refusal('destroy', ['--all', '--auto-approve'])).toContain(
      'run `npm run destroy -- --all --allow-destroy-protected-data --auto-approve`',
    );
  });
});

describe('the selection must be explicit and known', () => {
  it('no stack named', () => {
    expect(refusal('deploy', [])).toBe(
      `name the stacks to deploy (${stackNames().join(', ')}) or give --all, e.g. npm run deploy -- ${stackNames()[stackNames().length - 1]}`,
    );
  });

  it('an unknown stack (cdktf globs are not accepted: protection is decided per name)', () => {
    expect(refusal('destroy', ['web-*'])).toBe(`unknown stack "web-*"; the stacks are: ${stackNames().join(', ')}`);
  });

  it('names and --all together', () => {
    expect(refusal('diff', ['web-dev', '--all'])).toBe('give stack names or --all, not both');
  });
});

describe('unlock', () => {
  const unlockRefusal = (args: string[], config: PlatformInput = platform): string => {
    try {
      planUnlock(args, validateConfig(config));
    } catch (error) {
      expect(error).toBeInstanceOf(StackCommandError);
      return (error as Error).message;
    }
    throw new Error(`unlock ${args.join(' ')} was not refused`);
  };
  // The stacks the config makes, in their order (the usage lists them).
  const stacks = stacksOf(validateConfig(platform))
    .map((s) => s.name)
    .join(', ');
  const usage = `usage: npm run unlock -- <stack> <lock id> [-force]; the stacks are: ${stacks}; the lock id is the "ID" Terraform printed with "Error acquiring the state lock"`;

  it('takes the stack, the lock id and terraform force-unlock flags', () => {
    expect(planUnlock(['web-dev', '2c5e1a4b-0000-4000-8000-000000000000', '-force'], validateConfig(platform))).toEqual({
      stack: 'web-dev',
      lockId: '2c5e1a4b-0000-4000-8000-000000000000',
      flags: ['-force'],
    });
  });

  it('needs both the stack and the lock id', () => {
    expect(unlockRefusal(['web-dev'])).toBe(`give the stack and the lock id (got 1 argument). ${usage}`);
  });

  it('refuses an unknown stack', () => {
    expect(unlockRefusal(['web-test', 'abc'])).toBe(`unknown stack "web-test". ${usage}`);
  });

  it('refuses stacks whose state lock cannot outlive its holder', () => {
    const local = { ...platform, state: { ...platform.state!, backend: 'local' as const } };
    expect(unlockRefusal(['web-state', 'abc'], local)).toBe(
      'web-state keeps its state in a local file, whose lock ends with the process that held it: there is no lock left to remove',
    );
    const pg = configWith((e) => {
      e.backend = { kind: 'pg' };
    }, 'dev');
    expect(unlockRefusal(['web-dev', 'abc'], pg)).toBe(
      'web-dev keeps its state in PostgreSQL, whose advisory lock ends with the database session that held it: there is no lock left to remove',
    );
  });
});

describe('cdktf runs with CHECKPOINT_DISABLE', () => {
  it('adds CHECKPOINT_DISABLE=1 to the caller environment', () => {
    expect(cdktfEnvironment({ PATH: '/bin', CHECKPOINT_DISABLE: '0' })).toEqual({ PATH: '/bin', CHECKPOINT_DISABLE: '1' });
  });
});

describe('npm run destroy (the real entry point, refusing before cdktf runs)', () => {
  it('exits 1 with the refusal and runs nothing', () => {
    const root = join(__dirname, '..');
    const run = spawnSync(process.execPath, ['scripts/app.mjs', 'scripts/stack-command.ts', 'destroy', 'web-prod'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^destroy: refusing to destroy web-prod \(environment "prod" has deletionProtection: true\)/);
    expect(run.stderr).not.toContain('> cdktf');
  });
});

describe('npm run unlock (the real entry point, refusing before anything runs)', () => {
  it('exits 1 with the usage when the lock id is missing, and synthesizes nothing', () => {
    const root = join(__dirname, '..');
    const run = spawnSync(process.execPath, ['scripts/app.mjs', 'scripts/unlock.ts', 'web-dev'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^unlock: give the stack and the lock id \(got 1 argument\)\. usage: npm run unlock -- <stack> <lock id>/);
    expect(run.stderr).not.toContain('> sh');
  });
});
