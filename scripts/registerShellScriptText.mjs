// `node --import` / `tsx --import` this file to import main/server/scripts/*.sh as text.
import { register } from 'node:module';

register('./shellScriptText.mjs', import.meta.url);
