import type { Command } from '../command.js';
import { inspectCommand } from './inspect.js';
import { keygenCommand } from './keygen.js';
import { recordsCommand } from './records.js';
import { reportsCommand } from './reports.js';
import { sendTestCommand } from './send-test.js';
import { verifyCommand } from './verify.js';
import { webCommand } from './web.js';

/** The commands of DESIGN.md's CLI contract, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  keygenCommand,
  recordsCommand,
  inspectCommand,
  verifyCommand,
  sendTestCommand,
  reportsCommand,
  webCommand,
];
