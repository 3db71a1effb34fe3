import { sequenceDecider } from '../../../src/commands/sequence/sequenceDecider';
import { ValidationError } from '../../../src/errors';
import { deciderSpecification } from '../../helpers/givenWhenThen';

const spec = deciderSpecification(sequenceDecider);
const now = '2026-03-19T12:00:00.000Z';
const reserve = (size: number, minimumId = 1) =>
  ({ type: 'ReserveIdBlock', data: { sequence: 'postId', size, minimumId, now } }) as const;

describe('Given a fresh sequence', () => {
  it('When a block of 100 is reserved, then it is 1..100', () =>
    spec
      .given([])
      .when(reserve(100))
      .then([{ type: 'IdBlockReserved', data: { sequence: 'postId', from: 1, to: 100, reservedAt: now } }]));
  it('When a block of 0 is reserved, then it is a validation error', () =>
    spec.given([]).when(reserve(0)).thenThrows(ValidationError));
});

describe('Given a reserved block 1..100', () => {
  const given = [{ type: 'IdBlockReserved', data: { sequence: 'postId', from: 1, to: 100, reservedAt: now } }] as const;
  it('When the next block is reserved, then it starts right above: 101..200', () =>
    spec
      .given([...given])
      .when(reserve(100))
      .then([{ type: 'IdBlockReserved', data: { sequence: 'postId', from: 101, to: 200, reservedAt: now } }]));
  it('When a block must start above 150, then it starts at the minimum', () =>
    spec
      .given([...given])
      .when(reserve(10, 151))
      .then([{ type: 'IdBlockReserved', data: { sequence: 'postId', from: 151, to: 160, reservedAt: now } }]));
  it('When the minimum is below the reserved range, then the block still lies above every earlier one', () =>
    spec
      .given([...given])
      .when(reserve(1, 5))
      .then([{ type: 'IdBlockReserved', data: { sequence: 'postId', from: 101, to: 101, reservedAt: now } }]));
});
