import { useEffect, useState } from 'react';
import { formatDateTime } from '../../ui/format';
import { useOnline } from './useOnline';

/**
 * "Offline", said plainly at the top of every screen, and — when the screen shows the device's copy of what
 * the servers held — from when that copy is. Small: it is part of the first paint.
 */
export function OfflineBanner({ timeZone }: { timeZone: string }) {
  const online = useOnline();
  const [copyFrom, setCopyFrom] = useState<number | undefined>();
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    void import('./offlineSession').then((m) => {
      if (!live) return;
      setCopyFrom(m.offlineCopyFrom());
      stop = m.onOfflineCopy(() => setCopyFrom(m.offlineCopyFrom()));
    });
    return () => {
      live = false;
      stop?.();
    };
  }, []);
  if (online && copyFrom === undefined) return null;
  return (
    <p className="offline-banner" role="status">
      {online ? 'The server cannot be reached.' : 'Offline.'}
      {copyFrom !== undefined &&
        ` Showing the copy kept on this device, read ${formatDateTime(new Date(copyFrom).toISOString(), timeZone)}.`}{' '}
      What you save is kept on this device and sent when you are connected.
    </p>
  );
}
