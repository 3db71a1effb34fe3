import type { Decider, DomainEvent } from '../../src/commands/commandHandler';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Given/when/then for a pure decider, after emmett's DeciderSpecification:
 * `spec.given(events).when(command).then(expectedEvents)` or `.thenThrows(ErrorClass, check?)`.
 */
export const deciderSpecification = <State, Command, Event extends DomainEvent>(
  decider: Decider<State, Command, Event>,
) => ({
  given: (events: Event[]) => ({
    when: (command: Command) => {
      const decide = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: Event[]) => {
          expect(decide()).toEqual(expected);
        },
        thenNothingHappens: () => {
          expect(decide()).toEqual([]);
        },
        thenThrows: <E extends Error>(errorClass: ErrorClass, check?: (error: E) => void) => {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorClass);
          check?.(thrown as E);
        },
      };
    },
  }),
});
