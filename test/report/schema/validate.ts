/**
 * JUnit XML against the two schemas CI parsers follow (README.md here): the Jenkins xunit plugin's
 * junit-10.xsd as it is, and the Ant JUnit.xsd where the two agree. Ant requires what only a test
 * runner knows (a timestamp, the host, a package and id per suite, its properties and captured
 * output) and forbids what Jenkins allows (totals on <testsuites>, output inside a testcase); those
 * are filled in or taken out first, so what is left is checked by both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCHEMAS = import.meta.dirname;

/** xmllint's complaints, or '' when the file validates. */
function xmllint(file: string, schema: string): string {
  const result = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, schema), file], { encoding: 'utf8' });
  if (result.error !== undefined)
    throw new Error(`xmllint is needed (Debian: apt-get install libxml2-utils; .ci/run installs it): ${result.error.message}`);
  return result.status === 0 ? '' : result.stderr;
}

/** Only what both schemas allow: Ant's runner-only attributes filled in, Jenkins-only parts taken out. */
function asAntJunit(xml: string): string {
  let id = 0;
  return xml
    .replace(/<testsuites [^>]*>/, '<testsuites>')
    .replace(
      /<testsuite ([^>]*)>/g,
      (_, attributes: string) =>
        `<testsuite ${attributes} package="convdoc" id="${id++}" timestamp="2026-01-01T00:00:00" hostname="localhost"><properties/>`,
    )
    .replace(/(<testcase [^>]*>)\s*<system-out>[^<]*<\/system-out>\s*<\/testcase>/g, '$1</testcase>')
    .replace(/<\/testsuite>/g, '<system-out/><system-err/></testsuite>');
}

export function junitSchemaErrors(xml: string): { jenkins: string; ant: string } {
  const folder = mkdtempSync(path.join(tmpdir(), 'convdoc-junit-'));
  const [asIs, ant] = [path.join(folder, 'report.xml'), path.join(folder, 'ant.xml')];
  writeFileSync(asIs, xml);
  writeFileSync(ant, asAntJunit(xml));
  return { jenkins: xmllint(asIs, 'junit-10.xsd'), ant: xmllint(ant, 'JUnit.xsd') };
}
