import { createElement, lazy, useEffect, useState } from 'react';
import type { ComponentType } from 'react';

/**
 * A lazily loaded component whose chunk is already on its way: once the chunk is there it renders at
 * once, like any component. React.lazy would suspend on first render even then, and React holds back
 * the content a Suspense boundary reveals for up to 300 ms after its fallback showed — measured as two
 * such pauses (≈ 600 ms) between the token and the workspace.
 */
export function preloaded<P extends object>(chunk: Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  // A failed chunk is for Lazy to throw to the error boundary; this chain only notes success.
  chunk.then((component) => (loaded = component)).catch(() => undefined);
  const Lazy = lazy(() => chunk.then((component) => ({ default: component })));
  return function Preloaded(props: P) {
    return createElement(loaded ?? Lazy, props);
  };
}

export type Settled<T> =
  { status: 'pending' } | { status: 'done'; value: T } | { status: 'failed'; error: unknown };

/** A promise's outcome as state, without suspending (for the same reason as above). */
export function useSettled<T>(promise: Promise<T>): Settled<T> {
  const [settled, setSettled] = useState<Settled<T>>({ status: 'pending' });
  useEffect(() => {
    let current = true;
    promise.then(
      (value) => current && setSettled({ status: 'done', value }),
      (error: unknown) => current && setSettled({ status: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [promise]);
  return settled;
}
