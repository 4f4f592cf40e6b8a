// Module resolution hook for the checklist probe: `electron` resolves to the test double.
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') {
    return { url: new URL('./electron-module.ts', import.meta.url).href, shortCircuit: true }
  }
  return next(specifier, context)
}
