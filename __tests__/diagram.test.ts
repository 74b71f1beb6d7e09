/**
 * The architecture diagrams (`npm run diagram`), for every configured environment stack: the SVG parses; every
 * subnet (with its CIDR), NAT gateway, load balancer, auto scaling group (with min/desired/max) and database
 * of the stack is in it; dev and prod differ exactly as their configs do; a re-run is byte-identical; headless
 * Chromium renders it to a PNG of sensible size that is not blank; the README's copy is current.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { PNG } from 'pngjs';
import { apiBehindEdge } from '../config/edge';
import type { EnvironmentConfig } from '../config/types';
import { drawStack, modelOf, renderSvg, toDot } from '../diagram';
import { DIAGRAM_END, DIAGRAM_START, README_DIAGRAM, readmeDiagramSection } from '../diagram/readme';
import { environmentStacks } from './support/stacks';
import { synth, type StackJson } from './support/synth';

const root = join(__dirname, '..');
const { stacks, outdir } = synth();
const drawn: Record<string, { dot: string; svg: string }> = {};

beforeAll(async () => {
  for (const { stack } of environmentStacks()) drawn[stack] = await drawStack(stack, stacks[stack]);
}, 60_000);

/** The SVG parsed strictly: any XML error throws. */
function parse(svg: string): Document {
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`SVG does not parse: ${message}`);
    },
  }).parseFromString(svg, 'image/svg+xml');
  if (doc.documentElement?.nodeName !== 'svg') throw new Error('no <svg> root element');
  return doc;
}

/** Elements by SVG id; Graphviz writes a table cell's id with an `a_` prefix (its anchor). */
function byId(doc: Document): Map<string, Element> {
  const found = new Map<string, Element>();
  const walk = (el: Element) => {
    const id = el.getAttribute('id');
    if (id) found.set(id.replace(/^a_/, ''), el);
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) walk(c as Element);
  };
  walk(doc.documentElement as Element);
  return found;
}

/** All text inside an element, joined. */
const textOf = (el: Element): string =>
  Array.from(el.getElementsByTagName('text'))
    .map((t) => t.textContent ?? '')
    .join(' ');
const addresses = (stack: StackJson, type: string) => Object.keys(stack.resource[type] ?? {}).map((name) => `${type}.${name}`);
const natCount = (env: EnvironmentConfig) =>
  env.natGateways === 'none' ? 0 : env.natGateways === 'single' ? 1 : env.availabilityZones.length;

describe.each(environmentStacks())('$stack diagram', ({ stack, env }) => {
  it('is SVG that parses', () => {
    expect(() => parse(drawn[stack].svg)).not.toThrow();
    expect(drawn[stack].dot).toMatch(/^digraph /);
  });

  it('shows every subnet with its zone and CIDR, and every NAT gateway, load balancer, auto scaling group and database of the stack', () => {
    const ids = byId(parse(drawn[stack].svg));
    const json = stacks[stack];
    for (const address of addresses(json, 'aws_subnet')) {
      const subnet = json.resource.aws_subnet[address.split('.')[1]];
      expect({ address, shown: ids.has(address) }).toEqual({ address, shown: true });
      expect(textOf(ids.get(address)!)).toContain(subnet.cidr_block);
      expect(textOf(ids.get(address)!)).toContain(subnet.availability_zone);
    }
    for (const type of ['aws_nat_gateway', 'aws_lb'])
      for (const address of addresses(json, type)) expect({ address, shown: ids.has(address) }).toEqual({ address, shown: true });
    for (const address of addresses(json, 'aws_autoscaling_group')) {
      const { min_size, desired_capacity, max_size } = json.resource.aws_autoscaling_group[address.split('.')[1]];
      expect(textOf(ids.get(address)!)).toContain(`min ${min_size} / desired ${desired_capacity} / max ${max_size}`);
    }
    for (const address of addresses(json, 'aws_db_instance')) {
      expect(ids.has(`${address}.primary`)).toBe(true);
      expect(ids.has(`${address}.standby`)).toBe(json.resource.aws_db_instance[address.split('.')[1]].multi_az === true);
    }
  });

  it('draws what the config says: a column per zone in each tier, NAT gateways per strategy, a standby with Multi-AZ', () => {
    const model = modelOf(stack, stacks[stack]);
    expect(model.zones).toEqual([...env.availabilityZones].sort());
    for (const tier of ['public', 'app', 'data'] as const) expect(model.subnets[tier].map((s) => s.zone)).toEqual(model.zones);
    expect(model.nats).toHaveLength(natCount(env));
    expect(Object.keys(model.natRoutes)).toHaveLength(natCount(env) > 0 ? env.availabilityZones.length : 0);
    expect(model.database?.multiAz).toBe(env.database.multiAz);
    expect(model.autoScalingGroup).toMatchObject({
      min: env.compute.minSize,
      desired: env.compute.desiredCapacity,
      max: env.compute.maxSize,
      instanceType: env.compute.instanceType,
    });
    expect(model.hops).toEqual(
      expect.arrayContaining([
        { from: 'alb', to: 'app', port: env.compute.appPort },
        { from: apiBehindEdge(env) ? 'edge' : 'internet', to: 'alb', port: env.https ? 443 : 80 },
      ]),
    );
    expect(model.firewall !== undefined).toBe(env.webFirewall.enabled);
    const labels = drawn[stack].dot;
    expect(labels).toContain(`label="  ${env.compute.appPort}"`);
  });

  it('is byte-identical when drawn again', async () => {
    const again = await renderSvg(toDot(modelOf(stack, structuredClone(stacks[stack]))));
    expect(again).toBe(drawn[stack].svg);
  });
});

