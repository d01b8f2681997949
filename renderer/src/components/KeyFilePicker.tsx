import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callApi } from '../api.js';

/**
 * The desktop app's native "choose a file" button beside the key path field. In web mode
 * the call answers "unavailable" and only the path field shows. The dialog opens in the
 * folder of the path already typed.
 */
export function KeyFilePicker({ onChosen, disabled, current }: { onChosen: (path: string) => void; disabled?: boolean; current?: string }) {
  const { t } = useTranslation();
  const [desktop, setDesktop] = useState(false);

  useEffect(() => {
    let live = true;
    callApi('appInfo', {})
      .then((info) => live && setDesktop(info.door === 'desktop'))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  if (!desktop) return null;
  const choose = () => {
    callApi('chooseKeyFile', current ? { current } : {})
      .then((chosen) => {
        if (chosen.status === 'chosen') onChosen(chosen.path);
        if (chosen.status === 'unavailable') setDesktop(false);
      })
      .catch(() => setDesktop(false));
  };
  return (
    <button type="button" className="small" disabled={disabled} onClick={choose}>
      {t('server.chooseKeyFile')}
    </button>
  );
}
