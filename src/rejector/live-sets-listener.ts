import { Client } from 'pg';

export interface ListenerHandlers {
  notified(payload: string): void;
  /**
   * Called each time LISTEN takes effect, the first time included: notifications sent before it
   * (while connecting, or disconnected) are lost, so whatever was loaded meanwhile must reload.
   */
  listening(): void;
  error(e: Error): void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * A dedicated PostgreSQL connection that LISTENs on one channel (issue 6: rule sets reload in every
 * process when one activates a version). Not a pool connection: a LISTEN holds its session. On an
 * error or a dropped connection it reconnects with exponential backoff (250 ms doubling to 10 s).
 */
export class LiveSetsListener {
  private client: Client | null = null;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly on: ListenerHandlers,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url });
    this.client = client;
    let failed = false;
    const fail = (e: Error) => {
      if (failed || this.stopped) return;
      failed = true;
      this.on.error(e);
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
      this.retryTimer.unref();
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('connection ended')));
    client.on('notification', (m) => {
      if (m.channel === this.channel) this.on.notified(m.payload ?? '');
    });
    try {
      await client.connect();
      // The channel name is a fixed identifier (RuleSetEvents.CHANNEL), quoted as one.
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
      if (this.stopped) return void (await client.end().catch(() => undefined));
      this.retryMs = FIRST_RETRY_MS;
      this.on.listening();
    } catch (e) {
      fail(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
