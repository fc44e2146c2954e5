/** `orderBy` inputs: a field of the type's own enum and a direction; ties are always broken by id. */
import { ClassType, Field, InputType, registerEnumType } from 'type-graphql';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

export interface Order<F> {
  field: F;
  direction: OrderDirection;
}

/** The `<typeName>` input type `{ field: <fieldEnum>!, direction: OrderDirection = ASC }`. */
export function OrderInput<F>(typeName: string, fieldEnum: object): ClassType<Order<F>> {
  @InputType(typeName)
  class OrderType {
    @Field(() => fieldEnum)
    field: F;

    @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
    direction: OrderDirection;
  }
  return OrderType;
}
