/**
 * How `npm run cost` shows estimates: a plain table per environment (the terminal), Markdown (a pull request
 * comment, the README), JSON (other tools), and the change between two estimates (`--diff <ref>`).
 */
import type { CostLine, Estimate } from './estimate';
import { PRICES_READ } from './prices';

const usd = (value: number): string => `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const signed = (raw: number): string => {
  const value = Math.round(raw * 100) / 100;
  return value > 0 ? `+${usd(value)}` : value < 0 ? `−${usd(-value)}` : usd(0);
};
/** Unit prices keep their digits ($0.0252), without float noise. */
const price = (value: number): string => `$${Number(value.toPrecision(6))}`;
const amount = (value: number): string => Number(value.toFixed(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
const mark = (line: CostLine) => (line.confirmed ? '' : ' †');
const UNCONFIRMED = '† a price that no public source confirmed when the table was written (cost/prices.ts)';

/**
 * Columns padded to their widest cell; numbers right-aligned. Hand-written: a dozen lines, and the text
 * table libraries draw box characters or wrap cells, which a CI log or a copied terminal does not need.
 */
function columns(rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/** The plain-text estimate of each environment, for the terminal. */
export function toText(estimates: readonly Estimate[]): string {
  const out: string[] = [];
  for (const e of estimates) {
    out.push(`${e.stack} (${e.region}): ${usd(e.total)} per month, on-demand`);
    const rows = [
      ['item', 'quantity', 'unit price', 'per month'],
      ...e.lines.map((l) => [`${l.item}${mark(l)}`, `${amount(l.quantity)} ${l.unit}`, price(l.unitPrice), usd(l.monthly)]),
      ['total', '', '', usd(e.total)],
    ];
    out.push(...columns(rows, [false, true, true, true]).map((line) => `  ${line}`), '');
  }
  out.push(
    `Prices: USD, on-demand list prices recorded ${PRICES_READ}, 730 hours a month, usage as each environment's config assumes (usage).`,
  );
  if (estimates.some((e) => e.lines.some((l) => !l.confirmed))) out.push(UNCONFIRMED);
  return `${out.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** Markdown: a summary table, then one table per environment (pull request comments, the README). */
export function toMarkdown(estimates: readonly Estimate[]): string {
  const out = [
    '| environment | region | per month |',
    '| --- | --- | ---: |',
    ...estimates.map((e) => `| \`${e.stack}\` | ${e.region} | **${usd(e.total)}** |`),
    '',
  ];
  for (const e of estimates) {
    out.push(
      `**\`${e.stack}\`** — ${usd(e.total)} per month`,
      '',
      '| item | quantity | unit price | per month | basis |',
      '| --- | ---: | ---: | ---: | --- |',
    );
    for (const l of e.lines)
      out.push(
        `| ${cell(l.item)}${mark(l)} | ${amount(l.quantity)} ${l.unit} | ${price(l.unitPrice)} | ${usd(l.monthly)} | ${cell(l.basis)} |`,
      );
    out.push(`| **total** | | | **${usd(e.total)}** | |`, '');
  }
  out.push(
    `USD, on-demand list prices recorded ${PRICES_READ} (cost/prices.ts), 730 hours a month, usage as each environment's config assumes (\`usage\`).`,
  );
  if (estimates.some((e) => e.lines.some((l) => !l.confirmed))) out.push(`${UNCONFIRMED}.`);
  return `${out.join('\n')}\n`;
}

/** JSON for other tools: every estimate with its lines and the usage it assumed. */
export function toJson(estimates: readonly Estimate[]): string {
  return `${JSON.stringify({ pricesRecorded: PRICES_READ, hoursPerMonth: 730, currency: 'USD', estimates }, null, 2)}\n`;
}

/** One line of a change: the same item before and after. */
export interface ChangedLine {
  readonly item: string;
  readonly before: number;
  readonly after: number;
}

/** What changes per environment between `base` and `head` estimates (environments matched by stack name). */
export interface CostDiff {
  readonly stack: string;
  readonly before: number;
  readonly after: number;
  readonly lines: readonly ChangedLine[];
}

export function diffEstimates(base: readonly Estimate[], head: readonly Estimate[]): CostDiff[] {
  const stacks = [...new Set([...head.map((e) => e.stack), ...base.map((e) => e.stack)])];
  return stacks.map((stack) => {
    const b = base.find((e) => e.stack === stack);
    const h = head.find((e) => e.stack === stack);
    const items = [...new Set([...(h?.lines ?? []).map((l) => l.item), ...(b?.lines ?? []).map((l) => l.item)])];
    const sum = (e: Estimate | undefined, item: string) =>
      Math.round((e?.lines ?? []).filter((l) => l.item === item).reduce((n, l) => n + l.monthly * 100, 0)) / 100;
    const lines = items.map((item) => ({ item, before: sum(b, item), after: sum(h, item) })).filter((l) => l.before !== l.after);
    return { stack, before: b?.total ?? 0, after: h?.total ?? 0, lines };
  });
}

/** The change as Markdown (a pull request comment) or text. */
export function diffToText(diffs: readonly CostDiff[], ref: string, markdown: boolean): string {
  const out: string[] = [];
  if (markdown) {
    out.push(`Monthly cost change against \`${ref}\`:`, '', '| environment | before | after | change |', '| --- | ---: | ---: | ---: |');
    for (const d of diffs) out.push(`| \`${d.stack}\` | ${usd(d.before)} | ${usd(d.after)} | **${signed(d.after - d.before)}** |`);
    for (const d of diffs.filter((x) => x.lines.length > 0)) {
      out.push('', `**\`${d.stack}\`**`, '', '| item | before | after | change |', '| --- | ---: | ---: | ---: |');
      for (const l of d.lines) out.push(`| ${cell(l.item)} | ${usd(l.before)} | ${usd(l.after)} | ${signed(l.after - l.before)} |`);
    }
  } else {
    out.push(`Monthly cost change against ${ref}:`);
    for (const d of diffs) {
      out.push(`${d.stack}: ${usd(d.before)} → ${usd(d.after)} (${signed(d.after - d.before)})`);
      if (d.lines.length > 0)
        out.push(
          ...columns(
            d.lines.map((l) => [l.item, usd(l.before), '→', usd(l.after), `(${signed(l.after - l.before)})`]),
            [false, true, false, true, true],
          ).map((l) => `  ${l}`),
        );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Markers around the generated cost section of README.md (`npm run readme` writes it). */
export const COST_START = '<!-- cost:start (generated by npm run readme from the shipped config; do not edit by hand) -->';
export const COST_END = '<!-- cost:end -->';

/** The README's cost section, markers included. */
export function readmeCostSection(estimates: readonly Estimate[]): string {
  return `${COST_START}\n\n${toMarkdown(estimates)}\n${COST_END}`;
}
