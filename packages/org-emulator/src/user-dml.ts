/**
 * Creating and updating Users as Salesforce does: valid username, email and alias, globally unique usernames, a
 * seat on the profile's user license for an active user, deactivation rules, the profile's permission set assigned.
 */
import { ApiError, MESSAGES } from './errors.js';
import { requireValues } from './dml-values.js';
import { checkDeactivation } from './retire-rules.js';
import { REQUIRED_ON_CREATE } from './schema-rules.js';
import type { OrgState, Rec } from './state.js';
import { fieldText } from './field-text.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function createUser(org: OrgState, values: Record<string, unknown>): Rec {
  checkUserValues(values);
  const username = String(values.Username);
  if (org.usernameTaken(username)) throw new ApiError('DUPLICATE_USERNAME', MESSAGES.duplicateUsername, ['Username']);
  const profile = org.get(values.ProfileId as string)!;
  if (values.IsActive !== false) checkSeat(org, profile);
  const user = org.insert('User', {
    IsActive: true,
    UserType: 'Standard',
    CommunityNickname: `${username.split('@')[0]}${Math.floor(Math.random() * 1e6)}`,
    ...values,
  });
  org.registerUsername(user);
  assignProfileSet(org, user);
  org.recountLicenses();
  return user;
}

export function updateUser(org: OrgState, user: Rec, values: Record<string, unknown>): void {
  const merged = { ...user, ...values };
  requireValues(REQUIRED_ON_CREATE.User, merged);
  checkUserValues(values);
  checkDeactivation(org, user, values);
  if (values.Username !== undefined && org.usernameTaken(fieldText(values.Username), user.Id)) {
    throw new ApiError('DUPLICATE_USERNAME', MESSAGES.duplicateUsername, ['Username']);
  }
  const profileChanged = values.ProfileId !== undefined && values.ProfileId !== user.ProfileId;
  const activating = values.IsActive === true && user.IsActive !== true;
  const newProfile = org.get(merged.ProfileId as string)!;
  const licenseChanged = org.get(user.ProfileId as string)?.UserLicenseId !== newProfile.UserLicenseId;
  if (merged.IsActive === true && (activating || (profileChanged && licenseChanged))) checkSeat(org, newProfile);
  if (values.Username !== undefined) org.ctx.usernames.delete(String(user.Username).toLowerCase());
  org.update(user, values);
  org.registerUsername(user);
  if (profileChanged) {
    // the old profile's permission set goes, the new one's comes
    for (const a of org.filter(
      'PermissionSetAssignment',
      (x) => x.AssigneeId === user.Id && org.get(x.PermissionSetId as string)?.IsOwnedByProfile === true,
    ))
      org.remove(a.Id);
    assignProfileSet(org, user);
  }
  org.recountLicenses();
}

function checkUserValues(values: Record<string, unknown>): void {
  if (values.Username !== undefined && !EMAIL.test(fieldText(values.Username))) {
    throw new ApiError('INVALID_EMAIL_ADDRESS', `Username: invalid email address: ${fieldText(values.Username)}`, [
      'Username',
    ]);
  }
  if (values.Email !== undefined && !EMAIL.test(fieldText(values.Email))) {
    throw new ApiError('INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${fieldText(values.Email)}`, ['Email']);
  }
  if (values.Alias !== undefined && fieldText(values.Alias).length > 8) {
    throw new ApiError('STRING_TOO_LONG', `Alias: data value too large: ${fieldText(values.Alias)} (max length=8)`, [
      'Alias',
    ]);
  }
}

/** LICENSE_LIMIT_EXCEEDED when the profile's user license has no seat left. */
function checkSeat(org: OrgState, profile: Rec): void {
  org.recountLicenses();
  const lic = org.get(profile.UserLicenseId as string);
  if (lic && Number(lic.UsedLicenses) >= Number(lic.TotalLicenses))
    throw new ApiError('LICENSE_LIMIT_EXCEEDED', MESSAGES.licenseLimitExceeded, []);
}

function assignProfileSet(org: OrgState, user: Rec): void {
  const ps = org.find('PermissionSet', (p) => p.ProfileId === user.ProfileId);
  if (ps) org.insert('PermissionSetAssignment', { AssigneeId: user.Id, PermissionSetId: ps.Id, IsActive: true });
}
