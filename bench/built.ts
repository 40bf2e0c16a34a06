/**
 * @module bench/built
 *
 * A module of the build (`dist/`, made by `buildServer` in bench/children.ts before any child
 * starts), for the bench's own children (the raw ceiling, the floor server), so that they run
 * the same compiled code as the server child. The caller names the type of the `src/` module it
 * was compiled from.
 */

/** `import('../dist/<path>')`, typed as `T` (the matching `src/` module). */
export async function built<T>(path: string): Promise<T> {
  return (await import(new URL(`../dist/${path}`, import.meta.url).href)) as T;
}
