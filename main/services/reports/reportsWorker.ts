// The report reader's worker thread: messages in, reports out, batch by batch, so parsing
// never blocks the main process (the wizard's IPC, web mode's HTTP server, the CLI's signals).
// Bundled as its own file next to the CLI and the Electron main (scripts/build.mjs).
import { parentPort } from 'node:worker_threads';
import { MessageParser } from './parseMessages.js';
import type { WorkerRequest, WorkerReply } from './workerProtocol.js';

const port = parentPort;
if (port === null) throw new Error('reportsWorker runs only as a worker thread');

let parser: MessageParser | null = null;

port.on('message', (request: WorkerRequest) => {
  const reply = (message: WorkerReply): void => port.postMessage(message);
  try {
    if (request.type === 'start') {
      parser = new MessageParser({ budget: request.budget, limits: request.limits });
      return;
    }
    parser ??= new MessageParser();
    if (request.type === 'messages') {
      const batch = parser.parse(request.messages);
      reply({ type: 'batch', ...batch, messagesRead: parser.messagesRead, messagesLeftOut: parser.messagesLeftOut });
      return;
    }
    if (request.type === 'pieces') {
      const reader = parser;
      reader.timed(() => {
        for (const piece of request.pieces) {
          if (piece.kind === 'begin') reader.begin();
          else if (piece.kind === 'text') reader.write(piece.text);
          else reader.end();
        }
      });
      reply({ type: 'batch', ...reader.take(), messagesRead: reader.messagesRead, messagesLeftOut: reader.messagesLeftOut });
      return;
    }
    const note = parser.budgetNote();
    reply({ type: 'done', budgetNote: note, decodedBytes: parser.budget.decodedBytes, rows: parser.budget.rows, elapsedMs: parser.budget.elapsedMs() });
  } catch (error) {
    reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
