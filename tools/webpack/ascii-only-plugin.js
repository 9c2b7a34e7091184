const { Compilation, sources } = require('webpack');

/**
 * AsciiOnlyPlugin writes every character of the emitted JavaScript beyond ASCII as a \uXXXX
 * escape (mostly dashes and arrows in comments). V8 keeps each script's source in memory, and one
 * non-ASCII character makes it store the whole bundle as two-byte text: twice the bundle's size
 * resident in every process. Escapes mean the same in strings, templates, regular expressions and
 * comments; ReplaceSource keeps the source map true.
 */
class AsciiOnlyPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('AsciiOnlyPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'AsciiOnlyPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE },
        (assets) => {
          for (const name of Object.keys(assets)) {
            if (name.endsWith('.js')) compilation.updateAsset(name, escaped);
          }
        },
      );
    });
  }
}

function escaped(source) {
  const text = source.source().toString();
  const out = new sources.ReplaceSource(source);
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) out.replace(i, i, `\\u${code.toString(16).padStart(4, '0')}`);
  }
  return out;
}

module.exports = { AsciiOnlyPlugin };
