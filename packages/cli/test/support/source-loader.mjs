// Lets plain `node` run the workspace's TypeScript sources, as vitest does: Node strips the
// types itself, and this hook maps the `.js` specifiers the sources import to their `.ts` files.
// Registered with `node --import ./source-loader.mjs --conditions=@hakoc/source`.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\\.{1,2}\\//.test(specifier) || !specifier.endsWith('.js')) throw error;
    return next(specifier.slice(0, -3) + '.ts', context);
  }
}`)}`,
);
