import { ServicePeers } from './service-peers';

describe('ServicePeers in a single process', () => {
  it("runs the topic's local handler and answers for this process alone", async () => {
    const peers = new ServicePeers();
    let flushed = 0;
    peers.handle('decision-log.flush', async () => {
      flushed++;
    });
    peers.handle('decision-log.stats', () => ({ written: 3 }));
    expect(await peers.all('decision-log.flush')).toEqual({ answers: [{ pid: process.pid, value: undefined }], missing: 0, errors: [] });
    expect(flushed).toBe(1);
    expect(await peers.all('decision-log.stats')).toEqual({ answers: [{ pid: process.pid, value: { written: 3 } }], missing: 0, errors: [] });
  });

  it('refuses a topic nobody handles, naming it', async () => {
    await expect(new ServicePeers().all('decision-log.stats')).rejects.toThrow('no handler for decision-log.stats');
  });
});
