import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';

interface Props {
  fallback: (error: unknown, reset: () => void) => ReactNode;
  /** Changing this resets the boundary (e.g. on navigation). */
  resetKey?: unknown;
  children: ReactNode;
}

interface State {
  error: unknown;
  resetKey?: unknown;
}

/** Catches render errors; deliberately reports nothing anywhere (errors may carry patient data). */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error ?? new Error('Unknown error') };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (props.resetKey !== state.resetKey) return { error: undefined, resetKey: props.resetKey };
    return null;
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo): void {
    // Intentionally silent: no console output, no error reporting of PHI.
  }

  override render(): ReactNode {
    if (this.state.error !== undefined) {
      return this.props.fallback(this.state.error, () => this.setState({ error: undefined }));
    }
    return this.props.children;
  }
}
