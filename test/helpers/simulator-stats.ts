import { STATS_PATH, type SimulatorStats } from '../../src/sandbox/simulator.js';
import type { SandboxSettings } from './cli-process.js';

/** The simulator's stats over HTTP (tasks in flight now and at most, every task): the sandbox runs as its own process. */
export async function simulatorStats(settings: SandboxSettings): Promise<SimulatorStats> {
  const response = await fetch(`${settings.apiBaseUrl}${STATS_PATH}`, { headers: { authorization: `Bearer ${settings.env.EVOLINK_API_KEY}` } });
  if (response.status !== 200) throw new Error(`the simulator's stats answered HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as SimulatorStats;
}
