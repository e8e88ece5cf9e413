import type { SandboxSettings } from './cli-process.js';

/** Tasks in flight now and at most at once, and every task created (what the simulator serves at /_sandbox/stats). */
export interface SimulatorStatsBody {
  inFlight: number;
  maxInFlight: number;
  tasks: { id: string; createdAt: string; status: string; prompt: string | null }[];
}

/** The simulator's stats over HTTP: the simulator runs in the sandbox's own process. */
export async function simulatorStats(settings: SandboxSettings): Promise<SimulatorStatsBody> {
  const response = await fetch(`${settings.apiBaseUrl}/_sandbox/stats`, { headers: { authorization: `Bearer ${settings.env.EVOLINK_API_KEY}` } });
  if (response.status !== 200) throw new Error(`the simulator's stats answered HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as SimulatorStatsBody;
}
