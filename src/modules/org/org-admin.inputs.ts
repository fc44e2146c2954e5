import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DepartmentType, OrgUnit, OrgUnitKind, ParkLevel } from './org-unit.entity';
import { RecordChangeInput } from '../../core/graphql/common-inputs';

@InputType({ description: 'A new unit under `parentId`. A county and a city-run park sit under the city, a county-run park under its county, a department under the city, a county or a park.' })
export class CreateOrgUnitInput {
  @Field(() => ID)
  parentId: string;

  @Field(() => String, { description: 'Upper-case letters, digits and "-" (2–32); unique, e.g. "MY-FC-NEWPARK".' })
  code: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  nameEn: string;

  @Field(() => OrgUnitKind, { description: 'COUNTY, CITY_PARK, COUNTY_PARK or DEPARTMENT (there is one city).' })
  kind: OrgUnitKind;

  @Field(() => String, { nullable: true, description: 'GB/T 2260 code (six digits), counties only.' })
  regionCode?: string | null;

  @Field(() => DepartmentType, { nullable: true, description: 'Departments only.' })
  departmentType?: DepartmentType | null;

  @Field(() => ParkLevel, { nullable: true, description: 'Parks only.' })
  parkLevel?: ParkLevel | null;

  @Field(() => String, { nullable: true, description: '"YYYY-MM-DD"; left out, valid from always.' })
  validFrom?: string | null;
}

@InputType({ description: 'New names; fields left out are not changed.' })
export class RenameOrgUnitInput extends RecordChangeInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  nameEn?: string | null;
}

@InputType({ description: 'Moves the unit and everything below it under `parentId`; scopes over the old and new parents change at once.' })
export class MoveOrgUnitInput extends RecordChangeInput {
  @Field(() => ID)
  parentId: string;
}

@InputType({ description: 'Ends the unit\'s validity. It keeps its place in the tree, its history and its records, which stay visible to the scopes above it.' })
export class CloseOrgUnitInput extends RecordChangeInput {
  @Field(() => String, { description: 'Last valid day, "YYYY-MM-DD". Units below must be closed first.' })
  validTo: string;
}

@ObjectType()
export class OrgUnitPayload {
  @Field(() => OrgUnit)
  orgUnit: OrgUnit;
}
