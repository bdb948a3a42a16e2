import type { ModelView } from '../../models/models.service';
import { parseCli } from '../args';
import { callApi } from '../http-client';
import { withService } from '../service-access';

export async function run(args: string[]): Promise<number> {
  const { values } = parseCli(args, { url: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    process.stdout.write('caveat models list [--url URL] [--json]\n  Lists models (from a running server with --url, else the local database).\n');
    return 0;
  }
  const models = await withService(
    values.url,
    (url) => callApi<ModelView[]>(url, 'GET', 'models'),
    (local) => local.models.list(),
  );
  if (values.json) {
    process.stdout.write(JSON.stringify(models, null, 2) + '\n');
    return 0;
  }
  if (models.length === 0) {
    process.stdout.write('no models yet (POST /models to register one)\n');
    return 0;
  }
  const rows = models.map((m) => [m.name, m.classes.join(' | '), `v${m.costPolicy.version}`, m.costPolicy.tStar.toFixed(4), m.description]);
  const head = ['name', 'classes', 'policy', 'T*', 'description'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write([line(head), ...rows.map(line)].join('\n') + '\n');
  return 0;
}
