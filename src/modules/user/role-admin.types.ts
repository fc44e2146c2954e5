/**
 * The GraphQL shape of roles and role bindings. The entity classes (role.entity.ts,
 * role-binding.entity.ts) belong to the authorization core and are also read by the seed and the
 * ability builder; their GraphQL fields are declared here, with the same decorators an entity file
 * would carry, so the admin API stays in its own files. Resolved fields (the binding's user, role
 * and scope unit, a role's bindings) live in role-admin.resolver.ts.
 */
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { NodeRecord } from '../../core/graphql/node';
import { RoleBinding } from './role-binding.entity';
import { Role } from './role.entity';

Field(() => String, { description: 'Stable key, e.g. "county_officer"; unique.' })(Role.prototype, 'key');
Field(() => String)(Role.prototype, 'name');
Field(() => String, { nullable: true })(Role.prototype, 'description');
Field(() => Boolean, { description: 'Built-in roles are maintained in code and re-applied on every start: they cannot be changed or deleted here.' })(
  Role.prototype,
  'builtIn',
);
Field(() => [GraphQLJSON], {
  description:
    'CASL raw rules as stored: { action, subject, fields?, conditions?, inverted?, reason? }. Conditions may use the placeholders ' +
    '"${scope.id}", "${scope.subtree}", "${user.id}" and "${user.enterpriseId}", filled from each binding.',
})(Role.prototype, 'rules');
ObjectType('Role', { implements: NodeRecord, description: 'A named rule set; bindings give it to a user at a scope unit.' })(Role);

Field(() => Date, { description: 'When the binding was made.' })(RoleBinding.prototype, 'createdAt');
ObjectType('RoleBinding', { description: "A role given to a user at a scope unit: the role's rules apply with placeholders filled from this scope." })(
  RoleBinding,
);

export { Role, RoleBinding };
