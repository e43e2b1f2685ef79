import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { memoryFigures, startMemoryLog } from '../../src/memory-log.js';

/** PULSE_MEMORY_LOG_MS: where the process's memory is, as log lines the embedded bench reads back. */
describe('the memory log', () => {
  it('logs this process\'s figures at once and then at its interval, with the embedded database\'s WASM memory', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(chunk.toString()); done(); } }));
    const stop = startMemoryLog(20, logger, { wasmMemoryBytes: () => 128 * 2 ** 20 });
    await new Promise((resolve) => setTimeout(resolve, 70));
    stop();
    const logged = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'memory');
    expect(logged.length).toBeGreaterThanOrEqual(2);
    const { memory } = logged[0];
    expect(memory.wasmMb).toBe(128);
    expect(memory.rssMb).toBeGreaterThan(memory.heapUsedMb);
    expect(memory.heapTotalMb).toBeGreaterThanOrEqual(memory.heapUsedMb);
    expect(memory.heapLimitMb).toBeGreaterThan(0);
  });

  it('is off at 0, and leaves out the WASM figure on a server database', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(chunk.toString()); done(); } }));
    startMemoryLog(0, logger)();
    expect(lines).toEqual([]);
    expect(memoryFigures({})).not.toHaveProperty('wasmMb');
  });
});
