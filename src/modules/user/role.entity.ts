import { Entity, Index } from 'typeorm';
import { BooleanColumn, JsonColumn, LongTextColumn, TextColumn, VersionedRecord } from '../../core/db/columns';

/** A CASL raw rule as stored: conditions may hold placeholders such as "${scope.subtree}". */
export interface StoredRule {
  action: string | string[];
  subject: string | string[];
  fields?: string[];
  conditions?: Record<string, any>;
  inverted?: boolean;
  reason?: string;
}

/** A role is a named rule set; bindings give it a scope. */
@Entity('roles')
export class Role extends VersionedRecord {
  @Index({ unique: true })
  @TextColumn(64)
  key: string;

  @TextColumn(100)
  name: string;

  @LongTextColumn({ nullable: true })
  description: string | null;

  @BooleanColumn()
  builtIn: boolean;

  @JsonColumn()
  rules: StoredRule[];
}
