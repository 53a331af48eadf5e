import { Suspense } from 'react';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { preloaded, useSettled } from './preloaded';

const Hello = ({ name }: { name: string }) => <p>Hello {name}</p>;

describe('preloaded', () => {
  it('renders at once, without the fallback, when the chunk has arrived', async () => {
    const Component = preloaded(Promise.resolve(Hello));
    await act(async () => undefined); // the chunk's promise settles
    render(
      <Suspense fallback={<p>Loading…</p>}>
        <Component name="Rosa" />
      </Suspense>,
    );
    expect(screen.getByText('Hello Rosa')).toBeTruthy();
    expect(screen.queryByText('Loading…')).toBeNull();
  });

  it('suspends like React.lazy while the chunk is on its way', async () => {
    let arrive: (c: typeof Hello) => void = () => undefined;
    const Component = preloaded(new Promise<typeof Hello>((r) => (arrive = r)));
    render(
      <Suspense fallback={<p>Loading…</p>}>
        <Component name="James" />
      </Suspense>,
    );
    expect(screen.getByText('Loading…')).toBeTruthy();
    await act(async () => arrive(Hello));
    expect(await screen.findByText('Hello James')).toBeTruthy();
  });
});

describe('useSettled', () => {
  function Show({ promise }: { promise: Promise<string> }) {
    const s = useSettled(promise);
    return <p>{s.status === 'done' ? s.value : s.status === 'failed' ? String(s.error) : 'pending'}</p>;
  }

  it('gives pending, then the value or the error', async () => {
    const { rerender } = render(<Show promise={Promise.resolve('session')} />);
    expect(screen.getByText('pending')).toBeTruthy();
    expect(await screen.findByText('session')).toBeTruthy();
    rerender(<Show promise={Promise.reject(new Error('refused'))} />);
    expect(await screen.findByText('Error: refused')).toBeTruthy();
  });
});
