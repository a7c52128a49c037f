/**
 * Shared helper of the backend implementations.
 *
 * @module
 */

/** Calls `fn`, turning a synchronous throw (validation) into a rejected promise. */
export function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
