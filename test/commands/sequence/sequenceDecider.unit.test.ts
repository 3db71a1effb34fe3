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

const forStream = (minimumId: number, stream = 'channel-1') =>
  ({
    type: 'ReserveStreamIdBlock',
    data: { sequence: 'postId', stream, minimumId, firstSize: 2, maxSize: 8, now },
  }) as const;
const streamBlock = (from: number, to: number, stream = 'channel-1') =>
  ({ type: 'StreamIdBlockReserved', data: { sequence: 'postId', stream, from, to, reservedAt: now } }) as const;

describe('Given a stream without an id block', () => {
  it('When its first block is reserved, then it holds the first size of ids', () =>
    spec
      .given([])
      .when(forStream(1))
      .then([streamBlock(1, 2)]));
  it('When the sequence already has blocks (per-process ones of older releases too), then it lies above them all', () =>
    spec
      .given([
        { type: 'IdBlockReserved', data: { sequence: 'postId', from: 1, to: 100, reservedAt: now } },
        streamBlock(101, 102, 'channel-2'),
      ])
      .when(forStream(51))
      .then([streamBlock(103, 104)]));
  it('When the stream already has ids above the sequence (written the old way), then it starts above its last id', () =>
    spec
      .given([streamBlock(1, 2, 'channel-2')])
      .when(forStream(40))
      .then([streamBlock(40, 41)]));
  it('When the sizes make no sense, then it is a validation error', () =>
    spec
      .given([])
      .when({ ...forStream(1), data: { ...forStream(1).data, firstSize: 16 } })
      .thenThrows(ValidationError));
});

describe('Given a stream whose block is 5..6', () => {
  const given = [streamBlock(1, 4, 'channel-2'), streamBlock(5, 6)];
  it('When a block is asked for while an id of it is left, then nothing is reserved (a racing process got it first)', () =>
    spec.given(given).when(forStream(6)).thenNothingHappens());
  it('When its block is used up, then the next one is twice as large and above every block', () =>
    spec
      .given(given)
      .when(forStream(7))
      .then([streamBlock(7, 10)]));
  it('When another stream reserved in between, then the next block lies above that one', () =>
    spec
      .given([...given, streamBlock(7, 10, 'channel-2')])
      .when(forStream(7))
      .then([streamBlock(11, 14)]));
  it('When a block of another stream is asked for, then that stream gets its own first block', () =>
    spec
      .given(given)
      .when(forStream(1, 'channel-3'))
      .then([streamBlock(7, 8, 'channel-3')]));
});

describe('Given a stream whose blocks have grown to the maximum size', () => {
  const given = [streamBlock(1, 2), streamBlock(3, 6), streamBlock(7, 14)];
  it('When its block is used up, then the next one stays at the maximum', () =>
    spec
      .given(given)
      .when(forStream(15))
      .then([streamBlock(15, 22)]));
});
