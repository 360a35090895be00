import type { Command } from '@commander-js/extra-typings';
import { configJsonSchema } from '../config/json-schema.js';
import { reportJsonSchema } from '../report/report-schema.js';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command('schema <which>')
    .description('print the JSON Schema of the config file ("config") or of the report ("report")')
    .action((which) => {
      if (which === 'config') io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      else if (which === 'report') io.stdout.write(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
      else throw new UsageError(`convdoc schema: unknown schema "${which}". Use "config" or "report".`);
    });
}
