import { AdmissionLimit, Place } from '../host/admissionLimit';

const options = { max: 32, invokeTargetMs: 750, messageTargetMs: 2_000 };

function fill(limit: AdmissionLimit): Place[] {
  const places: Place[] = [];
  for (let p = limit.tryTake(); p; p = limit.tryTake()) places.push(p);
  return places;
}

describe('how many messages are taken at once', () => {
  it('takes MAX_CONCURRENT_MESSAGES at first and answers the next busy', () => {
    const limit = new AdmissionLimit(options);
    expect(fill(limit)).toHaveLength(32);
    expect(limit.tryTake()).toBeUndefined();
  });

  it('takes a quarter fewer after an invoke (a card button) answered later than 750 ms, once for the crowd that was in at the time', () => {
    const limit = new AdmissionLimit(options);
    const crowd = fill(limit);
    limit.give(crowd[0]!, { kind: 'invoke', tookMs: 1_200 });
    expect(limit.current).toBe(24);
    // The rest of that crowd was as slow, for the same reason: no further cut.
    for (const p of crowd.slice(1, 20)) limit.give(p, { kind: 'invoke', tookMs: 1_500 });
    expect(limit.current).toBe(24);
    // Twelve still in: twelve more are taken, and a slow answer from one of those cuts again.
    const later = fill(limit);
    expect(later).toHaveLength(12);
    limit.give(later[0]!, { kind: 'message', tookMs: 2_500 });
    expect(limit.current).toBe(18);
  });

  it('never falls below half of MAX_CONCURRENT_MESSAGES, however slow the answers', () => {
    const limit = new AdmissionLimit(options);
    for (let round = 0; round < 20; round++) {
      const p = limit.tryTake() ?? fail('no room at all');
      limit.give(p, { kind: 'invoke', tookMs: 10_000 });
    }
    expect(limit.current).toBe(16);
    expect(fill(limit)).toHaveLength(16);
  });

  it('a turn of 1.5 s is in time (messages have 2 s), an invoke of 1.5 s is not', () => {
    const limit = new AdmissionLimit(options);
    limit.give(limit.tryTake()!, { kind: 'message', tookMs: 1_500 });
    expect(limit.current).toBe(32);
    limit.give(limit.tryTake()!, { kind: 'invoke', tookMs: 1_500 });
    expect(limit.current).toBe(24);
  });

  it('rises again by about one place for each round of answers in time while it is full, up to the most and no further', () => {
    const limit = new AdmissionLimit(options);
    const inside = fill(limit);
    limit.give(inside.pop()!, { kind: 'invoke', tookMs: 900 });
    expect(limit.current).toBe(24);
    // Kept full, as in a burst: each answer in time lets the next one in.
    const answerInTime = (): void => {
      inside.push(...fill(limit));
      limit.give(inside.shift()!, { kind: 'message', tookMs: 100 });
    };
    let answers = 0;
    while (limit.current === 24) {
      answerInTime();
      answers++;
    }
    expect(limit.current).toBe(25);
    expect(answers).toBeGreaterThanOrEqual(20);
    expect(answers).toBeLessThanOrEqual(32);
    for (let i = 0; i < 2_000; i++) answerInTime();
    expect(limit.current).toBe(32);
  });

  it('does not rise on answers in time when few are in: a quiet hour says nothing about a crowded one', () => {
    const limit = new AdmissionLimit(options);
    limit.give(limit.tryTake()!, { kind: 'invoke', tookMs: 5_000 });
    expect(limit.current).toBe(24);
    for (let i = 0; i < 1_000; i++) limit.give(limit.tryTake()!, { kind: 'message', tookMs: 50 });
    expect(limit.current).toBe(24);
  });

  it('counts work that goes on after its answer, and a request refused before it was handled moves nothing', () => {
    const limit = new AdmissionLimit({ ...options, max: 4 });
    const release = limit.hold();
    expect(fill(limit)).toHaveLength(3);
    release();
    release();
    expect(limit.admitted).toBe(3);
    const p = limit.tryTake()!;
    limit.give(p);
    expect(limit.current).toBe(4);
  });
});
