/**
 * The diagram model as Graphviz DOT. The VPC holds one table per tier, each with one column per zone (equal
 * widths, so the columns line up from tier to tier): the public tier with the load balancer across its
 * subnets and the NAT gateways in theirs, the app tier with its subnets and the auto scaling group across
 * them, the data tier with the database primary and standby above its subnets. Security-group hops are
 * arrows labelled with their port. Every part a test looks for carries an SVG id: its Terraform address.
 */
import type { DiagramModel, Hop, Part, SubnetBox } from './model';

const COLORS = {
  public: '#e8f5e9',
  app: '#e3f2fd',
  data: '#fff3e0',
  edge: '#37474f',
  route: '#78909c',
  border: '#90a4ae',
  service: '#f5f5f5',
};
const CELL_WIDTH = 230;

/** Text for an HTML-like label. */
const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const lines = (...parts: string[]): string =>
  parts
    .filter((p) => p !== '')
    .map(esc)
    .join('<BR/>');
const bold = (text: string): string => `<B>${esc(text)}</B>`;
/** A cell's SVG id: Graphviz writes it only for a cell with an anchor, so the Terraform address is its tooltip too. */
const cellId = (address: string): string => `ID=${quote(address)} TOOLTIP=${quote(address)}`;
const port = (zone: string): string => zone.replace(/[^A-Za-z0-9]/g, '_');

function subnetCell(s: SubnetBox, tier: string, extra: string, inner = ''): string {
  return (
    `<TD ${cellId(s.address)} PORT=${quote(`${tier}_${port(s.zone)}`)} WIDTH="${CELL_WIDTH}" BGCOLOR="white" STYLE="rounded">` +
    `<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1"><TR><TD>${bold(`${tier} subnet · ${s.zone}`)}</TD></TR><TR><TD>${esc(s.cidr)}</TD></TR>` +
    `${extra === '' ? '' : `<TR><TD><FONT POINT-SIZE="9">${esc(extra)}</FONT></TD></TR>`}${inner}</TABLE></TD>`
  );
}

function table(color: string, title: string, columns: number, rows: readonly string[]): string {
  return `<<TABLE BORDER="1" COLOR="${COLORS.border}" STYLE="rounded" BGCOLOR="${color}" CELLSPACING="6" CELLPADDING="6"><TR><TD COLSPAN="${columns}" ALIGN="LEFT" BORDER="0">${bold(title)}</TD></TR>${rows.join('')}</TABLE>>`;
}

const portsOf = (hops: readonly Hop[], from: Part, to: Part): string =>
  hops
    .filter((h) => h.from === from && h.to === to)
    .map((h) => String(h.port))
    .join(', ');

