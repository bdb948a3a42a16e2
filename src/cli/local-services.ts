import { loadConfig, type CaveatConfig } from '../config/config';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { PredictionsService } from '../predictions/predictions.service';
import { CalibrationService } from '../calibration/calibration.service';

/** The services the CLI drives directly on the database (embedded, or DATABASE_URL), without HTTP. */
export interface LocalServices {
  config: CaveatConfig;
  db: Database;
  models: ModelsService;
  predictions: PredictionsService;
  calibration: CalibrationService;
  close(): Promise<void>;
}

export async function openLocal(): Promise<LocalServices> {
  const config = loadConfig();
  const db = await Database.open(config);
  const models = new ModelsService(db);
  const predictions = new PredictionsService(db, models, config);
  const calibration = new CalibrationService(db, models);
  return { config, db, models, predictions, calibration, close: () => db.close() };
}
