import fs from 'node:fs';

/**
 * Preloaded into the server by `syncFlood.bench.ts` (`--import`): a 1 ms timer notes every gap
 * between its ticks longer than 5 ms, with the process CPU time spent during the gap. A gap full
 * of CPU is a task that held the event loop; a gap without CPU is the machine descheduling the
 * server (noise on a shared machine). Written to LOOP_GAP_FILE as JSON when the process exits.
 */
const file = process.env.LOOP_GAP_FILE;
if (file) {
  const gaps: Array<{ atNs: string; wallMs: number; cpuMs: number }> = [];
  let lastNs = process.hrtime.bigint();
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const nowNs = process.hrtime.bigint();
    const cpu = process.cpuUsage(lastCpu);
    const wallMs = Number(nowNs - lastNs) / 1e6;
    if (wallMs > 5) gaps.push({ atNs: String(nowNs), wallMs, cpuMs: (cpu.user + cpu.system) / 1000 });
    lastNs = nowNs;
    lastCpu = process.cpuUsage();
  }, 1).unref();
  process.on('exit', () => fs.writeFileSync(file, JSON.stringify(gaps)));
}
