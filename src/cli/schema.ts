import type { Command } from 'commander';
import { configJsonSchema } from '../config/json-schema.js';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command('schema <which>')
    .description('print the JSON Schema of the config file ("config") or of the report ("report")')
    .action((which: string) => {
      if (which === 'config') io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      else if (which === 'report') throw new UsageError('convdoc schema report is not built yet; it comes with convdoc diagnose. Use: convdoc schema config');
      else throw new UsageError(`convdoc schema: unknown schema "${which}". Use "config" or "report".`);
    });
}
