import { AccessEndings, announceResumptions, type AccessEnding } from './access-endings';

describe('AccessEndings', () => {
  it('hands every ending to every listener, even when one of them fails', () => {
    const endings = new AccessEndings();
    const failing = jest.fn(() => {
      throw new Error('broken listener');
    });
    const heard: AccessEnding[] = [];
    endings.listen(failing);
    const stop = endings.listen((ending) => heard.push(ending));
    jest.spyOn((endings as unknown as { logger: { error(message: string): void } }).logger, 'error').mockImplementation(() => undefined);

    endings.announce({ kind: 'tenant-suspended', tenantId: 't' });
    stop();
    endings.announce({ kind: 'user-removed', tenantId: 't', userId: 'u' });
    expect(heard).toEqual([{ kind: 'tenant-suspended', tenantId: 't' }]);
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('announces a resumption when a feed follows again after a gap, not when it first starts', () => {
    const endings = new AccessEndings();
    const heard: AccessEnding[] = [];
    endings.listen((ending) => heard.push(ending));
    const followingChanged = announceResumptions(endings);

    followingChanged(true);
    expect(heard).toEqual([]);
    followingChanged(false);
    followingChanged(true);
    expect(heard).toEqual([{ kind: 'announcements-resumed' }]);
  });
});
