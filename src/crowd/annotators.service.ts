import { Inject, Injectable } from '@nestjs/common';
import { cleanName } from '../concepts/id-param';
import { CaveatError } from '../core/errors';
import { Database } from '../database/database';
import { isUniqueViolation } from '../database/pg-errors';
import type { AnnotatorRole, CreateAnnotatorDto } from './dto/create-annotator.dto';

export interface AnnotatorView {
  id: number;
  name: string;
  role: AnnotatorRole;
  createdAt: Date;
}

const SELECT = `SELECT id, name, role, created_at AS "createdAt" FROM annotators`;

/** People who answer tasks and report failures; the role is recorded with every label they give. */
@Injectable()
export class AnnotatorsService {
  constructor(@Inject(Database) private readonly db: Database) {}

  async create(dto: CreateAnnotatorDto): Promise<AnnotatorView> {
    const name = cleanName(dto.name);
    try {
      const [row] = await this.db.dataSource.query(`INSERT INTO annotators (name, role) VALUES ($1, $2) RETURNING id, name, role, created_at AS "createdAt"`, [name, dto.role]);
      return row;
    } catch (e) {
      if (isUniqueViolation(e)) throw new CaveatError('conflict', `an annotator named '${name}' already exists`, { field: 'name' });
      throw e;
    }
  }

  list(role?: string): Promise<AnnotatorView[]> {
    return role === undefined ? this.db.dataSource.query(`${SELECT} ORDER BY id`) : this.db.dataSource.query(`${SELECT} WHERE role = $1 ORDER BY id`, [role]);
  }

  get(id: number, field = 'id'): Promise<AnnotatorView> {
    return requireAnnotator(this.db.dataSource, id, field);
  }
}

/** Anything with TypeORM's `query` (a DataSource, or a QueryRunner inside a transaction). */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** The annotator, or `not_found` naming `field`. */
export async function requireAnnotator(q: Queryable, id: number, field: string): Promise<AnnotatorView> {
  const rows: AnnotatorView[] = await q.query(`${SELECT} WHERE id = $1`, [id]);
  if (rows.length === 0) throw new CaveatError('not_found', `no annotator ${id}`, { field });
  return rows[0];
}
