import { ApiError } from '../api/client';
import { fieldErrors, unplacedProblems } from './forms';

jest.mock('../auth/session', () => ({ getSession: () => null, endSession: () => undefined }));

describe('API field errors in forms', () => {
  const error = new ApiError(400, 'VALIDATION_FAILED', 'email must be an email address; taxId too short', [
    { field: 'email', problem: 'must be an email address' },
    { field: 'taxId', problem: 'must be longer than or equal to 4 characters' },
    { field: 'taxId', problem: 'must start with a country code' },
    { field: 'sponsorPartyId', problem: 'does not exist' },
  ]);

  it('gives each field its problems', () => {
    expect(fieldErrors(error)).toEqual({
      email: 'must be an email address',
      taxId: 'must be longer than or equal to 4 characters; must start with a country code',
      sponsorPartyId: 'does not exist',
    });
    expect(fieldErrors(new Error('boom'))).toEqual({});
  });

  it('keeps for the form only what no field shows', () => {
    expect(unplacedProblems(error, ['email', 'taxId', 'sponsorPartyId'])).toEqual({ message: null, fields: [] });
    expect(unplacedProblems(error, ['email', 'taxId'])).toEqual({
      message: 'Some details need attention.',
      fields: [{ field: 'sponsorPartyId', problem: 'does not exist' }],
    });
    expect(unplacedProblems(new ApiError(409, 'APPROVAL_ALREADY_DECIDED', 'already decided'), ['comment'])).toEqual({ message: 'already decided', fields: [] });
    expect(unplacedProblems(null, [])).toEqual({ message: null, fields: [] });
  });
});
