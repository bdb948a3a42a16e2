import { invalid } from '../errors';
import type { TextDetectors } from '../rejection/rejector';
import { KeywordLexiconDetector, type KeywordLexiconJson } from './keyword-lexicon';
import { TextClassifierDetector, type TextClassifierJson } from './text-classifier';
import { prepareText, type PreparedText } from './text-preparation';

/** A text concept detector of either kind. */
export type TextConceptDetector = KeywordLexiconDetector | TextClassifierDetector;

/** What is stored for a detector (JSON); `restoreTextDetector` turns it back into one. */
export type TextDetectorJson = KeywordLexiconJson | TextClassifierJson;

export function restoreTextDetector(json: TextDetectorJson): TextConceptDetector {
  switch (json?.kind) {
    case 'lexicon':
      return KeywordLexiconDetector.restore(json);
    case 'classifier':
      return TextClassifierDetector.restore(json);
    default:
      throw invalid('detector.kind', `must be 'lexicon' or 'classifier', got ${JSON.stringify((json as { kind?: unknown })?.kind)}`);
  }
}

/** The detectors in the form the rejector takes: the text is tokenized and stemmed once per request. */
export function textDetectors(detectors: readonly TextConceptDetector[]): TextDetectors<PreparedText> {
  return { prepare: prepareText, detectors };
}
