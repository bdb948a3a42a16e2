import type { CliCommand } from './index';

const command: CliCommand = {
  async run(): Promise<number> {
    const { startServer } = await import('../../main.js');
    await startServer();
    return await new Promise<number>(() => undefined); // runs until a signal stops it
  },
};
export const { run } = command;
