import { CreateModelsAndPredictions1796401451380 } from '../../migrations/1796401451380-CreateModelsAndPredictions';
import { CreateCalibrators1796410000000 } from '../../migrations/1796410000000-CreateCalibrators';
import { CreateRuleSets1796420000000 } from '../../migrations/1796420000000-CreateRuleSets';
import { CreateConceptsAndCrowd1796430000000 } from '../../migrations/1796430000000-CreateConceptsAndCrowd';
import { CreateDecisionsAndDetectors1796440000000 } from '../../migrations/1796440000000-CreateDecisionsAndDetectors';
import { DecisionsItemHashIndex1796450000000 } from '../../migrations/1796450000000-DecisionsItemHashIndex';

/** Every migration, in order. Listed explicitly so the same list runs from ts (tests) and js (dist). */
export const MIGRATIONS = [
  CreateModelsAndPredictions1796401451380,
  CreateCalibrators1796410000000,
  CreateRuleSets1796420000000,
  CreateConceptsAndCrowd1796430000000,
  CreateDecisionsAndDetectors1796440000000,
  DecisionsItemHashIndex1796450000000,
];