/** DOT for `model`: deterministic (everything sorted in the model), laid out by `dot`. */
export function toDot(model: DiagramModel): string {
  const { zones, subnets, hops } = model;
  const n = Math.max(zones.length, 1);
  const natIn = new Map(model.nats.map((nat) => [nat.zone, nat]));
  const out: string[] = [];
  out.push(`digraph ${quote(model.stack)} {`);
  out.push(
    `  graph [fontname="Helvetica", fontsize=14, labelloc=t, newrank=true, nodesep=0.5, ranksep=0.55, pad=0.3, label=<${bold(`${model.stack} · ${model.region}`)}<BR/><FONT POINT-SIZE="10">drawn from the synthesized stack by npm run diagram</FONT>>];`,
    '  node [shape=plaintext, fontname="Helvetica", fontsize=10, margin="0.15,0.08"];',
    `  edge [fontname="Helvetica", fontsize=10, color="${COLORS.edge}", fontcolor="${COLORS.edge}"];`,
    `  internet [shape=box, style="rounded,filled", fillcolor="${COLORS.service}", label=<${bold('Internet')}<BR/>users>];`,
  );

  // Outside the VPC, in front of it: CloudFront and the firewall.
  for (const d of model.distributions) {
    out.push(
      `  ${quote(d.address)} [id=${quote(d.address)}, shape=box, style="rounded,filled", fillcolor="${COLORS.service}", label=<${bold('CloudFront distribution')}<BR/>${lines(`origins: ${d.origins.join(', ')}`)}>];`,
    );
  }
  if (model.firewall) {
    out.push(
      `  ${quote(model.firewall.address)} [id=${quote(model.firewall.address)}, shape=box, style="rounded,filled", fillcolor="#fce4ec", label=<${bold('AWS WAF web ACL')}<BR/>${lines(model.firewall.name, `${model.firewall.rules} rules (managed groups${model.firewall.rateLimit ? ', rate limit' : ''})`)}>];`,
    );
  }

  out.push(
    '  subgraph cluster_vpc {',
    `    label=<${bold(`VPC ${model.vpcCidr}`)}>; style="rounded"; color="${COLORS.border}"; fontsize=12;`,
  );
  // Public tier: an internet-facing load balancer across it, then its subnets with their NAT gateways. An internal
  // one sits across the app subnets instead, reached through CloudFront's VPC origin.
  const lb = model.loadBalancer;
  const lbTier = lb?.internal ? 'app' : 'public';
  const lbRow = lb
    ? `<TR><TD ${cellId(lb.address)} PORT="alb" COLSPAN="${n}" BGCOLOR="white" STYLE="rounded">${bold(`Application Load Balancer ${lb.name}`)}<BR/>${lines(lb.listeners.join(' · '), lb.internal ? 'internal, across the app subnets: reached through the CloudFront VPC origin' : 'across the public subnets')}</TD></TR>`
    : '';
  const publicRows = [
    lbTier === 'public' ? lbRow : '',
    `<TR>${subnets.public
      .map((s) => {
        const nat = natIn.get(s.zone);
        const inner = nat
          ? `<TR><TD ${cellId(nat.address)} PORT=${quote(`nat_${port(s.zone)}`)} BORDER="1" BGCOLOR="#c8e6c9">${bold('NAT gateway')}</TD></TR>`
          : '';
        return subnetCell(s, 'public', '0.0.0.0/0 → internet gateway', inner);
      })
      .join('')}</TR>`,
  ];
  out.push(`    public [id="tier_public", label=${table(COLORS.public, 'public tier', n, publicRows)}];`);

  // App tier: subnets, then the auto scaling group across them.
  const asg = model.autoScalingGroup;
  const appRows = [
    lbTier === 'app' ? lbRow : '',
    `<TR>${subnets.app
      .map((s) =>
        subnetCell(s, 'app', model.natRoutes[s.zone] ? `0.0.0.0/0 → NAT in ${model.natRoutes[s.zone]}` : 'no route out of the VPC'),
      )
      .join('')}</TR>`,
    asg
      ? `<TR><TD ${cellId(asg.address)} PORT="asg" COLSPAN="${n}" BGCOLOR="white" STYLE="rounded">${bold(`Auto Scaling group ${asg.name}`)}<BR/>${lines(`${asg.instanceType} · min ${asg.min} / desired ${asg.desired} / max ${asg.max}`, 'across the app subnets')}</TD></TR>`
      : '',
  ];
  out.push(`    app [id="tier_app", label=${table(COLORS.app, 'app tier (private)', n, appRows)}];`);

  // Data tier: the database primary and its standby, then the subnets.
  const db = model.database;
  const dbCells = db
    ? `<TD ${cellId(`${db.address}.primary`)} BGCOLOR="white" STYLE="rounded">${bold(`RDS ${db.engine} ${db.version} primary`)}<BR/>${lines(`${db.identifier} · ${db.instanceClass}`, db.multiAz ? 'in one of the data subnets' : 'single-AZ: no standby')}</TD>` +
      (db.multiAz
        ? `<TD ${cellId(`${db.address}.standby`)} BGCOLOR="white" STYLE="rounded,dashed">${bold('RDS standby')}<BR/>${lines('synchronous copy (Multi-AZ)', 'in another data subnet')}</TD>`
        : '')
    : '';
  const dataRows = [
    db ? `<TR><TD PORT="db" COLSPAN="${n}" BORDER="0"><TABLE BORDER="0" CELLSPACING="6"><TR>${dbCells}</TR></TABLE></TD></TR>` : '',
    `<TR>${subnets.data.map((s) => subnetCell(s, 'data', 'no route out of the VPC')).join('')}</TR>`,
  ];
  out.push(`    data [id="tier_data", label=${table(COLORS.data, 'data tier (isolated)', n, dataRows)}];`);
  out.push('    public -> app -> data [style=invis, weight=20];', '  }');

  // Around the VPC: what watches and protects it.
  const services: string[] = [];
  if (model.alerts)
    services.push(
      `    ${quote(model.alerts.address)} [id=${quote(model.alerts.address)}, label=<${bold('SNS alerts topic')}<BR/>${lines(model.alerts.name, `${model.alerts.alarms} alarms · ${model.alerts.subscriptions} subscription${model.alerts.subscriptions === 1 ? '' : 's'}`)}>];`,
    );
  if (model.dashboard)
    services.push(
      `    ${quote(model.dashboard.address)} [id=${quote(model.dashboard.address)}, label=<${bold('CloudWatch dashboard')}<BR/>${lines(model.dashboard.name)}>];`,
    );
  for (const key of model.keys)
    services.push(`    ${quote(key)} [id=${quote(key)}, label=<${bold('KMS key')}<BR/>${lines('encrypts data at rest')}>];`);
  if (model.buckets.length > 0)
    services.push(`    buckets [id="buckets", label=<${bold('S3 buckets')}<BR/>${lines(...model.buckets.map((b) => b.name))}>];`);
  if (services.length > 0) {
    out.push(
      '  subgraph cluster_services {',
      `    label=<${bold('watching and protecting')}>; style="rounded,filled"; fillcolor="${COLORS.service}"; color="${COLORS.border}"; fontsize=12;`,
      '    node [shape=box, style="rounded,filled", fillcolor="white"];',
      ...services,
      '  }',
    );
    // Stacked beside the VPC: the first level with the public tier, each next one below it.
    const ids = services.map((line) => line.trim().split(' [')[0]);
    out.push(`  { rank=same; public; ${ids[0]}; }`, `  ${ids.join(' -> ')} [style=invis];`);
  }

  // Traffic: security-group hops, labelled with their ports.
  const front = model.distributions.length > 0 ? model.distributions.map((d) => quote(d.address)) : ['internet'];
  if (model.distributions.length > 0) for (const d of front) out.push(`  internet -> ${d} [label="HTTPS"];`);
  // The load balancer admits the internet, or CloudFront alone (its prefix list) when the API is behind the edge.
  const web = portsOf(hops, 'internet', 'alb');
  if (lb && web) out.push(`  internet -> ${lbTier}:alb:n [label=${quote(`  ${web}`)}, penwidth=1.5];`);
  const edge = portsOf(hops, 'edge', 'alb');
  const through = lb?.internal ? ' via VPC origin' : '';
  if (lb && edge) for (const f of front) out.push(`  ${f} -> ${lbTier}:alb:n [label=${quote(`  ${edge}${through}`)}, penwidth=1.5];`);
  if (model.firewall && lb)
    out.push(`  ${quote(model.firewall.address)} -> ${lbTier}:alb:n [style=dashed, arrowhead=none, label="  inspects", constraint=false];`);
  const app = portsOf(hops, 'alb', 'app');
  if (lb && asg && app) out.push(`  ${lbTier}:alb:e -> app:asg:e [label=${quote(`  ${app}`)}, penwidth=1.5];`);
  const data = portsOf(hops, 'app', 'db');
  if (asg && db && data) out.push(`  app:asg:s -> data:db:n [label=${quote(`  ${data}`)}, penwidth=1.5];`);
  // Egress: each app subnet's default route to its NAT gateway (drawn from the NAT so the tiers keep their order).
  const egress = portsOf(hops, 'app', 'internet');
  for (const s of subnets.app) {
    const nat = model.natRoutes[s.zone];
    if (nat)
      out.push(
        `  public:${quote(`nat_${port(nat)}`)}:s -> app:${quote(`app_${port(s.zone)}`)}:n [dir=back, style=dashed, color="${COLORS.route}", fontcolor="${COLORS.route}", label=${quote(egress ? `  out ${egress}` : '')}];`,
      );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
