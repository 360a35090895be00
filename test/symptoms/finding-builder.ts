import type { Finding } from '../../src/symptoms/finding.js';
import type { FixId, Severity, SymptomId } from '../../src/symptoms/ids.js';

/** A finding with placeholder evidence, for tests of the passes that judge findings after the detectors. */
export const finding = (symptom: SymptomId, severity: Severity, fixes: FixId[] = []): Finding => ({
  symptom,
  severity,
  confidence: 0.9,
  evidence: { measured: 1, threshold: 1, what: 'x' },
  message: `${symptom}.`,
  fixes,
});
