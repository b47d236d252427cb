// Roles and permissions come from the pure core, the same table the server enforces.
export { isRole, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '../../core/roles';
