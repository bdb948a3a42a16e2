import 'reflect-metadata';

export async function startServer(): Promise<void> {
  throw new Error('not yet');
}

if (require.main === module) void startServer();
