import type { Command } from '../command.js';
import { applyCommand } from './apply.js';
import { planCommand } from './plan.js';
import { rollbackCommand } from './rollback.js';
import { inboundCommand } from './inbound.js';
import { relayCommand } from './relay.js';
import { tlsCommand } from './tls.js';
import { inspectCommand } from './inspect.js';
import { outboundCommand } from './outbound.js';
import { keygenCommand } from './keygen.js';
import { recordsCommand } from './records.js';
import { reportsCommand } from './reports.js';
import { rotateCommand } from './rotate.js';
import { requirementsCommand } from './requirements.js';
import { sendTestCommand } from './send-test.js';
import { verifyCommand } from './verify.js';
import { statusCommand } from './status.js';
import { watchCommand } from './watch.js';
import { webCommand } from './web.js';

/** The commands of DESIGN.md's CLI contract, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  keygenCommand,
  recordsCommand,
  inspectCommand,
  planCommand,
  applyCommand,
  rollbackCommand,
  verifyCommand,
  sendTestCommand,
  reportsCommand,
  inboundCommand,
  rotateCommand,
  relayCommand,
  tlsCommand,
  outboundCommand,
  requirementsCommand,
  watchCommand,
  statusCommand,
  webCommand,
];
