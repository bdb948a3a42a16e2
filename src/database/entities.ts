import { CalibratorEntity } from '../calibration/calibrator.entity';
import { RuleSetEntity } from '../rule-sets/rule-set.entity';
import { CostPolicyEntity } from '../models/cost-policy.entity';
import { ModelEntity } from '../models/model.entity';

/** Every TypeORM entity; each lives in the module that owns it. */
export const ENTITIES = [
  ModelEntity,
  CostPolicyEntity,
  CalibratorEntity,
  RuleSetEntity,
];