describe('dev and prod differ exactly as their configs do', () => {
  const all = environmentStacks();
  it.each(all.slice(1).map((b) => [all[0].stack, b.stack, all[0], b] as const))('%s vs %s', (_a, _b, a, b) => {
    const shown = (s: string, pattern: RegExp) => [...byId(parse(drawn[s].svg)).keys()].filter((id) => pattern.test(id)).length;
    expect([shown(a.stack, /^aws_nat_gateway\./), shown(b.stack, /^aws_nat_gateway\./)]).toEqual([natCount(a.env), natCount(b.env)]);
    expect([shown(a.stack, /\.standby$/), shown(b.stack, /\.standby$/)]).toEqual([
      Number(a.env.database.multiAz),
      Number(b.env.database.multiAz),
    ]);
    expect([shown(a.stack, /^aws_subnet\./), shown(b.stack, /^aws_subnet\./)]).toEqual([
      3 * a.env.availabilityZones.length,
      3 * b.env.availabilityZones.length,
    ]);
  });
});

describe('npm run diagram (the command)', () => {
  it('writes a .svg and a .dot per environment stack, the same bytes on every run', () => {
    const work = mkdtempSync(join(tmpdir(), 'diagram-'));
    try {
      const run = (out: string) =>
        spawnSync(process.execPath, [join(root, 'scripts', 'app.mjs'), 'scripts/diagram.ts', '--from', outdir, '--out', join(work, out)], {
          cwd: root,
          encoding: 'utf8',
        });
      for (const out of ['first', 'second']) expect(run(out).status).toBe(0);
      const expected = environmentStacks()
        .flatMap(({ stack }) => [`${stack}.dot`, `${stack}.svg`])
        .sort();
      expect(readdirSync(join(work, 'first')).sort()).toEqual(expected);
      for (const file of expected) expect(readFileSync(join(work, 'second', file))).toEqual(readFileSync(join(work, 'first', file)));
      for (const { stack } of environmentStacks()) expect(readFileSync(join(work, 'first', `${stack}.svg`), 'utf8')).toBe(drawn[stack].svg);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('headless Chromium renders each diagram', () => {
  const chromium = process.env.CHROMIUM_BIN ?? 'chromium';

  it.each(environmentStacks())(
    "$stack: to a PNG of the SVG's size that is not blank",
    ({ stack }) => {
      const probe = spawnSync(chromium, ['--version'], { encoding: 'utf8' });
      if (probe.error || probe.status !== 0) {
        throw new Error(
          `${chromium} not found: install Debian's chromium (bash scripts/ci-deps.sh does) or set CHROMIUM_BIN to a Chromium or Chrome binary`,
        );
      }
      const work = mkdtempSync(join(tmpdir(), 'chromium-'));
      try {
        const svg = drawn[stack].svg;
        const [, w, h] = /<svg[^>]*width="(\d+)pt"[^>]*height="(\d+)pt"/.exec(svg) ?? [];
        const width = Math.ceil((Number(w) * 4) / 3);
        const height = Math.ceil((Number(h) * 4) / 3);
        expect(width).toBeGreaterThan(400);
        expect(height).toBeGreaterThan(300);
        const file = join(work, `${stack}.svg`);
        writeFileSync(file, svg);
        const png = join(work, `${stack}.png`);
        const result = spawnSync(
          chromium,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--hide-scrollbars',
            `--user-data-dir=${join(work, 'profile')}`,
            `--window-size=${width},${height}`,
            `--screenshot=${png}`,
            `file://${file}`,
          ],
          { encoding: 'utf8', timeout: 90_000 },
        );
        expect({ status: result.status, error: result.error?.message }).toEqual({ status: 0, error: undefined });
        const image = PNG.sync.read(readFileSync(png));
        expect([image.width, image.height]).toEqual([width, height]);
        // Not blank: many colours, and ink (non-white pixels) over a fair part of the picture.
        const colours = new Set<number>();
        let ink = 0;
        for (let i = 0; i < image.data.length; i += 4) {
          const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]];
          colours.add((r << 16) | (g << 8) | b);
          if (r + g + b < 720) ink++;
        }
        expect(colours.size).toBeGreaterThan(50);
        expect(ink / (image.width * image.height)).toBeGreaterThan(0.05);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe('the README', () => {
  it(`embeds the diagram of ${README_DIAGRAM}, and its copy is what npm run readme draws`, () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf(DIAGRAM_START);
    const end = readme.indexOf(DIAGRAM_END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end + DIAGRAM_END.length)).toBe(readmeDiagramSection());
    const stack = environmentStacks().find((s) => s.stack === README_DIAGRAM.stack);
    expect(stack).toBeDefined();
    expect(readFileSync(join(root, README_DIAGRAM.file), 'utf8')).toBe(drawn[README_DIAGRAM.stack].svg);
  });
});
