#!/usr/bin/env node
import { EXIT_OUTPUT_CLOSED, guardOutput, OUTPUT_CLOSED_EVENT } from './closed-output.js';
import { processIo } from './io.js';
import { runCli } from './main.js';
import { endUnexpectedly } from './unexpected-end.js';

process.on('uncaughtException', endUnexpectedly);
process.on('unhandledRejection', endUnexpectedly);

const output = guardOutput(processIo(), { stdout: process.stdout, stderr: process.stderr }, () => {
  // a command that stops cleanly (a create in flight is let finish and recorded) is told; any other ends at once, as by SIGPIPE
  if (process.listenerCount(OUTPUT_CLOSED_EVENT) > 0) (process as NodeJS.EventEmitter).emit(OUTPUT_CLOSED_EVENT);
  else process.exit(EXIT_OUTPUT_CLOSED);
});
const code = await runCli(process.argv.slice(2), output.io);
process.exitCode = output.closed() ? EXIT_OUTPUT_CLOSED : code;
