import type { Command } from '@commander-js/extra-typings';
import { configJsonSchema } from '../config/json-schema.js';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command('schema <which>')
    .description('print the JSON Schema of the config file ("config") or of the report ("report")')
    .action(async (which) => {
      if (which === 'config') io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      else if (which === 'report') {
        // Loaded here: the report's schema (14 modules) is for this command only, not every start.
        const { reportJsonSchema } = await import('../report/report-schema.js');
        io.stdout.write(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
      } else throw new UsageError(`convdoc schema: unknown schema "${which}". Use "config" or "report".`);
    });
}
